import { type SQL, sql } from 'drizzle-orm';
import { HIGHLIGHT_END, HIGHLIGHT_START, type SheetStatus } from '../../../contracts/knowledge.ts';
import type { Executor } from '../../db/client.ts';
import { type Concept, concepts, type SynonymIndex, words } from './analyse.ts';

/**
 * Full-text search of answer sheets, the same SQL on PGlite and PostgreSQL:
 * - the sheet's `search` tsvector (relais_fr: French stemming, accents ignored) weighs the
 *   title A, keywords and summary B, the sections C;
 * - the query is cut into concepts (analyse.ts); a word unknown to the territory's sheets is read
 *   as the nearest known word (kb_lexicon, pg_trgm), a synonym phrase brings its whole group;
 * - a sheet matches when it contains any concept; the matches are first ordered cheaply (those
 *   with every concept, then ts_rank_cd), and the first RANK_CAP get the full score: the number
 *   of concepts contained (in the title/keywords counting more), ts_rank_cd, title similarity;
 * - excerpts come from ts_headline on the page's rows only.
 */

export const SEARCH_CONFIG = 'relais_fr';
/** How many of the matching sheets get the full score (the rest cannot reach a first page). */
const RANK_CAP = 200;
const HEADLINE_TITLE = `HighlightAll=true, StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}`;
const HEADLINE_BODY = `MaxFragments=2, MaxWords=22, MinWords=10, ShortWord=2, FragmentDelimiter=" … ", StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}`;

/** The search document of a sheet, written in the statement that writes the sheet. */
export function searchVector(doc: { title: string; summary: string; keywords: string[]; bodyText: string }): SQL {
  return sql`setweight(to_tsvector('relais_fr', ${doc.title}), 'A')
    || setweight(to_tsvector('relais_fr', ${`${doc.keywords.join(' ; ')} ; ${doc.summary}`}), 'B')
    || setweight(to_tsvector('relais_fr', ${doc.bodyText}), 'C')`;
}

/** Adds the words of a sheet to the territory's lexicon (typo correction targets). */
export async function addToLexicon(db: Executor, territoryId: string, text: string): Promise<void> {
  const distinct = [...new Set(words(text).filter((w) => w.length >= 3 && w.length <= 40 && !/^\d+$/.test(w)))];
  if (!distinct.length) return;
  await db.execute(sql`
    INSERT INTO kb_lexicon (territory_id, word, lexeme)
    SELECT ${territoryId}, w, l
    FROM (SELECT w, (tsvector_to_array(to_tsvector('relais_fr', w)))[1] AS l FROM unnest(${sql.param(distinct)}::text[]) AS w) x
    WHERE l IS NOT NULL
    ON CONFLICT DO NOTHING`);
}

export interface Correction {
  from: string;
  to: string;
}

/**
 * Reads each query word unknown to the territory (no lexicon word with the same stem, not a
 * synonym word) as its nearest lexicon word by trigram similarity, when one is close enough.
 */
export async function correctWords(
  db: Executor,
  territoryId: string,
  queryWords: string[],
  index: SynonymIndex,
): Promise<{ words: string[]; corrections: Correction[] }> {
  const candidates = [...new Set(queryWords.filter((w) => w.length >= 4 && !/\d/.test(w) && !index.vocabulary.has(w)))];
  if (!candidates.length) return { words: queryWords, corrections: [] };
  const { rows } = await db.execute<{ tok: string; known: boolean; best: string | null }>(sql`
    SELECT q.tok,
      (cardinality(tsvector_to_array(to_tsvector('relais_fr', q.tok))) = 0 OR EXISTS (
        SELECT 1 FROM kb_lexicon l WHERE l.territory_id = ${territoryId}
          AND (l.word = q.tok OR l.lexeme = ANY (tsvector_to_array(to_tsvector('relais_fr', q.tok)))))) AS known,
      (SELECT l.word FROM kb_lexicon l
        WHERE l.territory_id = ${territoryId} AND l.word % q.tok AND similarity(l.word, q.tok) >= 0.35
        ORDER BY l.word <-> q.tok, l.word LIMIT 1) AS best
    FROM unnest(${sql.param(candidates)}::text[]) AS q(tok)`);
  const fix = new Map<string, string>();
  for (const r of rows) if (!r.known && r.best && r.best !== r.tok) fix.set(r.tok, r.best);
  const corrections = [...fix].map(([from, to]) => ({ from, to }));
  return { words: queryWords.map((w) => fix.get(w) ?? w), corrections };
}

