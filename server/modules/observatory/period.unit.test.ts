import { describe, expect, it } from 'vitest';
import { currentMonth, histogramPercentile, monthOf, readRange, resolvePeriod } from './period.ts';

describe('observatory period', () => {
  // 31 December 23:30 UTC is already January in Paris, still December in Cayenne.
  const now = new Date('2026-12-31T23:30:00Z');

  it('takes the current month in the territory’s time zone', () => {
    expect(monthOf(currentMonth(now, 'Europe/Paris'))).toBe('2027-01');
    expect(monthOf(currentMonth(now, 'America/Cayenne'))).toBe('2026-12');
  });

  it('defaults to the 12 months up to the current one, compared with the same months a year before', () => {
    const p = resolvePeriod({}, now, 'Europe/Paris');
    expect(p.view).toEqual({ from: '2026-02', to: '2027-01', months: 12, previousFrom: '2025-02', previousTo: '2026-01' });
    expect(readRange(p)).toEqual({ from: p.previous!.from, to: p.to });
  });

  it('completes a half-open period: from a month to now (a year at least), or the 12 months up to a month', () => {
    expect(resolvePeriod({ from: '2025-03', compare: 'aucune' }, now, 'Europe/Paris').view).toMatchObject({
      from: '2025-03',
      to: '2027-01',
    });
    expect(resolvePeriod({ from: '2026-11', compare: 'aucune' }, now, 'Europe/Paris').view).toMatchObject({
      from: '2026-11',
      to: '2027-10',
    });
    expect(resolvePeriod({ to: '2025-03', compare: 'aucune' }, now, 'Europe/Paris').view).toMatchObject({ from: '2024-04', to: '2025-03' });
  });

  it('compares with the previous period of the same length', () => {
    const p = resolvePeriod({ from: '2026-04', to: '2026-06', compare: 'periode_precedente' }, now, 'Europe/Paris');
    expect(p.view).toMatchObject({ months: 3, previousFrom: '2026-01', previousTo: '2026-03' });
    expect(resolvePeriod({ from: '2026-04', to: '2026-06', compare: 'aucune' }, now, 'Europe/Paris').previous).toBeNull();
  });

  it('refuses a period that ends before it starts or spans more than five years', () => {
    expect(() => resolvePeriod({ from: '2026-05', to: '2026-04' }, now, 'Europe/Paris')).toThrow(/précéder/);
    expect(() => resolvePeriod({ from: '2020-01', to: '2026-04' }, now, 'Europe/Paris')).toThrow(/60 mois/);
  });

  it('reads percentiles from a histogram by nearest rank', () => {
    const h = new Map([
      [30, 1],
      [10, 2],
      [20, 1],
    ]);
    expect(histogramPercentile(h, 0.5)).toBe(10);
    expect(histogramPercentile(h, 0.75)).toBe(20);
    expect(histogramPercentile(h, 0.9)).toBe(30);
    expect(histogramPercentile(new Map(), 0.5)).toBeNull();
  });
});
