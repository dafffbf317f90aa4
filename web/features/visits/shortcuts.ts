/**
 * The one-key shortcuts of the visit form: digits choose the channel (by physical key, so the top
 * row of a French AZERTY keyboard works without Shift), letters toggle the contact point's top
 * partners (A to H), its top themes (I to P) and what was done (Q to W), and choose the person's
 * autonomy (X to Z); Ctrl+Enter (or ⌘+Enter) saves. Nothing fires while the person is typing in a
 * text field or a list.
 */

export const PARTNER_KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;
export const THEME_KEYS = ['i', 'j', 'k', 'l', 'm', 'n', 'o', 'p'] as const;
export const ACTION_KEYS = ['q', 'r', 's', 't', 'u', 'v', 'w'] as const;
export const AUTONOMY_KEYS = ['x', 'y', 'z'] as const;

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
}

export type Shortcut =
  | { kind: 'save' }
  | { kind: 'channel'; index: number }
  | { kind: 'partner'; index: number }
  | { kind: 'theme'; index: number }
  | { kind: 'action'; index: number }
  | { kind: 'autonomy'; index: number };

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Whether keys typed in this element are text (then shortcuts stay quiet). */
export function isTypingTarget(target: { tagName?: string; type?: string; isContentEditable?: boolean } | null): boolean {
  if (!target?.tagName) return false;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
  return !!target.isContentEditable;
}

/** The shortcut a key press means, or null. `typing` is true when the focus is in a text field. */
export function shortcutOf(event: KeyLike, typing: boolean): Shortcut | null {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey) return { kind: 'save' };
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return null;
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  if (digit) return { kind: 'channel', index: Number(digit[1]) - 1 };
  const key = event.key.toLowerCase();
  const groups = [
    ['partner', PARTNER_KEYS],
    ['theme', THEME_KEYS],
    ['action', ACTION_KEYS],
    ['autonomy', AUTONOMY_KEYS],
  ] as const;
  for (const [kind, keys] of groups) {
    const index = (keys as readonly string[]).indexOf(key);
    if (index >= 0) return { kind, index };
  }
  return null;
}
