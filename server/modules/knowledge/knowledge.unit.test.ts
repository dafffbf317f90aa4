import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SheetSectionKeys } from '../../../contracts/knowledge.ts';
import { buildSynonymIndex, concepts, normalise, queryWords, words } from './analyse.ts';
import { BUILT_IN_SYNONYMS } from './builtin-synonyms.ts';
import { type FileError, parseSheetMarkdown, sheetToMarkdown } from './io.ts';
import { plainText, renderMarkdown } from './markdown.ts';
import { diffContents } from './sheets.service.ts';

const index = buildSynonymIndex([
  ['APL', 'aide au logement', 'allocation logement'],
  ['CSS', 'complémentaire santé solidaire', 'mutuelle'],
  ['carte grise', 'certificat d’immatriculation'],
]);

describe('query analysis', () => {
  it('normalises accents, ligatures and apostrophes', () => {
    expect(normalise('Œuvre d’ÉTÉ')).toBe("oeuvre d'ete");
    expect(words('L’APL, c’est 2026 !')).toEqual(['l', 'apl', 'c', 'est', '2026']);
  });

  it('drops question words but keeps the meaning', () => {
    expect(queryWords('Comment faire pour avoir ma carte Vitale ?')).toEqual(['carte', 'vitale']);
  });

  it('reads a synonym phrase as one concept with its whole group, the longest phrase first', () => {
    const cs = concepts(words('aide au logement étudiant'), index);
    expect(cs[0]).toEqual({ term: 'aide au logement', alternatives: ['APL', 'aide au logement', 'allocation logement'], expanded: true });
    expect(cs[1]).toEqual({ term: 'etudiant', alternatives: ['etudiant'], expanded: false });
    expect(concepts(words('carte grise perdue'), index).map((c) => c.term)).toEqual(['carte grise', 'perdue']);
    expect(concepts(words('les aides au logement'), index)[0]!.alternatives).toContain('APL');
  });

  it('counts the same concept once when the query says it twice', () => {
    expect(concepts(words('APL aide au logement'), index)).toHaveLength(1);
  });

  it('keeps the built-in groups precise: no expression in two groups', () => {
    const seen = new Map<string, number>();
    BUILT_IN_SYNONYMS.forEach((g, i) => {
      for (const e of g) {
        const key = words(e).join(' ');
        expect(seen.get(key) ?? i, `« ${e} » is in two groups`).toBe(i);
        seen.set(key, i);
      }
    });
  });
});

