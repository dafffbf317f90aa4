import { describe, expect, it } from 'vitest';
import { distanceText, frenchMoment, frenchTime, openText, stopWhen } from './format.ts';

const NOW = new Date('2026-03-11T09:00:00Z'); // Wednesday, 10:00 in Paris
const TZ = 'Europe/Paris';

describe('finder wording', () => {
  it('writes times the French way, in the territory’s time zone', () => {
    expect(frenchTime('2026-03-16T08:00:00Z', TZ)).toBe('9 h');
    expect(frenchTime('2026-03-16T12:30:00Z', TZ)).toBe('13 h 30');
    expect(frenchTime('2026-03-16T12:30:00Z', 'America/Cayenne')).toBe('9 h 30');
  });

  it('says when a closed place opens', () => {
    expect(frenchMoment('2026-03-11T13:00:00Z', TZ, NOW)).toBe('aujourd’hui à 14 h');
    expect(frenchMoment('2026-03-12T08:00:00Z', TZ, NOW)).toBe('demain à 9 h');
    expect(frenchMoment('2026-03-16T08:00:00Z', TZ, NOW)).toBe('lundi à 9 h');
    expect(frenchMoment('2026-04-13T07:00:00Z', TZ, NOW)).toBe('le 13 avril à 9 h');
    expect(openText({ state: 'closed', comment: null, closesAt: null, nextOpening: '2026-03-16T08:00:00Z' }, TZ, NOW)).toBe(
      'Fermé — ouvre lundi à 9 h',
    );
    expect(openText({ state: 'open', comment: null, closesAt: '2026-03-11T11:00:00Z', nextOpening: null }, TZ, NOW)).toBe(
      'Ouvert maintenant · jusqu’à 12 h',
    );
    expect(openText({ state: 'unknown', comment: null, closesAt: null, nextOpening: null }, TZ, NOW)).toBe('Horaires non renseignés');
  });

  it('writes distances and bus stop times', () => {
    expect(distanceText(0.04)).toBe('à 40 m');
    expect(distanceText(1.234)).toBe('à 1,2 km');
    expect(distanceText(15.6)).toBe('à 16 km');
    expect(stopWhen('2026-03-12T08:00:00Z', '2026-03-12T11:00:00Z', TZ)).toBe('jeudi 12 mars, de 9 h à 12 h');
  });
});