/** One concept as a tsquery: its alternatives as phrases, OR-ed. */
const conceptQuery = (c: Concept): SQL =>
  sql`(${sql.join(
    c.alternatives.map((a) => sql`phraseto_tsquery('relais_fr', ${a})`),
    sql` || `,
  )})`;

export interface AnalysedQuery {
  concepts: Concept[];
  corrections: Correction[];
}

export async function analyseQuery(db: Executor, territoryId: string, q: string, index: SynonymIndex): Promise<AnalysedQuery> {
  const corrected = await correctWords(db, territoryId, words(q), index);
  return { concepts: concepts(corrected.words, index), corrections: corrected.corrections };
}

export interface SearchOptions {
  territoryId: string;
  analysed: AnalysedQuery;
  /** Which sheets the caller may see (status and ownership), as a condition on `s`. */
  visible: SQL;
  organisationId?: string | 'reseau';
  theme?: string;
  extra?: SQL;
  /** Suggestions: a sheet also matches by its partner or themes, which add to its score. */
  boost?: { organisationIds?: string[]; themes?: string[] };
  limit: number;
  offset: number;
  facets: boolean;
}

export interface HitRow {
  id: string;
  slug: string;
  title: string;
  title_highlight: string;
  summary: string;
  excerpt: string;
  organisation_id: string | null;
  themes: string[];
  status: SheetStatus;
  verified_at: Date | null;
  score: number;
}

export interface SearchRows {
  total: number;
  items: HitRow[];
  organisations: { id: string | null; count: number }[];
  themes: { code: string; count: number }[];
}

/**
 * The search itself in one statement: the matching sheets (`m`), the page with its excerpts,
 * the total and the facets (the partner facet ignores the partner filter, the theme facet the
 * theme filter, so that both stay usable as filters).
 */