describe('Markdown rendering', () => {
  it('never lets HTML, scripts, images or unsafe links through', () => {
    const html = renderMarkdown(
      '<script>x</script> <a href="javascript:alert(1)">a</a>\n\n[j](javascript:alert(1)) [d](data:text/html,x) [v](vbscript:x) ![i](https://t.example/p.gif)',
    );
    expect(html).not.toMatch(/<script|<a href="javascript|href="(javascript|data|vbscript)|<img/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('opens external links in a new window and starts headings at level 3', () => {
    expect(renderMarkdown('[caf.fr](https://www.caf.fr)')).toBe(
      '<p><a href="https://www.caf.fr" target="_blank" rel="noopener noreferrer" title="caf.fr – nouvelle fenêtre">caf.fr</a></p>\n',
    );
    expect(renderMarkdown('[appeler](tel:3230)')).toBe('<p><a href="tel:3230">appeler</a></p>\n');
    expect(renderMarkdown('# Un\n## Deux\n#### Quatre')).toBe('<h3>Un</h3>\n<h4>Deux</h4>\n<h6>Quatre</h6>\n');
  });

  it('gives the words without the syntax for search', () => {
    expect(plainText('1. Aller sur **caf.fr**\n2. Cliquer sur [Mon compte](https://www.caf.fr)')).toBe(
      'Aller sur caf.fr\nCliquer sur Mon compte',
    );
  });
});

const sheet = {
  slug: 'caf-exemple',
  title: 'Exemple : déclarer « tout » à la CAF',
  summary: 'Résumé avec deux-points : et # dièse',
  themes: ['famille', 'logement'],
  keywords: ['2042', 'APL', 'oui'],
  sections: {
    audience: 'Tout le monde',
    prepare: '- Avis d’impôt',
    steps: '1. Faire\n2. Refaire\n\n### Sous-titre\n\nTexte',
    links: '- [caf.fr](https://www.caf.fr)',
    pitfalls: '',
    escalate: 'Saisir la CAF si **bloqué**.',
  },
  status: 'publiee' as const,
  verifiedAt: new Date('2026-10-14T00:00:00Z'),
};

describe('Markdown files', () => {
  it('round-trips a sheet through its file, whatever the characters', () => {
    const back = parseSheetMarkdown(sheetToMarkdown(sheet, 'CAF', 'Référente CAF'));
    expect(back).toMatchObject({
      slug: sheet.slug,
      title: sheet.title,
      summary: sheet.summary,
      organisation: 'CAF',
      themes: sheet.themes,
      keywords: sheet.keywords,
      verifiedBy: 'Référente CAF',
      status: 'publiee',
    });
    expect(back.verified?.toISOString().slice(0, 10)).toBe('2026-10-14');
    for (const k of SheetSectionKeys) expect(back.sections[k] ?? '').toBe(sheet.sections[k]);
    const text = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() === s && !/[\r\n]/.test(s) && s.trim().length > 0);
    fc.assert(
      fc.property(text, text, fc.array(text, { maxLength: 4 }), (title, summary, keywords) => {
        const parsed = parseSheetMarkdown(sheetToMarkdown({ ...sheet, title, summary, keywords }, null, null));
        expect([parsed.title, parsed.summary, parsed.keywords, parsed.organisation]).toEqual([title, summary, keywords, null]);
      }),
      { numRuns: 300 },
    );
  });

  it('names what is wrong in a file', () => {
    const fail = (text: string) => {
      try {
        parseSheetMarkdown(text);
      } catch (error) {
        return (error as FileError).code;
      }
      return 'ok';
    };
    expect(fail('pas d’en-tête')).toBe('KNOWLEDGE_IMPORT_FRONT_MATTER');
    expect(fail('---\ntitle: [\n---\n## Étapes\nx')).toBe('KNOWLEDGE_IMPORT_FRONT_MATTER');
    expect(fail('---\nslug: A B\ntitle: t\n---\n## Étapes\nx')).toBe('KNOWLEDGE_IMPORT_FRONT_MATTER');
    expect(fail('---\nslug: ab\ntitle: t\n---\nintro\n## Étapes\nx')).toBe('KNOWLEDGE_IMPORT_SECTION_UNKNOWN');
    expect(fail('---\nslug: ab\ntitle: t\n---\n## Étapes\nx\n## etapes\ny')).toBe('KNOWLEDGE_IMPORT_SECTION_TWICE');
    expect(fail('---\nslug: ab\ntitle: t\n---\n## Etapes :\n[x](file:///etc/passwd)')).toBe('KNOWLEDGE_IMPORT_LINK');
    expect(fail('\uFEFF---\r\nslug: ab\r\ntitle: t\r\n---\r\n## ÉTAPES\r\nx')).toBe('ok');
  });
});

describe('diffs', () => {
  it('lists only the fields that changed, word by word', () => {
    const before = { title: 'A', summary: '', keywords: [], themes: [], sections: { ...sheet.sections } };
    const after = { ...before, sections: { ...sheet.sections, steps: '1. Faire vite\n2. Refaire\n\n### Sous-titre\n\nTexte' } };
    const changes = diffContents(before, after);
    expect(changes.map((c) => c.field)).toEqual(['steps']);
    expect(changes[0]!.parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['vite']);
    expect(changes[0]!.parts.map((p) => (p.kind === 'removed' ? '' : p.text)).join('')).toBe(after.sections.steps);
  });
});
