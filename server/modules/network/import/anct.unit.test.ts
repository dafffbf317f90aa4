import { describe, expect, it } from 'vitest';
import { decodeFile, detectDelimiter, labelDateOf, normalizePhone, parseAnct } from './anct.ts';
import { ImportFileError } from './records.ts';

describe('reading the ANCT file', () => {
  it('decodes UTF-8, and falls back to Latin-1 (Windows-1252) when the bytes are not UTF-8', () => {
    expect(decodeFile(Buffer.from('Bellême', 'utf8'))).toEqual({ text: 'Bellême', encoding: 'utf-8' });
    expect(decodeFile(Buffer.from([0x42, 0x65, 0x6c, 0x6c, 0xea, 0x6d, 0x65, 0x92]))).toEqual({
      text: 'Bellême’',
      encoding: 'windows-1252',
    });
  });

  it('detects the separator from the header line, ignoring quoted text', () => {
    expect(detectDelimiter('"a;b",c,d\n1;2;3;4')).toBe(',');
    expect(detectDelimiter('a;b;"c,d,e"\n')).toBe(';');
  });

  it('gives each row the line where it starts, across quoted line breaks and blank lines', () => {
    const csv =
      '\uFEFFMATRICULE,DEPARTEMENT,lib_france_services,lib_com,h_lundi\n1,61,Un,Bellême,"9h-12h\net 14h-17h"\n\n2,61,Deux,Mortagne,oups\n';
    const { records, issues } = parseAnct(csv);
    expect(records.map((r) => [r.line, r.key])).toEqual([
      [2, '1'],
      [5, '2'],
    ]);
    expect(issues).toEqual([expect.objectContaining({ line: 5, column: 'h_lundi', value: 'oups' })]);
  });

  it('refuses a file without the ANCT columns or with an unclosed quote', () => {
    expect(() => parseAnct('nom,ville\nA,B\n')).toThrow(ImportFileError);
    expect(() => parseAnct('MATRICULE,DEPARTEMENT,lib_france_services,lib_com\n1,61,"Un,Bellême\n')).toThrow(/guillemet/);
  });

  it('reads phone numbers and label dates, or says they are unreadable', () => {
    expect(normalizePhone('04.73.85.30.92')).toBe('04 73 85 30 92');
    expect(normalizePhone('+33 (0)2 33 25 00 00')).toBe('02 33 25 00 00');
    expect(normalizePhone('3646')).toBe('3646');
    expect(normalizePhone('12')).toBeNull();
    expect(labelDateOf('Espace labélisé 01/2020')).toBe('2020-01-01');
    expect(labelDateOf('labellisé en 13/2020')).toBeNull();
    expect(labelDateOf('bientôt')).toBeNull();
  });
});
