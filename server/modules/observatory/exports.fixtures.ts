import { strFromU8, unzipSync } from 'fflate';

/**
 * Test helpers for the exports: a strict enough XML well-formedness check (one root, tags closed
 * in order, quoted attributes, known entities only, no forbidden characters) and a reader of the
 * sheet's rows, so that tests check the workbook as a spreadsheet program would read it.
 */

const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;
const ATTRIBUTES = /^(?:\s+[A-Za-z_][\w:.-]*\s*=\s*"[^"<]*")*\s*\/?$/;

export function assertWellFormed(xml: string, name = 'xml'): void {
  const fail = (why: string) => {
    throw new Error(`${name} n’est pas du XML bien formé : ${why}`);
  };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml)) fail('caractère de contrôle interdit');
  let body = xml;
  if (body.startsWith('<?xml')) {
    const end = body.indexOf('?>');
    if (end < 0) fail('déclaration XML non fermée');
    body = body.slice(end + 2);
  }
  const stack: string[] = [];
  let roots = 0;
  for (const token of body.match(/<[^>]*>|[^<]+/g) ?? []) {
    if (token.startsWith('<')) {
      if (!token.endsWith('>')) fail(`balise non fermée ${token.slice(0, 40)}`);
      const close = /^<\/([A-Za-z_][\w:.-]*)\s*>$/.exec(token);
      if (close) {
        if (stack.pop() !== close[1]) fail(`</${close[1]}> ne ferme pas la dernière balise ouverte`);
        continue;
      }
      const open = /^<([A-Za-z_][\w:.-]*)([\s\S]*?)>$/.exec(token);
      if (!open) fail(`balise invalide ${token.slice(0, 40)}`);
      const [, tag, rest] = open!;
      if (!ATTRIBUTES.test(rest!)) fail(`attributs invalides dans <${tag}>`);
      if (rest!.replace(ENTITY, '').includes('&')) fail(`& nu dans un attribut de <${tag}>`);
      if (!stack.length) roots++;
      if (!rest!.endsWith('/')) stack.push(tag!);
    } else {
      if (!stack.length && token.trim()) fail('texte hors de l’élément racine');
      if (token.replace(ENTITY, '').includes('&')) fail('& nu dans le texte');
    }
  }
  if (stack.length) fail(`<${stack.at(-1)}> jamais fermée`);
  if (roots !== 1) fail(`${roots} éléments racines`);
}

const unescapeXml = (s: string) =>
  s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&amp;', '&');

export interface SheetCell {
  value: string | number;
  style: number;
}
export interface ReadWorkbook {
  files: Record<string, string>;
  /** Rows of the sheet, each cell by its column letter. */
  rows: Record<string, SheetCell>[];
}

/** Unzips a workbook, checks every XML part is well formed, reads the sheet's cells. */
export function readXlsx(bytes: Uint8Array): ReadWorkbook {
  const files = Object.fromEntries(Object.entries(unzipSync(bytes)).map(([k, v]) => [k, strFromU8(v)]));
  for (const [path, text] of Object.entries(files)) if (path.endsWith('.xml') || path.endsWith('.rels')) assertWellFormed(text, path);
  const sheet = files['xl/worksheets/sheet1.xml'] ?? '';
  const rows: Record<string, SheetCell>[] = [];
  for (const [, r, content] of sheet.matchAll(/<row r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
    if (Number(r) !== rows.length + 1) throw new Error(`ligne ${r} hors d’ordre`);
    const row: Record<string, SheetCell> = {};
    for (const [, ref, attrs, inner] of content!.matchAll(/<c r="([A-Z]+)\d+"([^>]*)>([\s\S]*?)<\/c>/g)) {
      const style = Number(/ s="(\d+)"/.exec(attrs!)?.[1] ?? 0);
      if (/t="inlineStr"/.test(attrs!)) row[ref!] = { value: unescapeXml(/<t[^>]*>([\s\S]*?)<\/t>/.exec(inner!)?.[1] ?? ''), style };
      else row[ref!] = { value: Number(/<v>([^<]*)<\/v>/.exec(inner!)?.[1]), style };
    }
    rows.push(row);
  }
  return { files, rows };
}
