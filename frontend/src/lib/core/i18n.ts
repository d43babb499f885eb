// Interface text comes from the Go side's catalog(lang). Placeholders look
// like "{user}", the same syntax as lessons/i18n.

import type { Msg } from './types';

export type Catalog = Record<string, string>;

const placeholder = /\{([a-zA-Z0-9_]+)\}/g;

/** fill replaces {name} with params.name; unknown placeholders stay. */
export function fill(s: string, params?: Record<string, string>): string {
  if (!params) return s;
  return s.replace(placeholder, (m, name: string) => (name in params ? params[name] : m));
}

/** translate looks key up in the catalog, falling back to the key itself so a gap shows. */
export function translate(cat: Catalog, key: string, params?: Record<string, string>): string {
  return fill(cat[key] ?? key, params);
}

export function translateMsg(cat: Catalog, m: Msg): string {
  return translate(cat, m.key, m.params);
}

export const languages = ['en', 'de', 'pl'] as const;
export type Lang = (typeof languages)[number];

export function isLang(s: string | null | undefined): s is Lang {
  return !!s && (languages as readonly string[]).includes(s);
}
