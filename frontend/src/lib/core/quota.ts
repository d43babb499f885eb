// What the mailboxes panel shows of an account's quota: how full it is, as
// a share, a level (a colour and, at "full", a word) and octets in binary
// units, as the servers count them (the default quota is 50 MiB).

import type { Usage } from './types';

export type QuotaLevel = 'ok' | 'high' | 'full';

export interface QuotaView {
  /** 0–100, rounded down so that 100 means really full; 0 without a quota */
  percent: number;
  level: QuotaLevel;
  limited: boolean;
}

/** quotaView: at 80 % a mailbox is nearly full, at 95 % the next message will likely not fit. */
export function quotaView(u: Usage): QuotaView {
  if (!(u.quota > 0)) return { percent: 0, level: 'ok', limited: false };
  const share = Math.min(Math.max(u.used / u.quota, 0), 1);
  const level: QuotaLevel = share >= 0.95 ? 'full' : share >= 0.8 ? 'high' : 'ok';
  return { percent: Math.floor(share * 100), level, limited: true };
}

/** octets: "512 B", "3.4 KiB", "50 MiB" in the language's number format. */
export function octets(n: number, lang: string): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = Math.max(n, 0);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || Number.isInteger(v) ? 0 : 1;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v)} ${units[i]}`;
}
