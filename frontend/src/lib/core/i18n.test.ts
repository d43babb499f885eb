/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countedPhrases, fill, languages, placeholders, pluralCategory, translate } from './i18n';

const bytesPL = '{n, plural, one {# bajt} few {# bajty} many {# bajtów} other {# bajta}}';
const unreadPL =
  '{count, plural, one {# wiadomość} few {# wiadomości} many {# wiadomości} other {# wiadomości}}, ' +
  '{unseen, plural, one {# nieprzeczytana} few {# nieprzeczytane} many {# nieprzeczytanych} other {# nieprzeczytanej}}';

describe('plural rules (CLDR, Intl.PluralRules)', () => {
  it.each([
    [0, 'many', '0 bajtów'],
    [1, 'one', '1 bajt'],
    [2, 'few', '2 bajty'],
    [5, 'many', '5 bajtów'],
    [12, 'many', '12 bajtów'],
    [22, 'few', '22 bajty'],
    [25, 'many', '25 bajtów'],
    [101, 'many', '101 bajtów'],
  ])('pl %d is %s: %s', (n, category, text) => {
    expect(pluralCategory('pl', n)).toBe(category);
    expect(fill(bytesPL, { n }, 'pl')).toBe(text);
    expect(fill(bytesPL, { n: String(n) }, 'pl')).toBe(text);
  });

  it.each([
    [1, '1 wiadomość, 1 nieprzeczytana'],
    [2, '2 wiadomości, 2 nieprzeczytane'],
    [5, '5 wiadomości, 5 nieprzeczytanych'],
    [22, '22 wiadomości, 22 nieprzeczytane'],
  ])('pl: two counted phrases in one text, %d', (n, text) => {
    expect(fill(unreadPL, { count: n, unseen: n }, 'pl')).toBe(text);
  });

  it('uses each language’s rules, exact values first, "other" for what is not a whole number', () => {
    const en = '{count, plural, =0 {no messages} one {# message} other {# messages}}';
    expect(fill(en, { count: 0 }, 'en')).toBe('no messages');
    expect(fill(en, { count: 1 }, 'en')).toBe('1 message');
    expect(fill(en, { count: 21 }, 'en')).toBe('21 messages');
    expect(fill('{n, plural, one {# Nachricht} other {# Nachrichten}}', { n: 1 }, 'de')).toBe('1 Nachricht');
    expect(fill(bytesPL, { n: '2.5' }, 'pl')).toBe('2.5 bajta');
    expect(fill(bytesPL, { n: '?' }, 'pl')).toBe('? bajta');
    expect(pluralCategory('en', '1.0')).toBe('other');
    expect(pluralCategory('pl', '1.5')).toBe('other');
    expect(translate({ k: bytesPL }, 'k', { n: 3 }, 'pl')).toBe('3 bajty');
  });

  it('leaves what is not an argument as text, like the Go side', () => {
    const p = { n: '3', size: '1569' };
    expect(fill('* {n} FETCH (BODY[] {1569}', p)).toBe('* 3 FETCH (BODY[] {1569}');
    expect(fill('a {missing} b', p)).toBe('a {missing} b');
    expect(fill('{n, plural, one {#} other {# {size}}} #', p)).toBe('3 1569 #');
    expect(fill('{n, plural, one {x}', p)).toBe('{n, plural, one {x}');
    expect(fill('{n, select, a {x} other {y}}', p)).toBe('{n, select, a {x} other {y}}');
    expect(fill('{missing, plural, one {#} other {#}}', p)).toBe('{missing, plural, one {#} other {#}}');
    expect(fill('{n, plural, =3 {three} few {# few} other {#}}', p, 'pl')).toBe('three');
    expect(placeholders('{count, plural, one {# in {mailbox}} other {# in {mailbox}, {unseen} new}} {count}')).toEqual([
      'count',
      'mailbox',
      'unseen',
    ]);
  });
});

// The catalogues the Go side sends: every counted phrase parses here too
// and has a branch for each category Intl.PluralRules knows in that language.
describe('the catalogues’ counted phrases', () => {
  const dir = join(__dirname, '..', '..', '..', '..', 'lessons', 'i18n', 'catalog');
  for (const lang of languages) {
    const cat = JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as Record<string, string>;
    const need = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
    const counted = Object.entries(cat).filter(([, s]) => s.includes(', plural,'));

    it(`${lang}: ${counted.length} counted phrases, each with ${need.join('/')}`, () => {
      expect(counted.length).toBeGreaterThan(10);
      for (const [key, s] of counted) {
        const phrases = countedPhrases(s);
        expect(phrases.length, key).toBeGreaterThan(0);
        for (const p of phrases) {
          const cats = p.selectors.filter((x) => !x.startsWith('=')).sort();
          expect(cats, `${lang} ${key} {${p.param}, plural, …}`).toEqual(need);
        }
        const params = Object.fromEntries(placeholders(s).map((n) => [n, '3']));
        for (const n of [0, 1, 2, 5, 12, 22, 25, 101]) {
          for (const p of phrases) params[p.param] = String(n);
          const out = fill(s, params, lang);
          expect(out, `${lang} ${key} with ${n}`).not.toMatch(/plural|[{}#]/);
        }
      }
    });
  }
});
