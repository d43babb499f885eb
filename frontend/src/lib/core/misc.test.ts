import { describe, expect, it } from 'vitest';
import { decodeBase64, hexRows, utf8Length, visibleText } from './bytes';
import { fill, isLang, translate } from './i18n';
import { shortcutFor } from './keys';

describe('bytes', () => {
  it('decodes base64 and dumps hex', () => {
    const b = decodeBase64(btoa('EHLO x\r\n'));
    expect(b.length).toBe(8);
    expect(hexRows(b)).toEqual([{ offset: '0000', hex: '45 48 4c 4f 20 78 0d 0a', text: 'EHLO x..' }]);
    expect(visibleText(b)).toBe('EHLO x\\r\\n');
    expect(decodeBase64('%%%')).toHaveLength(0);
    expect(decodeBase64(undefined)).toHaveLength(0);
    expect(hexRows(new Uint8Array(40), 32)).toHaveLength(2);
    expect(utf8Length('Grüße')).toBe(7);
  });
});

describe('i18n', () => {
  it('fills placeholders and falls back to the key', () => {
    expect(fill('Step {step} of {total}', { step: '2', total: '9' })).toBe('Step 2 of 9');
    expect(fill('{a} {b}', { a: 'x' })).toBe('x {b}');
    expect(translate({ k: 'v {x}' }, 'k', { x: '1' })).toBe('v 1');
    expect(translate({}, 'ui.missing')).toBe('ui.missing');
    expect(isLang('de')).toBe(true);
    expect(isLang('fr')).toBe(false);
  });
});

describe('shortcuts', () => {
  it.each([
    [{ key: ' ' }, 'step'],
    [{ key: 'ArrowRight' }, 'step'],
    [{ key: 'ArrowLeft' }, 'back'],
    [{ key: 'p' }, 'play'],
    [{ key: 'R' }, 'reset'],
    [{ key: '?' }, 'help'],
    [{ key: 'Escape' }, 'close'],
    [{ key: 'Home' }, 'first'],
    [{ key: 'x' }, null],
    [{ key: 'r', ctrlKey: true }, null],
    [{ key: ' ', targetTag: 'BUTTON' }, null],
    [{ key: 'ArrowLeft', targetTag: 'INPUT', targetType: 'range' }, null],
    [{ key: 'p', targetTag: 'INPUT', targetType: 'range' }, 'play'],
    [{ key: 'p', targetTag: 'INPUT', targetType: 'text' }, null],
    [{ key: 'ArrowRight', targetTag: 'SELECT' }, null],
    [{ key: '1' }, 'pick-1'],
    [{ key: '4', targetTag: 'BUTTON' }, 'pick-4'],
    [{ key: '5' }, null],
    [{ key: '2', targetTag: 'INPUT', targetType: 'text' }, null],
    [{ key: 'Enter' }, 'continue'],
    [{ key: 'Enter', targetTag: 'BUTTON' }, null],
  ])('%j → %s', (input, want) => expect(shortcutFor(input)).toBe(want));
});
