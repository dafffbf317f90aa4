import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutOf } from './shortcuts.ts';

const press = (key: string, code: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key,
  code,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('the visit form shortcuts', () => {
  it('reads the channel from the physical digit key, so AZERTY’s top row works without Shift', () => {
    expect(shortcutOf(press('1', 'Digit1'), false)).toEqual({ kind: 'channel', index: 0 });
    expect(shortcutOf(press('&', 'Digit1'), false)).toEqual({ kind: 'channel', index: 0 });
    expect(shortcutOf(press('6', 'Numpad6'), false)).toEqual({ kind: 'channel', index: 5 });
  });

  it('toggles partners with A–H, themes with I–P, actions with Q–W and picks the autonomy with X–Z, in either case', () => {
    expect(shortcutOf(press('a', 'KeyQ'), false)).toEqual({ kind: 'partner', index: 0 });
    expect(shortcutOf(press('H', 'KeyH'), false)).toEqual({ kind: 'partner', index: 7 });
    expect(shortcutOf(press('i', 'KeyI'), false)).toEqual({ kind: 'theme', index: 0 });
    expect(shortcutOf(press('p', 'KeyP'), false)).toEqual({ kind: 'theme', index: 7 });
    expect(shortcutOf(press('q', 'KeyA'), false)).toEqual({ kind: 'action', index: 0 });
    expect(shortcutOf(press('w', 'KeyZ'), false)).toEqual({ kind: 'action', index: 6 });
    expect(shortcutOf(press('X', 'KeyX'), false)).toEqual({ kind: 'autonomy', index: 0 });
    expect(shortcutOf(press('z', 'KeyW'), false)).toEqual({ kind: 'autonomy', index: 2 });
    expect(shortcutOf(press('é', 'Digit2'), false)).toEqual({ kind: 'channel', index: 1 });
    expect(shortcutOf(press('-', 'Minus'), false)).toBeNull();
  });

  it('stays quiet while typing or with a modifier, except Ctrl+Enter which saves everywhere', () => {
    expect(shortcutOf(press('a', 'KeyQ'), true)).toBeNull();
    expect(shortcutOf(press('1', 'Digit1'), true)).toBeNull();
    expect(shortcutOf(press('a', 'KeyQ', { ctrlKey: true }), false)).toBeNull();
    expect(shortcutOf(press('Enter', 'Enter', { ctrlKey: true }), true)).toEqual({ kind: 'save' });
    expect(shortcutOf(press('Enter', 'Enter', { metaKey: true }), false)).toEqual({ kind: 'save' });
    expect(shortcutOf(press('Enter', 'Enter'), false)).toBeNull();
  });

  it('counts text inputs, text areas, lists and editable regions as typing; boxes and buttons not', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'datetime-local' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
