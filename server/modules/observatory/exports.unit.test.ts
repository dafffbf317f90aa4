import { describe, expect, it } from 'vitest';
import { csvCell, csvStream } from './csv.ts';
import { assertWellFormed, readXlsx } from './exports.fixtures.ts';
import { type Column, columnName, excelDate, excelTime, type Row, xlsxStream, xmlText } from './xlsx.ts';

async function* batchesOf(...batches: Row[][]) {
  for (const b of batches) yield b;
}
async function collect(stream: AsyncIterable<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  for await (const c of stream) chunks.push(c);
  return { chunks, bytes: new Uint8Array(Buffer.concat(chunks)) };
}
const columns: Column[] = [
  { header: 'Date', kind: 'date' },
  { header: 'Heure', kind: 'time' },
  { header: 'Lieu', kind: 'text' },
  { header: 'Durée', kind: 'number' },
];

describe('CSV cells', () => {
  it('quotes as RFC 4180 says and escapes formulas', () => {
    expect(csvCell('Bellême')).toBe('Bellême');
    expect(csvCell('CAF ; CPAM')).toBe('"CAF ; CPAM"');
    expect(csvCell('Le "bus"')).toBe('"Le ""bus"""');
    expect(csvCell('ligne\r\nsuite')).toBe('"ligne\r\nsuite"');
    for (const evil of ['=1+1', '+33', '-2', '@SOMME(A1)', '\tx', '\rx']) expect(csvCell(evil).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("http://x";"y")')).toBe(`"'=HYPERLINK(""http://x"";""y"")"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(1.5, 'number')).toBe('1,5');
    expect(csvCell(-3, 'number')).toBe('-3');
  });

  it('streams a BOM, the header and one chunk per batch with CRLF', async () => {
    const { chunks, bytes } = await collect(
      csvStream(columns, batchesOf([['2026-03-14', '10:30', 'A', 5]], [], [['2026-03-15', null, 'B; C', null]])),
    );
    expect(chunks).toHaveLength(3);
    expect(Buffer.from(bytes).toString('utf8')).toBe('\uFEFFDate;Heure;Lieu;Durée\r\n2026-03-14;10:30;A;5\r\n2026-03-15;;"B; C";\r\n');
  });
});

describe('XLSX writer', () => {
  it('converts dates and times to Excel serials', () => {
    expect(excelDate('1900-03-01')).toBe(61);
    expect(excelDate('2026-03-14')).toBe(46095);
    expect(excelTime('10:30')).toBe(0.4375);
    expect(excelDate('pas une date')).toBeNull();
    expect([0, 25, 26, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
    expect(xmlText('a & <b> "c"\u0001\uD800')).toBe('a &amp; &lt;b&gt; &quot;c&quot;');
  });

  it('writes a well-formed workbook with typed cells, a bold frozen header and an autofilter', async () => {
    const { chunks, bytes } = await collect(
      xlsxStream('Accueils', columns, batchesOf([['2026-03-14', '10:30', 'A & <B>', 25]], [['2026-03-15', null, '=1+1', null]])),
    );
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    const book = readXlsx(bytes);
    expect(Object.keys(book.files).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    expect(book.rows[0]).toEqual({
      A: { value: 'Date', style: 1 },
      B: { value: 'Heure', style: 1 },
      C: { value: 'Lieu', style: 1 },
      D: { value: 'Durée', style: 1 },
    });
    expect(book.rows[1]).toEqual({
      A: { value: 46095, style: 2 },
      B: { value: 0.4375, style: 3 },
      C: { value: 'A & <B>', style: 0 },
      D: { value: 25, style: 0 },
    });
    expect(book.rows[2]).toEqual({ A: { value: 46096, style: 2 }, C: { value: '=1+1', style: 0 } });
    const sheet = book.files['xl/worksheets/sheet1.xml']!;
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(sheet).toContain('<autoFilter ref="A1:D3"/>');
    expect(book.files['xl/workbook.xml']).toContain(`'Accueils'!$A$1:$D$3`);
    expect(book.files['xl/styles.xml']).toMatch(/<font><b\/>/);
    expect(book.files['xl/styles.xml']).toContain('formatCode="dd/mm/yyyy"');
  });

  it('yields the file as its batches come, not at the end', async () => {
    const batch = (n: number): Row[] => Array.from({ length: 2000 }, (_, i) => ['2026-03-14', '10:30', `Lieu ${n}-${i}`, i]);
    let produced = 0;
    async function* lazily() {
      for (let n = 0; n < 20; n++) {
        produced++;
        yield batch(n);
      }
    }
    const stream = xlsxStream('Accueils', columns, lazily());
    // The first bytes are out before most batches were even produced.
    let chunks = 0;
    let firstAt = -1;
    const all: Uint8Array[] = [];
    for await (const c of stream) {
      if (firstAt < 0) firstAt = produced;
      chunks++;
      all.push(c);
    }
    expect(firstAt).toBeLessThanOrEqual(1);
    expect(chunks).toBeGreaterThan(10);
    const book = readXlsx(new Uint8Array(Buffer.concat(all)));
    expect(book.rows).toHaveLength(40_001);
    expect(book.rows[40_000]!.C!.value).toBe('Lieu 19-1999');
  });

  it('rejects what is not well formed', () => {
    expect(() => assertWellFormed('<a><b></a></b>')).toThrow();
    expect(() => assertWellFormed('<a x=1/>')).toThrow();
    expect(() => assertWellFormed('<a>R & D</a>')).toThrow();
    expect(() => assertWellFormed('<a/><b/>')).toThrow();
    expect(() => assertWellFormed('<?xml version="1.0"?>\n<a x="1"><b>&amp;&#233;</b></a>')).not.toThrow();
  });
});
