import { describe, expect, it } from 'vitest';
import { groupsToText, textToGroups } from './SynonymsSection.tsx';

describe('synonym groups as text', () => {
  it('reads one group per line, expressions separated by commas, blanks ignored', () => {
    expect(textToGroups('RDV, rendez-vous\n\n  CIAS ,centre intercommunal d’action sociale, \n')).toEqual([
      ['RDV', 'rendez-vous'],
      ['CIAS', 'centre intercommunal d’action sociale'],
    ]);
  });
  it('writes back what it reads', () => {
    const groups = [
      ['a', 'b'],
      ['c d', 'e'],
    ];
    expect(textToGroups(groupsToText(groups))).toEqual(groups);
  });
});
