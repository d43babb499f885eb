// What the web edition shows around the app, before and beside the Go side:
// the loading screen's texts and figures. Plain TypeScript under
// WebShell.svelte; its words come from the ui.web.* keys of the catalogs,
// built in (virtual:maillab-web-strings), because the catalog the app
// normally asks the Go side for is not there yet.

import strings from 'virtual:maillab-web-strings';
import type { LoadState } from '../bridge/wasm';
import { isLang, translate, type Lang } from '../core/i18n';

/** shellLang: the language the app will start in (the saved choice, else the browser's). */
export function shellLang(saved: string | null, navLang: string): Lang {
  try {
    const p = JSON.parse(saved ?? '{}') as { lang?: string };
    if (isLang(p.lang)) return p.lang;
  } catch {
    // no or broken preferences: the browser's language decides
  }
  const nav = navLang.slice(0, 2);
  return isLang(nav) ? nav : 'en';
}

export const webT = (lang: string, key: string, params?: Record<string, string>): string =>
  strings[lang] ? translate(strings[lang], key, params, lang) : translate(strings.en ?? {}, key, params, 'en');

/** megabytes: "3.8 MB" in the language's number format. */
export function megabytes(n: number, lang: string): string {
  const mb = n / 1_000_000;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(mb)} MB`;
}

/** loadText is the line under the progress bar. */
export function loadText(s: LoadState, lang: string): string {
  if (s.phase === 'failed') return webT(lang, `ui.web.error.${s.code}`, { detail: s.detail });
  if (s.phase === 'ready') return '';
  const { loaded, total } = s.progress;
  if (total > 0 && loaded >= total) return webT(lang, 'ui.web.loading.starting');
  if (total > 0) return webT(lang, 'ui.web.loading.bytes', { loaded: megabytes(loaded, lang), total: megabytes(total, lang) });
  return webT(lang, 'ui.web.loading.bytes-open', { loaded: megabytes(loaded, lang) });
}

/** fraction of the download done, 0…1; null while the size is unknown. */
export function loadFraction(s: LoadState): number | null {
  if (s.phase !== 'loading' || s.progress.total <= 0) return s.phase === 'loading' ? null : 1;
  return Math.min(1, s.progress.loaded / s.progress.total);
}
