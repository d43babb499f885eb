// Interface text comes from the Go side's catalog(lang). The syntax is the
// one of lessons/i18n (see lessons/i18n/message.go), a small subset of ICU
// MessageFormat:
//   {user}                                      the parameter's value
//   {count, plural, one {# message} other {# messages}}   a counted phrase
// A counted phrase picks its branch by an exact "=N" selector, else by the
// CLDR plural category of the number (Intl.PluralRules of the language:
// en/de one/other, pl one/few/many/other), else "other"; "#" in a branch is
// the number. A brace that does not open a well-formed argument is text.

import type { Msg } from './types';

export type Catalog = Record<string, string>;
export type Params = Record<string, string | number>;

export const pluralCategories = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'hash' }
  | { kind: 'param'; name: string; src: string }
  | { kind: 'plural'; name: string; src: string; cases: { selector: string; body: Node[] }[] };

const isDigit = (c: string) => c >= '0' && c <= '9';
const isNameChar = (c: string) => c === '_' || isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

class Parser {
  pos = 0;
  constructor(readonly s: string) {}

  message(inBranch: boolean): Node[] {
    const out: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push({ kind: 'text', text });
      text = '';
    };
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (c === '{') {
        const n = this.argument();
        if (n) {
          flush();
          out.push(n);
          continue;
        }
      } else if (c === '}' && inBranch) {
        break;
      } else if (c === '#' && inBranch) {
        flush();
        out.push({ kind: 'hash' });
        this.pos++;
        continue;
      }
      text += c;
      this.pos++;
    }
    flush();
    return out;
  }

  argument(): Node | null {
    const start = this.pos;
    const fail = () => {
      this.pos = start;
      return null;
    };
    this.pos++;
    this.space();
    const name = this.name();
    if (!name) return fail();
    this.space();
    if (this.eat('}')) return { kind: 'param', name, src: this.s.slice(start, this.pos) };
    if (!this.eat(',')) return fail();
    this.space();
    if (this.name() !== 'plural') return fail();
    this.space();
    if (!this.eat(',')) return fail();
    const cases: { selector: string; body: Node[] }[] = [];
    for (;;) {
      this.space();
      if (this.eat('}')) break;
      const selector = this.selector();
      if (!selector) return fail();
      this.space();
      if (!this.eat('{')) return fail();
      const body = this.message(true);
      if (!this.eat('}')) return fail();
      cases.push({ selector, body });
    }
    if (!cases.length) return fail();
    return { kind: 'plural', name, src: this.s.slice(start, this.pos), cases };
  }

  space(): void {
    while (this.pos < this.s.length && ' \t\n'.includes(this.s[this.pos])) this.pos++;
  }

  eat(tok: string): boolean {
    if (!this.s.startsWith(tok, this.pos)) return false;
    this.pos += tok.length;
    return true;
  }

  /** name: a letter or "_", then letters, digits and "_" */
  name(): string {
    const start = this.pos;
    while (this.pos < this.s.length && isNameChar(this.s[this.pos]) && (this.pos > start || !isDigit(this.s[this.pos]))) this.pos++;
    return this.s.slice(start, this.pos);
  }

  selector(): string {
    if (this.eat('=')) {
      const start = this.pos;
      while (this.pos < this.s.length && isDigit(this.s[this.pos])) this.pos++;
      return this.pos > start ? '=' + this.s.slice(start, this.pos) : '';
    }
    const n = this.name();
    return (pluralCategories as readonly string[]).includes(n) ? n : '';
  }
}

const parsed = new Map<string, Node[]>();

function parse(s: string): Node[] {
  let nodes = parsed.get(s);
  if (!nodes) {
    nodes = new Parser(s).message(false);
    parsed.set(s, nodes);
  }
  return nodes;
}

const rules = new Map<string, Intl.PluralRules>();

/** pluralCategory is the CLDR cardinal category of the number v in lang; "other" when v is not a number. */
export function pluralCategory(lang: string, v: string | number): string {
  const s = String(v).trim();
  if (!/^-?\d+(\.\d+)?$/.test(s)) return 'other';
  let r = rules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang);
    rules.set(lang, r);
  }
  // Intl.PluralRules treats "1.0" as 1 unless told about the visible fraction digits.
  const frac = s.split('.')[1]?.length ?? 0;
  return frac ? new Intl.PluralRules(lang, { minimumFractionDigits: frac }).select(Number(s)) : r.select(Number(s));
}

function render(lang: string, nodes: Node[], params: Params, hash: string): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'hash') out += hash;
    else if (!(n.name in params)) out += n.src;
    else if (n.kind === 'param') out += String(params[n.name]);
    else {
      const v = String(params[n.name]).trim();
      const cat = pluralCategory(lang, v);
      const c =
        n.cases.find((c) => c.selector === '=' + v) ??
        n.cases.find((c) => c.selector === cat) ??
        n.cases.find((c) => c.selector === 'other');
      out += c ? render(lang, c.body, params, v) : '';
    }
  }
  return out;
}

/** fill replaces {name} with params.name and chooses counted phrases' forms by lang's plural rules; unknown placeholders stay. */
export function fill(s: string, params?: Params, lang = 'en'): string {
  if (!params || !s.includes('{')) return s;
  return render(lang, parse(s), params, '');
}

/** placeholders lists the parameter names a text uses, sorted, each once (counted phrases and their branches included). */
export function placeholders(s: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n.kind === 'param' || n.kind === 'plural') names.add(n.name);
      if (n.kind === 'plural') n.cases.forEach((c) => walk(c.body));
    }
  };
  walk(parse(s));
  return [...names].sort();
}

/** countedPhrases lists each counted phrase of a text: its parameter and its selectors. */
export function countedPhrases(s: string): { param: string; selectors: string[] }[] {
  const out: { param: string; selectors: string[] }[] = [];
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n.kind !== 'plural') continue;
      out.push({ param: n.name, selectors: n.cases.map((c) => c.selector) });
      n.cases.forEach((c) => walk(c.body));
    }
  };
  walk(parse(s));
  return out;
}

/** translate looks key up in the catalog, falling back to the key itself so a gap shows; lang is the catalog's language. */
export function translate(cat: Catalog, key: string, params?: Params, lang = 'en'): string {
  return fill(cat[key] ?? key, params, lang);
}

export function translateMsg(cat: Catalog, m: Msg, lang = 'en'): string {
  return translate(cat, m.key, m.params, lang);
}

export const languages = ['en', 'de', 'pl'] as const;
export type Lang = (typeof languages)[number];

export function isLang(s: string | null | undefined): s is Lang {
  return !!s && (languages as readonly string[]).includes(s);
}
