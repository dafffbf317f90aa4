import { describe, expect, it } from 'vitest';
import type { DeadlineView } from '../../../contracts/requests.ts';
import { deadlineText } from './deadline-text.ts';

const running = (level: DeadlineView['level'], workingDaysLeft: number | null): DeadlineView => ({
  level,
  running: true,
  paused: false,
  days: 4,
  fraction: 0.5,
  dueAt: '2026-12-04T17:00:00.000Z',
  workingDaysLeft,
});

describe('deadlineText', () => {
  it('counts the working days left as « J-n » with the level in words', () => {
    expect(deadlineText(running('bientot', 2))).toEqual({
      short: 'J-2',
      long: 'Échéance proche : 2 jours ouvrés restants',
      severity: 'warning',
    });
    expect(deadlineText(running('dans_les_temps', 1))?.long).toBe('Dans les temps : 1 jour ouvré restant');
    expect(deadlineText(running('dans_les_temps', 3.7))?.short).toBe('J-3');
  });

  it('says « J-0 » on the last day', () => {
    expect(deadlineText(running('bientot', 0))).toMatchObject({ short: 'J-0', long: 'Échéance proche : réponse attendue aujourd’hui' });
  });

  it('says how late a request is, in red', () => {
    expect(deadlineText(running('depassee', -1))).toEqual({
      short: 'en retard de 1 j',
      long: 'Délai dépassé : en retard de 1 jour ouvré',
      severity: 'error',
    });
    expect(deadlineText(running('depassee', -3))?.short).toBe('en retard de 3 j');
    expect(deadlineText(running('depassee', -0.5))?.short).toBe('en retard de 1 j');
  });

  it('shows a paused clock (information asked) and nothing when no clock runs', () => {
    expect(deadlineText({ ...running('a_mi_parcours', 2), paused: true, running: false })?.short).toBe('Délai suspendu');
    expect(deadlineText({ ...running('aucune', null), running: false })).toBeNull();
  });
});
