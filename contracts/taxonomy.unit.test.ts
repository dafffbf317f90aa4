import { describe, expect, it } from 'vitest';
import { DEFAULT_REPORTING_GROUPS, defaultGroupOf, procedureThemeCode, TerritoryThemeCode, ThemeRef } from './taxonomy.ts';
import { Themes } from './themes.ts';

describe('the national default grouping', () => {
  it('puts every national theme in exactly one group', () => {
    const grouped = DEFAULT_REPORTING_GROUPS.flatMap((g) => g.themeCodes);
    expect([...grouped].sort()).toEqual(Themes.map((t) => t.code).sort());
    for (const t of Themes) expect(DEFAULT_REPORTING_GROUPS.map((g) => g.code)).toContain(defaultGroupOf(t.code));
    expect(defaultGroupOf('inconnu')).toBe('autres');
  });
});

describe('theme codes', () => {
  it('derives a partner × procedure code that a visit may carry', () => {
    const code = procedureThemeCode('CAF', 'Aide personnalisée au logement (APL)');
    expect(code).toBe('p.caf.aide-personnalisee-au-logement-apl');
    expect(ThemeRef.safeParse(code).success).toBe(true);
    expect(procedureThemeCode('France Travail', 'inscription')).toBe('p.france-travail.inscription');
  });

  it('refuses a territory code that is a national theme or badly written', () => {
    expect(TerritoryThemeCode.safeParse('cheque-energie').success).toBe(true);
    for (const bad of ['famille', 'Chèque', 'a', 'p.caf.x', '-x']) expect(TerritoryThemeCode.safeParse(bad).success, bad).toBe(false);
  });
});
