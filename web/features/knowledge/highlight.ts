import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../../contracts/knowledge.ts';

export interface HighlightPart {
  text: string;
  highlighted: boolean;
}

/**
 * Splits a highlighted text of the API (matched words between HIGHLIGHT_START and HIGHLIGHT_END)
 * into parts, to render the matched ones as <mark> without ever building HTML. A start without its
 * end highlights up to the end of the text; a stray end or a nested start is dropped.
 */
export function splitHighlight(text: string): HighlightPart[] {
  const parts: HighlightPart[] = [];
  let highlighted = false;
  let current = '';
  const push = () => {
    if (!current) return;
    const last = parts.at(-1);
    if (last && last.highlighted === highlighted) last.text += current;
    else parts.push({ text: current, highlighted });
    current = '';
  };
  for (const char of text) {
    if (char === HIGHLIGHT_START || char === HIGHLIGHT_END) {
      const opening = char === HIGHLIGHT_START;
      if (opening !== highlighted) {
        push();
        highlighted = opening;
      }
      continue;
    }
    current += char;
  }
  push();
  return parts;
}

/** The text without its markers (for a title attribute or a comparison). */
export const plainText = (text: string) =>
  splitHighlight(text)
    .map((p) => p.text)
    .join('');
