import { describe, expect, it } from 'vitest';
import { busStopsOf, zonedInstant } from './bus-schedule.ts';
import type { SeedBusRound } from './model.ts';

const here = { commune: 'Ceton', inseeCode: '61079', postcode: '61260', latitude: 48.2263, longitude: 0.7497 };
const round: SeedBusRound = {
  contactPoint: 'Bus',
  slots: [
    { weekday: 0, start: '09:00', end: '12:00', place: 'Place de l’Église', stop: here },
    { weekday: 3, start: '14:00', end: '16:30', everyWeeks: 2, weekOffset: 0, place: 'Salle des fêtes (A)', stop: here },
    { weekday: 3, start: '14:00', end: '16:30', everyWeeks: 2, weekOffset: 1, place: 'Salle des fêtes (B)', stop: here },
  ],
};
const options = { timezone: 'Europe/Paris', holidayZone: 'metropole' as const, weeks: 4 };

describe('the demo bus schedule', () => {
  it('turns Paris wall-clock times into instants on both sides of a change of time', () => {
    expect(zonedInstant('2026-03-27', '09:00', 'Europe/Paris').toISOString()).toBe('2026-03-27T08:00:00.000Z');
    expect(zonedInstant('2026-03-30', '09:00', 'Europe/Paris').toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(zonedInstant('2026-10-26', '14:00', 'Europe/Paris').toISOString()).toBe('2026-10-26T13:00:00.000Z');
  });

  it('starts the day after the seed, alternates the fortnightly slots and skips public holidays', () => {
    // Wednesday 1 April 2026 at 23:30 in Paris (21:30 UTC): the schedule starts on Thursday 2 April.
    const stops = busStopsOf(round, { ...options, now: new Date('2026-04-01T21:30:00Z') });
    expect(stops.map((s) => `${s.startsAt.toISOString()} ${s.place}`)).toEqual([
      '2026-04-02T12:00:00.000Z Salle des fêtes (A)',
      // Monday 6 April is Easter Monday.
      '2026-04-09T12:00:00.000Z Salle des fêtes (B)',
      '2026-04-13T07:00:00.000Z Place de l’Église',
      '2026-04-16T12:00:00.000Z Salle des fêtes (A)',
      '2026-04-20T07:00:00.000Z Place de l’Église',
      '2026-04-23T12:00:00.000Z Salle des fêtes (B)',
      '2026-04-27T07:00:00.000Z Place de l’Église',
    ]);
    for (const s of stops) expect(s.endsAt.getTime()).toBeGreaterThan(s.startsAt.getTime());
  });
});
