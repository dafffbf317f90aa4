/**
 * Query analysis for the knowledge base, in plain TypeScript so that it is the same on PGlite
 * and PostgreSQL and testable without a database: normalisation (lower case, no accents),
 * words, question words dropped, and synonym groups found as phrases in the query.
 */

/** Lower case, no diacritics, typographic apostrophes and ligatures folded. */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
}

/** The words of a text, normalised: letters and digits only ("l'APL" → ["l", "apl"]). */
export function words(text: string): string[] {
  return normalise(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Words that carry no meaning in a question ("comment faire pour avoir ma carte vitale"): the
 * French stop list of PostgreSQL drops articles and pronouns, these are the rest.
 */
const QUESTION_WORDS = new Set(
  `comment quoi quel quelle quels quelles pourquoi quand combien ou faire fait fais avoir ai besoin veux voudrais
  voudrait peux puis peut dois doit aide aider obtenir savoir demander demande info infos information renseignement
  probleme souci svp merci bonjour madame monsieur je j me m mon ma mes ne n pas plus on il elle ils elles l d c
  qu que qui est sont suis etre a au aux du des de la le les un une en et pour par sur avec dans ce cette ces son sa ses`.split(/\s+/),
);

/** The meaningful words of a query (question words and one-letter words dropped). */
export function queryWords(text: string): string[] {
  return words(text).filter((w) => w.length > 1 && !QUESTION_WORDS.has(w));
}

/** Singular and plural alike when matching synonym phrases ("aides au logement"). */
const fold = (w: string) => (w.length > 3 ? w.replace(/[sx]$/, '') : w);

/** A part of the query the search looks for: one word, or a phrase of a synonym group, with its alternatives. */
export interface Concept {
  /** What the user typed (after correction), e.g. "apl". */
  term: string;
  /** What to look for: the term and, for a synonym group, the other expressions of the group. */
  alternatives: string[];
  /** True when the concept came from a synonym group. */
  expanded: boolean;
}

export interface SynonymIndex {
  /** Expressions of every group, normalised to words, longest first. */
  entries: { words: string[]; group: number }[];
  groups: string[][];
  /** Every word of every expression (never "corrected" into something else). */
  vocabulary: Set<string>;
}

export function buildSynonymIndex(groups: readonly (readonly string[])[]): SynonymIndex {
  const clean = groups.map((g) => [...new Set(g.map((e) => e.trim()).filter(Boolean))]).filter((g) => g.length > 1);
  const entries: SynonymIndex['entries'] = [];
  const vocabulary = new Set<string>();
  clean.forEach((group, i) => {
    for (const expression of group) {
      const w = words(expression);
      if (!w.length) continue;
      entries.push({ words: w, group: i });
      for (const x of w) vocabulary.add(x);
    }
  });
  entries.sort((a, b) => b.words.length - a.words.length);
  return { entries, groups: clean, vocabulary };
}

/**
 * Splits the query words into concepts: the longest synonym expression starting at each word
 * becomes one concept whose alternatives are all the expressions of its group(s); any other word
 * is a concept of its own. Question words inside a synonym phrase are kept ("aide au logement").
 */
export function concepts(allWords: string[], index: SynonymIndex): Concept[] {
  const out: Concept[] = [];
  let i = 0;
  while (i < allWords.length) {
    let match: { length: number; groups: Set<number> } | null = null;
    for (const entry of index.entries) {
      const n = entry.words.length;
      if (match && n < match.length) break;
      if (i + n > allWords.length) continue;
      if (entry.words.every((w, k) => fold(allWords[i + k]!) === fold(w))) {
        if (!match) match = { length: n, groups: new Set() };
        match.groups.add(entry.group);
      }
    }
    if (match) {
      const term = allWords.slice(i, i + match.length).join(' ');
      // The group's expressions (the term is one of them, up to case and accents).
      const alternatives = new Map<string, string>();
      for (const g of match.groups)
        for (const e of index.groups[g]!) if (!alternatives.has(normalise(e))) alternatives.set(normalise(e), e);
      out.push({ term, alternatives: [...alternatives.values()], expanded: true });
      i += match.length;
      continue;
    }
    const w = allWords[i]!;
    if (w.length > 1 && !QUESTION_WORDS.has(w)) out.push({ term: w, alternatives: [w], expanded: false });
    i++;
  }
  // The same concept twice ("apl aide au logement") counts once.
  const seen = new Set<string>();
  return out.filter((c) => {
    const key = c.alternatives.map(normalise).sort().join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
