import { describe, expect, it } from 'vitest';
import { daysLeft, mandateEnd, mandateStatus } from './mandate-period.ts';

const PARIS = 'Europe/Paris';

describe('the end of a mandate', () => {
  it('lasts one day until the same time tomorrow, 23 hours across the spring change and 25 across the autumn one', () => {
    const spring = new Date('2026-03-28T09:00:00Z'); // 10:00 in Paris, the day before clocks go forward
    expect(mandateEnd(spring, '1_jour', PARIS).toISOString()).toBe('2026-03-29T08:00:00.000Z');
    const autumn = new Date('2026-10-24T08:00:00Z'); // 10:00 summer time
    expect(mandateEnd(autumn, '1_jour', PARIS).toISOString()).toBe('2026-10-25T09:00:00.000Z');
    const plain = new Date('2026-06-10T12:30:00Z');
    expect(mandateEnd(plain, '1_jour', PARIS).toISOString()).toBe('2026-06-11T12:30:00.000Z');
  });

  it('ends a month from the 31st on the last day of a shorter month, leap years included', () => {
    expect(mandateEnd(new Date('2027-01-31T10:00:00Z'), '1_mois', PARIS).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(mandateEnd(new Date('2028-01-31T10:00:00Z'), '1_mois', PARIS).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(mandateEnd(new Date('2026-08-31T08:00:00Z'), '6_mois', PARIS).toISOString()).toBe('2027-02-28T09:00:00.000Z');
    expect(mandateEnd(new Date('2028-02-29T10:00:00Z'), '1_an', PARIS).toISOString()).toBe('2029-02-28T10:00:00.000Z');
  });

  it('keeps the wall-clock time across a change of offset (winter start, summer end)', () => {
    // 10:00 in Paris in January (UTC+1) → 10:00 in Paris in July (UTC+2).
    expect(mandateEnd(new Date('2026-01-15T09:00:00Z'), '6_mois', PARIS).toISOString()).toBe('2026-07-15T08:00:00.000Z');
    expect(mandateEnd(new Date('2026-12-31T22:30:00Z'), '1_an', PARIS).toISOString()).toBe('2027-12-31T22:30:00.000Z');
  });

  it('computes in the territory’s zone, not the server’s: a date past midnight in Réunion', () => {
    // 2026-01-31 22:00 UTC is 2026-02-01 02:00 in Réunion: one month later is 1 March there.
    expect(mandateEnd(new Date('2026-01-31T22:00:00Z'), '1_mois', 'Indian/Reunion').toISOString()).toBe('2026-02-28T22:00:00.000Z');
  });
});

describe('the days left', () => {
  it('counts calendar days in the zone: 365 for a fresh year, 1 the day before, 0 on the last day and after', () => {
    const start = new Date('2026-03-01T09:00:00Z');
    const end = mandateEnd(start, '1_an', PARIS);
    expect(daysLeft(start, end, PARIS)).toBe(365);
    expect(daysLeft(new Date('2027-02-28T22:59:00Z'), end, PARIS)).toBe(1); // 23:59 on 28 February in Paris
    expect(daysLeft(new Date('2027-02-28T23:00:00Z'), end, PARIS)).toBe(0); // midnight: the last day
    expect(daysLeft(end, end, PARIS)).toBe(0);
    expect(daysLeft(new Date('2030-01-01T00:00:00Z'), end, PARIS)).toBe(0);
  });

  it('is not thrown off by a 23-hour day', () => {
    const now = new Date('2026-03-28T22:30:00Z'); // 23:30 on 28 March in Paris
    expect(daysLeft(now, new Date('2026-03-30T08:00:00Z'), PARIS)).toBe(2);
  });

  it('says revoked before expired, and active until the end instant', () => {
    const endsAt = new Date('2026-05-01T10:00:00Z');
    expect(mandateStatus({ revokedAt: null, endsAt }, new Date('2026-05-01T09:59:59Z'))).toBe('actif');
    expect(mandateStatus({ revokedAt: null, endsAt }, endsAt)).toBe('expire');
    expect(mandateStatus({ revokedAt: new Date('2026-04-01T00:00:00Z'), endsAt }, new Date('2026-06-01T00:00:00Z'))).toBe('revoque');
  });
});
