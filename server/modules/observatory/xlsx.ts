import { strToU8, Zip, ZipDeflate } from 'fflate';

/**
 * A small streaming SpreadsheetML (XLSX) writer, fed by batches of rows (an async iterable) and
 * yielding bytes as it goes, so that an export of hundreds of thousands of rows never sits in
 * memory: each batch becomes a deflated chunk of the file. One sheet, inline strings, numbers as
 * numbers, dates and times as real Excel values with their format, bold frozen header, autofilter.
 */

/** How a column is written: dates are `AAAA-MM-JJ` and times `HH:MM` strings, written as real dates in XLSX. */
export type ColumnKind = 'text' | 'number' | 'date' | 'time';
export interface Column {
  header: string;
  kind: ColumnKind;
  /** Width in characters in XLSX. */
  width?: number;
}
export type CellValue = string | number | null;
export type Row = CellValue[];

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Style indexes of styles.xml's cellXfs. */
const STYLE = { plain: 0, header: 1, date: 2, time: 3 } as const;

/** Characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/U+FFFF) are dropped. */
const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export function xmlText(value: string): string {
  return value.replace(XML_INVALID, '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** A, B, … Z, AA, AB … */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** Days since 1899-12-30 (Excel's day 0 in the 1900 date system, right from March 1900 on). */
export function excelDate(isoDate: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000 + 25_569;
}
/** The fraction of a day of `HH:MM`. */
export function excelTime(hhmm: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return null;
  return (Number(m[1]) * 60 + Number(m[2])) / 1440;
}

function xlsxCell(ref: string, value: CellValue, kind: ColumnKind): string {
  if (value === null || value === undefined || value === '') return '';
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"><v>${value}</v></c>`;
  if (kind === 'date' || kind === 'time') {
    const serial = typeof value === 'string' ? (kind === 'date' ? excelDate(value) : excelTime(value)) : null;
    if (serial !== null) return `<c r="${ref}" s="${kind === 'date' ? STYLE.date : STYLE.time}"><v>${serial}</v></c>`;
  }
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(String(value))}</t></is></c>`;
}

function xlsxRow(index: number, row: Row, columns: readonly Column[], style?: number): string {
  let cells = '';
  for (let i = 0; i < columns.length; i++) {
    const ref = `${columnName(i)}${index}`;
    if (style === STYLE.header)
      cells += `<c r="${ref}" t="inlineStr" s="${STYLE.header}"><is><t>${xmlText(String(row[i] ?? ''))}</t></is></c>`;
    else cells += xlsxCell(ref, row[i] ?? null, columns[i]!.kind);
  }
  return `<row r="${index}">${cells}</row>`;
}

const CONTENT_TYPES = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;
const ROOT_RELS = `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
const STYLES = `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="hh:mm"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Feuille1';
}

function workbook(name: string, lastRef: string): string {
  return `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets><sheet name="${xmlText(name)}" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${xmlText(name).replaceAll("'", "''")}'!$A$1:${lastRef.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2')}</definedName></definedNames></workbook>`;
}

function sheetHead(columns: readonly Column[]): string {
  const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 16}" customWidth="1"/>`).join('');
  return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView workbookViewId="0" tabSelected="1"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`;
}

/**
 * One sheet, streamed through fflate's Zip: the small parts first, then the sheet as its rows
 * come (deflated chunk by chunk), then the workbook, which names the autofilter's range once the
 * number of rows is known. Each yielded chunk is what the zip produced for one batch.
 */
export async function* xlsxStream(name: string, columns: readonly Column[], batches: AsyncIterable<Row[]>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else out.push(data);
  });
  const drain = function* () {
    if (failure) throw failure;
    if (!out.length) return;
    const chunks = out.splice(0);
    if (chunks.length === 1) yield chunks[0]!;
    else yield Buffer.concat(chunks);
  };
  const whole = (path: string, text: string) => {
    const file = new ZipDeflate(path, { level: 6 });
    zip.add(file);
    file.push(strToU8(text), true);
  };
  const title = sheetName(name);
  whole('[Content_Types].xml', CONTENT_TYPES);
  whole('_rels/.rels', ROOT_RELS);
  whole('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
  whole('xl/styles.xml', STYLES);
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
  zip.add(sheet);
  sheet.push(
    strToU8(
      sheetHead(columns) +
        xlsxRow(
          1,
          columns.map((c) => c.header),
          columns,
          STYLE.header,
        ),
    ),
  );
  yield* drain();
  let index = 1;
  for await (const batch of batches) {
    if (!batch.length) continue;
    let xml = '';
    for (const row of batch) xml += xlsxRow(++index, row, columns);
    sheet.push(strToU8(xml));
    yield* drain();
  }
  const lastRef = `${columnName(columns.length - 1)}${index}`;
  sheet.push(
    strToU8(
      `</sheetData><autoFilter ref="A1:${lastRef}"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
    ),
    true,
  );
  whole('xl/workbook.xml', workbook(title, lastRef));
  zip.end();
  yield* drain();
}
