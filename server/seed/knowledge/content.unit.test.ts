import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SheetSectionKeys, SheetSectionLabels } from '../../../contracts/knowledge.ts';
import { PARTNER_CATALOGUE, REQUIRED_OPERATOR_CODES } from '../../../contracts/partner-catalogue.ts';
import { ThemeCodes } from '../../../contracts/themes.ts';
import { BUILT_IN_SYNONYMS } from '../../modules/knowledge/builtin-synonyms.ts';
import { QUALITY_SET } from './quality-set.ts';

const sheetsDir = join(import.meta.dirname, 'sheets');
const files = readdirSync(sheetsDir)
  .filter((f) => f.endsWith('.md'))
  .sort();

interface ParsedSheet {
  file: string;
  front: Record<string, unknown>;
  body: string;
}

function parseSheet(file: string): ParsedSheet {
  const text = readFileSync(join(sheetsDir, file), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${file}: en-tête YAML introuvable`);
  return { file, front: parse(match[1]!) as Record<string, unknown>, body: match[2]! };
}

const sheets = files.map(parseSheet);
const FRONT_KEYS = ['slug', 'title', 'summary', 'organisation', 'themes', 'keywords', 'verified', 'verified_by'];
const LOCAL_CODES = ['DEPARTEMENT', 'MISSION_LOCALE', 'CCAS', 'MDPH', 'UDAF', 'CIDFF', 'ADIL'];
/** The review is due after 12 months: the demo "today" is the end of November 2026. */
const STALE_BEFORE = '2025-11-15';

/** The date as written (the yaml package reads it as a string; a timestamp schema would give a Date). */
function dateOf(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}

function words(markdown: string): number {
  return markdown.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

describe('the demo answer sheets', () => {
  it('are at least 48, named after their unique slug', () => {
    expect(sheets.length).toBeGreaterThanOrEqual(48);
    const slugs = sheets.map((s) => s.front['slug']);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const s of sheets) {
      expect(s.front['slug'], s.file).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(`${s.front['slug']}.md`).toBe(s.file);
    }
  });

  it.each(sheets)('$file has a valid front matter', ({ file, front }) => {
    expect(
      Object.keys(front).every((k) => FRONT_KEYS.includes(k)),
      file,
    ).toBe(true);
    for (const key of FRONT_KEYS.filter((k) => k !== 'organisation')) expect(front[key], `${file}: ${key}`).toBeDefined();
    expect(typeof front['title']).toBe('string');
    expect((front['title'] as string).length).toBeGreaterThanOrEqual(3);
    expect(typeof front['summary']).toBe('string');
    expect((front['summary'] as string).length, `${file}: résumé`).toBeLessThanOrEqual(300);
    if ('organisation' in front) expect(PARTNER_CATALOGUE.map((e) => e.code)).toContain(front['organisation']);
    const themes = front['themes'] as string[];
    expect(Array.isArray(themes) && themes.length > 0).toBe(true);
    for (const t of themes) expect(ThemeCodes).toContain(t);
    expect(new Set(themes).size).toBe(themes.length);
    const keywords = front['keywords'] as unknown[];
    expect(keywords.length).toBeGreaterThanOrEqual(3);
    expect(keywords.length).toBeLessThanOrEqual(10);
    for (const k of keywords) expect(typeof k === 'string' && k.trim().length > 0 && k.length <= 80, `${file}: mot-clé ${k}`).toBe(true);
    const verified = dateOf(front['verified']);
    expect(verified).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(verified <= '2026-11-30').toBe(true);
    if (verified >= STALE_BEFORE) expect(verified >= '2025-12-01', `${file}: ${verified}`).toBe(true);
    expect(typeof front['verified_by']).toBe('string');
  });

  it.each(sheets)('$file has the six sections in order, and only lists, paragraphs, bold and https links', ({ file, body }) => {
    const headings = body.split('\n').filter((line) => line.startsWith('#'));
    expect(headings, file).toEqual(SheetSectionKeys.map((k) => `## ${SheetSectionLabels[k]}`));
    const steps = /## Étapes\n([\s\S]*?)\n## /.exec(body)?.[1] ?? '';
    expect(steps.trim().length, `${file}: Étapes vides`).toBeGreaterThan(0);
    expect(body, `${file}: balise HTML`).not.toMatch(/<[a-zA-Z]/);
    expect(body).not.toMatch(/http:\/\//);
    const links = [...body.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]!);
    for (const url of links) expect(url, file).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}(\/[^\s]*)?$/);
    expect(body).not.toMatch(/```|^\s*>|^\s*\|/m);
    const count = words(body);
    expect(count, `${file}: ${count} mots`).toBeGreaterThanOrEqual(150);
    expect(count, `${file}: ${count} mots`).toBeLessThanOrEqual(450);
  });

  it('cover every national operator, the local partners and the network itself', () => {
    const count = (code: string | undefined) => sheets.filter((s) => s.front['organisation'] === code).length;
    const minimum: Record<(typeof REQUIRED_OPERATOR_CODES)[number], number> = {
      CAF: 6,
      CPAM: 5,
      CNAV: 4,
      MSA: 3,
      FRANCE_TRAVAIL: 5,
      LA_POSTE: 2,
      DGFIP: 5,
      JUSTICE: 3,
      ANTS: 5,
    };
    for (const code of REQUIRED_OPERATOR_CODES) expect(count(code), code).toBeGreaterThanOrEqual(minimum[code]);
    expect(LOCAL_CODES.reduce((n, code) => n + count(code), 0)).toBeGreaterThanOrEqual(6);
    expect(count(undefined)).toBeGreaterThanOrEqual(3);
  });

  it('include exactly three sheets not verified for twelve months', () => {
    expect(sheets.filter((s) => dateOf(s.front['verified']) < STALE_BEFORE).map((s) => s.file)).toHaveLength(3);
  });
});

describe('the search quality set', () => {
  const slugs = new Set(sheets.map((s) => s.front['slug']));

  it('has at least 60 distinct queries whose expected sheets all exist', () => {
    expect(QUALITY_SET.length).toBeGreaterThanOrEqual(60);
    const queries = QUALITY_SET.map((q) => q.query.toLowerCase().trim());
    expect(new Set(queries).size).toBe(queries.length);
    for (const q of QUALITY_SET) {
      expect(q.expected.length, q.query).toBeGreaterThanOrEqual(1);
      expect(q.expected.length, q.query).toBeLessThanOrEqual(3);
      for (const slug of q.expected) expect(slugs.has(slug), `${q.query} → ${slug}`).toBe(true);
    }
  });
});

describe('the built-in synonyms', () => {
  it('are 40 to 80 groups of at least two distinct expressions, none in two groups', () => {
    expect(BUILT_IN_SYNONYMS.length).toBeGreaterThanOrEqual(40);
    expect(BUILT_IN_SYNONYMS.length).toBeLessThanOrEqual(80);
    const seen = new Map<string, number>();
    BUILT_IN_SYNONYMS.forEach((group, i) => {
      expect(group.length, group.join(', ')).toBeGreaterThanOrEqual(2);
      const normalised = group.map((e) => e.toLowerCase().replace(/’/g, "'").trim());
      expect(new Set(normalised).size, group.join(', ')).toBe(group.length);
      for (const e of normalised) {
        expect(seen.get(e), `« ${e} » dans deux groupes`).toBeUndefined();
        seen.set(e, i);
      }
    });
  });
});