export async function runSearch(db: Executor, o: SearchOptions): Promise<SearchRows> {
  const cs = o.analysed.concepts;
  const hasText = cs.length > 0;
  const anyQuery = hasText ? sql.join(cs.map(conceptQuery), sql` || `) : sql`NULL::tsquery`;
  const textMatch = hasText ? sql`s.search @@ (${anyQuery})` : sql`false`;
  const boostOrgs = o.boost?.organisationIds?.length ? o.boost.organisationIds : null;
  const boostThemes = o.boost?.themes?.length ? o.boost.themes : null;
  let matchCondition: SQL;
  if (o.boost) {
    const parts = [textMatch];
    if (boostOrgs) parts.push(sql`s.organisation_id = ANY (${sql.param(boostOrgs)}::uuid[])`);
    if (boostThemes) parts.push(sql`s.themes && ${sql.param(boostThemes)}::text[]`);
    matchCondition = sql`(${sql.join(parts, sql` OR `)})`;
  } else matchCondition = hasText ? textMatch : sql`true`;

  const coverage = hasText
    ? sql.join(
        cs.map((c) => sql`(s.search @@ ${conceptQuery(c)})::int`),
        sql` + `,
      )
    : sql`0`;
  const titleCoverage = hasText
    ? sql.join(
        cs.map((c) => sql`(ts_filter(s.search, '{a,b}') @@ ${conceptQuery(c)})::int`),
        sql` + `,
      )
    : sql`0`;
  const plainQuery = cs.map((c) => c.term).join(' ');
  const rank = hasText
    ? sql`ts_rank_cd('{0.1, 0.3, 0.6, 1.0}', s.search, (${anyQuery}), 32) + 0.5 * word_similarity(${plainQuery}, lower(unaccent(s.title)))`
    : sql`0`;
  const boost = o.boost
    ? sql`+ ${boostOrgs ? sql`coalesce(s.organisation_id = ANY (${sql.param(boostOrgs)}::uuid[]), false)::int * 0.8` : sql`0`}
         + ${boostThemes ? sql`cardinality(ARRAY(SELECT unnest(s.themes) INTERSECT SELECT unnest(${sql.param(boostThemes)}::text[]))) * 0.4` : sql`0`}`
    : sql``;

  const orgFilter =
    o.organisationId === 'reseau'
      ? sql`m.organisation_id IS NULL`
      : o.organisationId
        ? sql`m.organisation_id = ${o.organisationId}::uuid`
        : sql`true`;
  const themeFilter = o.theme ? sql`${o.theme} = ANY (m.themes)` : sql`true`;
  const ranked = hasText || !!o.boost;
  const headlineQuery = sql`(${anyQuery})`;
  // Sheets with every concept first, then by cover density: a cheap first ordering that only
  // reads each matching sheet's vector twice, so the full score is computed for the first CAP.
  const strong = cs.length > 1 ? sql`(s.search @@ (${sql.join(cs.map(conceptQuery), sql` && `)}))::int * 10 +` : sql``;
  const prelim = ranked
    ? sql`${strong} ${hasText ? sql`ts_rank_cd('{0.1, 0.3, 0.6, 1.0}', s.search, (${anyQuery}), 32)` : sql`0`} ${boost}`
    : sql`0`;
  const cap = Math.max(RANK_CAP, o.offset + o.limit);
  const page = ranked
    ? sql`top AS (SELECT id FROM f ORDER BY prelim DESC, id LIMIT ${cap}),
      scored AS (
        SELECT s.id, s.slug, s.title, s.summary, s.organisation_id, s.themes, s.status, s.verified_at,
          (${coverage}) * 1.0 + (${titleCoverage}) * 0.5 + (${rank}) ${boost} AS score
        FROM top JOIN kb_sheets s USING (id)
      ),
      page AS (SELECT * FROM scored ORDER BY score DESC, title, id LIMIT ${o.limit} OFFSET ${o.offset})`
    : sql`page AS (
        SELECT s.id, s.slug, s.title, s.summary, s.organisation_id, s.themes, s.status, s.verified_at, 0 AS score
        FROM f JOIN kb_sheets s USING (id) ORDER BY f.title, f.id LIMIT ${o.limit} OFFSET ${o.offset})`;
  const order = ranked ? sql`p.score DESC, p.title, p.id` : sql`p.title, p.id`;

  const { rows } = await db.execute<{
    total: number;
    items: HitRow[] | null;
    orgs: SearchRows['organisations'] | null;
    themes: SearchRows['themes'] | null;
  }>(sql`
    WITH m AS MATERIALIZED (
      SELECT s.id, s.title, s.organisation_id, s.themes, ${prelim} AS prelim
      FROM kb_sheets s
      WHERE s.territory_id = ${o.territoryId} AND ${o.visible} AND ${matchCondition} ${o.extra ? sql`AND ${o.extra}` : sql``}
    ),
    f AS (SELECT * FROM m WHERE ${orgFilter} AND ${themeFilter}),
    ${page}
    SELECT
      (SELECT count(*)::int FROM f) AS total,
      (SELECT json_agg(json_build_object(
          'id', p.id, 'slug', p.slug, 'title', p.title, 'summary', p.summary,
          'title_highlight', ${hasText ? sql`ts_headline('relais_fr', p.title, ${headlineQuery}, ${HEADLINE_TITLE})` : sql`p.title`},
          'excerpt', ${hasText ? sql`ts_headline('relais_fr', (SELECT b.body_text FROM kb_sheets b WHERE b.id = p.id), ${headlineQuery}, ${HEADLINE_BODY})` : sql`''`},
          'organisation_id', p.organisation_id, 'themes', p.themes, 'status', p.status,
          'verified_at', p.verified_at, 'score', p.score) ORDER BY ${order})
        FROM page p) AS items,
      ${
        o.facets
          ? sql`(SELECT json_agg(json_build_object('id', f.organisation_id, 'count', f.n)) FROM (
          SELECT m.organisation_id, count(*)::int AS n FROM m WHERE ${themeFilter} GROUP BY 1) f) AS orgs,
        (SELECT json_agg(json_build_object('code', f.code, 'count', f.n)) FROM (
          SELECT t.code, count(*)::int AS n FROM m, unnest(m.themes) AS t(code) WHERE ${orgFilter} GROUP BY 1) f) AS themes`
          : sql`NULL::json AS orgs, NULL::json AS themes`
      }`);
  const row = rows[0]!;
  return {
    total: Number(row.total),
    items: (row.items ?? []).map((i) => ({ ...i, score: Number(i.score) })),
    organisations: row.orgs ?? [],
    themes: row.themes ?? [],
  };
}
