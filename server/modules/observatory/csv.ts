import type { CellValue, Column, ColumnKind, Row } from './xlsx.ts';

/**
 * Streamed CSV for French Excel: UTF-8 with a byte order mark, `;` between cells, CRLF line ends,
 * RFC 4180 quoting, decimal commas. Fed by batches of rows, one chunk per batch.
 */
const BOM = '\uFEFF';
const SEPARATOR = ';';
const CRLF = '\r\n';

/** Cells that a spreadsheet would read as a formula (or a DDE command) get a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: RFC 4180 quoting; text that could run as a formula is prefixed with « ' ». */
export function csvCell(value: CellValue, kind: ColumnKind = 'text'): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') text = kind === 'number' ? String(value).replace('.', ',') : String(value);
  else text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(row: Row, columns: readonly Column[]): string {
  return row.map((v, i) => csvCell(v, columns[i]?.kind)).join(SEPARATOR) + CRLF;
}

/** UTF-8 with a byte order mark, `;` between cells and CRLF line ends: what French Excel opens as is. */
export async function* csvStream(columns: readonly Column[], batches: AsyncIterable<Row[]>): AsyncGenerator<Buffer> {
  yield Buffer.from(
    BOM +
      csvLine(
        columns.map((c) => c.header),
        columns.map(() => ({ header: '', kind: 'text' })),
      ),
    'utf8',
  );
  for await (const batch of batches) {
    if (!batch.length) continue;
    let chunk = '';
    for (const row of batch) chunk += csvLine(row, columns);
    yield Buffer.from(chunk, 'utf8');
  }
}
