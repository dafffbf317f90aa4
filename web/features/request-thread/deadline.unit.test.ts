import { describe, expect, it } from 'vitest';
import type { DeadlineView } from '../../../contracts/requests.ts';
import { deadlineSentence, formatDueDate, formatSize, ofName } from './deadline.ts';

const running = (workingDaysLeft: number, dueAt = '2026-12-03T09:00:00.000Z'): DeadlineView => ({
  level: workingDaysLeft < 0 ? 'depassee' : 'dans_les_temps',
  running: true,
  paused: false,
  days: 5,
  fraction: 0.5,
  dueAt,
  workingDaysLeft,
});

describe('the thread’s wording', () => {
  it('says nothing when no clock runs, and « suspendu » while waiting for information', () => {
    const none: DeadlineView = { ...running(2), running: false, workingDaysLeft: null, dueAt: null, level: 'aucune' };
    expect(deadlineSentence(none, 'repondue')).toBeNull();
    const paused: DeadlineView = { ...none, paused: true };
    expect(deadlineSentence(paused, 'attente_infos')).toBe('Délai suspendu : en attente d’informations');
  });

  it('gives the due date in French time', () => {
    // 09:00 UTC is 10:00 in Paris in winter.
    expect(formatDueDate('2026-12-03T09:00:00.000Z')).toBe('jeudi 3 décembre, 10 h');
    expect(formatDueDate('2026-07-02T12:30:00.000Z')).toBe('jeudi 2 juillet, 14 h 30');
    expect(deadlineSentence(running(2), 'en_cours')).toBe('Réponse attendue avant le jeudi 3 décembre, 10 h');
    expect(deadlineSentence(running(-2), 'en_cours')).toBe('Délai dépassé : réponse attendue avant le jeudi 3 décembre, 10 h');
  });

  it('writes file sizes', () => {
    expect(formatSize(900)).toBe('900 o');
    expect(formatSize(12_800)).toBe('13 ko');
    expect(formatSize(1_468_006)).toBe('1,4 Mo');
  });

  it('elides « de » before a vowel', () => {
    expect(ofName('Agathe Accueil')).toBe('d’Agathe Accueil');
    expect(ofName('Émile Roux')).toBe('d’Émile Roux');
    expect(ofName('Paul Durand')).toBe('de Paul Durand');
  });
});
