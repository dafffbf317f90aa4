import { describe, expect, it } from 'vitest';
import { checkLabel, formatHours } from './label-check.ts';

const operators = [
  { code: 'CAF', name: 'CAF' },
  { code: 'CPAM', name: 'Assurance Maladie' },
  { code: 'MSA', name: 'MSA' },
];
const all = operators.map((o) => o.code);

describe('France Services label check', () => {
  it('passes with 24 hours, 2 agents and every operator', () => {
    const result = checkLabel({ weeklyOpenHours: 24, agentCount: 2, coveredOperatorCodes: all }, operators);
    expect(result.ok).toBe(true);
    expect(result.missing).toEqual([]);
    expect(result.checks.map((c) => [c.code, c.ok])).toEqual([
      ['weekly_hours', true],
      ['agents', true],
      ['operators', true],
    ]);
    expect(result.checks[0]!.detail).toBe('24 h d’ouverture par semaine (24 h au moins)');
  });

  it('lists what is missing, in French', () => {
    const result = checkLabel({ weeklyOpenHours: 18.5, agentCount: 1, coveredOperatorCodes: ['CAF', null, 'DEPARTEMENT'] }, operators);
    expect(result.ok).toBe(false);
    expect(result.missing).toEqual([
      '5 h 30 d’ouverture par semaine (18 h 30 sur 24 h)',
      '1 agent d’accueil (1 sur 2)',
      'opérateur non couvert : Assurance Maladie',
      'opérateur non couvert : MSA',
    ]);
    expect(result.checks[2]!.detail).toBe('1 opérateurs nationaux sur 3 ; manquent : Assurance Maladie, MSA');
  });

  it('says the hours are unknown rather than counting zero', () => {
    const result = checkLabel({ weeklyOpenHours: null, agentCount: 0, coveredOperatorCodes: [] }, operators);
    expect(result.checks[0]).toMatchObject({ code: 'weekly_hours', ok: false, detail: 'horaires non renseignés' });
    expect(result.missing[0]).toMatch(/^horaires non renseignés/);
    expect(result.missing[1]).toBe('2 agents d’accueil (0 sur 2)');
  });

  it('counts more agents and hours than needed as fine', () => {
    const result = checkLabel({ weeklyOpenHours: 35.25, agentCount: 5, coveredOperatorCodes: [...all, 'CAF'] }, operators);
    expect(result.ok).toBe(true);
    expect(result.checks[1]!.detail).toBe('5 agents (2 au moins)');
  });

  it('formats hours and minutes', () => {
    expect(formatHours(31.5)).toBe('31 h 30');
    expect(formatHours(0.25)).toBe('0 h 15');
    expect(formatHours(7)).toBe('7 h');
  });
});
