import MarkdownIt from 'markdown-it';

/**
 * Markdown of answer sheets, rendered on the server to HTML that is safe by construction:
 * raw HTML is not recognised (it comes out as text), images are not rendered (no tracking
 * pixels, no broken layouts), links must be http(s), mailto or tel and open in a new window,
 * and headings start at level 3 because a sheet's sections are level 2 on the page.
 */
type Tokens = ReturnType<InstanceType<typeof MarkdownIt>['parse']>;

const md = new MarkdownIt('commonmark', { html: false, linkify: true, breaks: false });
md.enable(['linkify', 'strikethrough', 'table']);
md.disable(['image']);

export const SAFE_LINK = /^(https?:\/\/|mailto:|tel:)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  const href = String(token.attrGet('href') ?? '');
  if (/^https?:/i.test(href)) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer');
    token.attrSet('title', `${linkTitle(tokens, idx)} – nouvelle fenêtre`);
  }
  return self.renderToken(tokens, idx, options);
};

/** The text of a link (up to its closing token), for its title attribute. */
function linkTitle(tokens: Tokens, idx: number): string {
  let text = '';
  for (let i = idx + 1; i < tokens.length && tokens[i]!.type !== 'link_close'; i++) text += tokens[i]!.content;
  return text.trim();
}

const shiftHeading = (tokens: Tokens) => {
  for (const t of tokens) {
    if (t.type === 'heading_open' || t.type === 'heading_close') {
      const level = Math.min(6, Math.max(3, Number(t.tag.slice(1)) + 2));
      t.tag = `h${level}`;
    }
  }
};

export function renderMarkdown(source: string): string {
  if (!source.trim()) return '';
  const tokens = md.parse(source, {});
  shiftHeading(tokens);
  return md.renderer.render(tokens, md.options, {});
}

/** The words of a Markdown text without its syntax (for search and excerpts). */
export function plainText(source: string): string {
  if (!source.trim()) return '';
  const out: string[] = [];
  for (const block of md.parse(source, {})) {
    if (block.type === 'inline') {
      for (const child of block.children ?? []) {
        if (child.type === 'text' || child.type === 'code_inline') out.push(child.content);
        else if (child.type === 'softbreak' || child.type === 'hardbreak') out.push(' ');
      }
      out.push('\n');
    } else if (block.type === 'code_block' || block.type === 'fence') out.push(block.content, '\n');
  }
  return out
    .join('')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

/** Every link target of a Markdown text, for checks on import. */
export function linksOf(source: string): string[] {
  const urls: string[] = [];
  const re = /\]\(\s*<?([^)\s>]+)>?/g;
  for (const m of source.matchAll(re)) urls.push(m[1]!);
  return urls;
}
