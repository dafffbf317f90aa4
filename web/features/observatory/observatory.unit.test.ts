import { describe, expect, it } from 'vitest';
import type { Period, VisitsDashboard } from '../../../contracts/observatory.ts';
import { apiQuery, exportUrl, filtersToParams, parseFilters, parseTab, parseYear } from './filters.ts';
import {
  comparisonLabel,
  formatCount,
  formatDays,
  formatGrowth,
  formatMinutes,
  formatShare,
  formatWorkingDays,
  monthLabel,
  periodLabel,
} from './format.ts';
import { publicCount } from './publicCount.ts';
import { deadlinesSentence, leadersSentence, monthsSentence, partnersSentence, totalSentence } from './summary.ts';

/** Intl writes narrow no-break spaces (« 12 340 », « 18 % »); compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

const year2026: Period = { from: '2026-01', to: '2026-12', months: 12, previousFrom: '2025-01', previousTo: '2025-12' };
const uuid = '6f1c2f0e-8a4b-4c1d-9e2f-0a1b2c3d4e5f';

describe('observatory number formatting (fr-FR)', () => {
  it('writes counts, shares, growth, days and minutes the French way', () => {
    expect(plain(formatCount(12340))).toBe('12 340');
    expect(formatCount(null)).toBe('—');
    expect(plain(formatShare(0.18))).toBe('18 %');
    expect(plain(formatShare(0.002))).toBe('moins de 1 %');
    expect(plain(formatShare(0))).toBe('0 %');
    expect(plain(formatGrowth(0.18))).toBe('+18 %');
    expect(plain(formatGrowth(-0.05))).toBe('−5 %');
    expect(plain(formatGrowth(0))).toBe('0 %');
    expect(formatDays(2.5)).toBe('2,5 jours');
    expect(formatDays(1)).toBe('1 jour');
    expect(formatWorkingDays(1.5)).toBe('1,5 jour ouvré');
    expect(formatWorkingDays(4)).toBe('4 jours ouvrés');
    expect(formatMinutes(18.4)).toBe('18 min');
    expect(formatMinutes(65)).toBe('1 h 05');
  });

  it('names months and periods', () => {
    expect(monthLabel('2026-03')).toBe('mars 2026');
    expect(periodLabel('2026-01', '2026-12')).toBe('en 2026');
    expect(periodLabel('2026-01', '2026-06')).toBe('de janvier à juin 2026');
    expect(periodLabel('2025-11', '2026-10')).toBe('de novembre 2025 à octobre 2026');
    expect(periodLabel('2026-03', '2026-03')).toBe('en mars 2026');
    expect(comparisonLabel(year2026)).toBe('2025');
    expect(comparisonLabel({ ...year2026, from: '2026-01', to: '2026-06', previousFrom: '2025-07', previousTo: '2025-12' })).toBe(
      'la période de juillet à décembre 2025',
    );
    expect(comparisonLabel({ ...year2026, previousFrom: null, previousTo: null })).toBeNull();
  });

  it('shows a suppressed public count as « moins de 10 »', () => {
    expect(publicCount(null, 10)).toBe('moins de 10');
    expect(plain(publicCount(1234, 10))).toBe('1 234');
  });
});

describe('observatory filters in the address', () => {
  it('reads valid filters, drops invalid ones, swaps an inverted period, defaults the comparison', () => {
    const f = parseFilters(new URLSearchParams(`from=2026-12&to=2026-01&organisationId=${uuid}&contactPointId=nope&compare=aucune`));
    expect(f).toEqual({ from: '2026-01', to: '2026-12', organisationId: uuid, compare: 'aucune' });
    expect(parseFilters(new URLSearchParams('from=2026-13&compare=bizarre'))).toEqual({ compare: 'annee_precedente' });
  });

  it('writes them back without defaults, round-trips, and builds the API and export addresses', () => {
    const f = { from: '2026-01', to: '2026-06', organisationId: uuid, compare: 'annee_precedente' as const };
    const params = filtersToParams(f, 'saisines');
    expect(params.toString()).toBe(`onglet=saisines&from=2026-01&to=2026-06&organisationId=${uuid}`);
    expect(parseFilters(params)).toEqual(f);
    expect(parseTab(params)).toBe('saisines');
    expect(parseTab(new URLSearchParams('onglet=satisfaction'), ['accueils', 'saisines'])).toBe('accueils');
    expect(apiQuery(f)).toBe(`?from=2026-01&to=2026-06&organisationId=${uuid}&compare=annee_precedente`);
    expect(exportUrl('t1', 'visits', 'csv', f)).toBe(
      `/api/territories/t1/observatory/exports/visits?format=csv&from=2026-01&to=2026-06&organisationId=${uuid}`,
    );
  });

  it('reads the report year, the current one when missing or out of range', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(parseYear('2025', now)).toBe(2025);
    expect(parseYear(null, now)).toBe(2026);
    expect(parseYear('1800', now)).toBe(2026);
    expect(parseYear('abc', now)).toBe(2026);
  });
});

describe('chart summaries written from the data', () => {
  it('states the total with its growth against the comparison period', () => {
    expect(plain(totalSentence(12340, 10458, year2026, 'accueil'))).toBe(
      '12 340 accueils en 2026, soit +18 % par rapport à 2025 (10 458).',
    );
    expect(totalSentence(1, null, { ...year2026, previousFrom: null, previousTo: null }, 'accueil')).toBe('1 accueil en 2026.');
    expect(totalSentence(5, 0, year2026, 'accueil')).toBe('5 accueils en 2026, contre aucun accueil sur 2025.');
  });

  it('names the leaders of a breakdown, and says when there is nothing', () => {
    const rows = [
      { label: 'Logement', count: 10, share: 0.1 },
      { label: 'Santé', count: 50, share: 0.5 },
      { label: 'Emploi', count: 30, share: 0.3 },
      { label: 'Autre', count: 0, share: 0 },
    ];
    expect(plain(leadersSentence(rows))).toBe('En tête : Santé (50 %), puis Emploi (30 %) et Logement (10 %).');
    expect(leadersSentence([])).toBe('Aucune donnée sur la période.');
  });

  it('compares the main partner with its national share', () => {
    const rows: VisitsDashboard['byPartner'] = [
      { code: 'CPAM', label: 'CPAM de l’Orne', count: 60, previous: null, share: 0.3, nationalShare: 0.16 },
      { code: 'CAF', label: 'CAF de l’Orne', count: 42, previous: null, share: 0.21, nationalShare: 0.16 },
      { code: 'MAIRIE', label: 'Mairie', count: 98, previous: null, share: 0.49, nationalShare: null },
    ];
    expect(plain(partnersSentence(rows))).toBe(
      'Mairie représente 49 % des partenaires cités. CPAM de l’Orne y pèse plus qu’au niveau national (30 % contre 16 %).',
    );
    expect(plain(partnersSentence(rows.filter((r) => r.code === 'CAF')))).toBe(
      'CAF de l’Orne représente 21 % des partenaires cités (16 % au niveau national).',
    );
  });

  it('names the busiest month, and the range of deadline compliance', () => {
    const months = [
      { month: '2026-01', count: 3, previous: 2 },
      { month: '2026-02', count: 7, previous: 2 },
    ];
    const period = { from: '2026-01', to: '2026-02', months: 2, previousFrom: '2025-01', previousTo: '2025-02' };
    expect(plain(monthsSentence(months, period, 'accueil'))).toBe(
      '10 accueils de janvier à février 2026, soit +150 % par rapport à la période de janvier à février 2025 (4). Le mois le plus chargé : février 2026 (7 accueils).',
    );
    const row = { sent: 10, breaches: 0, openNow: 0, medianDays: 2, p90Days: 4 };
    expect(
      plain(
        deadlinesSentence([
          { ...row, code: 'a', label: 'CAF', answered: 10, inTimeShare: 0.9 },
          { ...row, code: 'b', label: 'CPAM', answered: 8, inTimeShare: 0.5 },
          { ...row, code: 'c', label: 'DGFiP', answered: 0, inTimeShare: null },
        ]),
      ),
    ).toBe('Réponses dans le délai : de 50 % (CPAM) à 90 % (CAF).');
  });
});
