import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_END as E, HIGHLIGHT_START as S } from '../../../contracts/knowledge.ts';
import { plainText, splitHighlight } from './highlight.ts';

describe('splitHighlight', () => {
  it('returns the text as one plain part when nothing is highlighted', () => {
    expect(splitHighlight('Aide au logement')).toEqual([{ text: 'Aide au logement', highlighted: false }]);
  });

  it('returns nothing for an empty text', () => {
    expect(splitHighlight('')).toEqual([]);
  });

  it('splits the highlighted words from the others, in order', () => {
    expect(splitHighlight(`Demander l’${S}allocation${E} de ${S}logement${E} (APL)`)).toEqual([
      { text: 'Demander l’', highlighted: false },
      { text: 'allocation', highlighted: true },
      { text: ' de ', highlighted: false },
      { text: 'logement', highlighted: true },
      { text: ' (APL)', highlighted: false },
    ]);
  });

  it('handles a highlight at the very start and end', () => {
    expect(splitHighlight(`${S}CAF${E}`)).toEqual([{ text: 'CAF', highlighted: true }]);
  });

  it('merges adjacent highlights and drops empty ones', () => {
    expect(splitHighlight(`${S}aide${E}${S} au${E}${S}${E} logement`)).toEqual([
      { text: 'aide au', highlighted: true },
      { text: ' logement', highlighted: false },
    ]);
  });

  it('highlights up to the end when the end marker is missing', () => {
    expect(splitHighlight(`prime ${S}d’activité`)).toEqual([
      { text: 'prime ', highlighted: false },
      { text: 'd’activité', highlighted: true },
    ]);
  });

  it('ignores a stray end marker and a nested start marker', () => {
    expect(splitHighlight(`a${E}b ${S}c${S}d${E} e`)).toEqual([
      { text: 'ab ', highlighted: false },
      { text: 'cd', highlighted: true },
      { text: ' e', highlighted: false },
    ]);
  });

  it('keeps markup-like text as text (never HTML)', () => {
    expect(splitHighlight(`<b>${S}x${E}</b>`)).toEqual([
      { text: '<b>', highlighted: false },
      { text: 'x', highlighted: true },
      { text: '</b>', highlighted: false },
    ]);
  });

  it('keeps characters outside the basic plane whole', () => {
    expect(splitHighlight(`📄 ${S}fiche${E}`)).toEqual([
      { text: '📄 ', highlighted: false },
      { text: 'fiche', highlighted: true },
    ]);
  });
});

describe('plainText', () => {
  it('drops the markers', () => {
    expect(plainText(`l’${S}allocation${E} logement`)).toBe('l’allocation logement');
  });
});
