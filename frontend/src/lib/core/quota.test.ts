import { describe, expect, it } from 'vitest';
import { octets, quotaView } from './quota';

describe('quotaView', () => {
  it.each([
    [{ used: 0, quota: 50 << 20 }, { percent: 0, level: 'ok', limited: true }],
    [{ used: 40 << 20, quota: 50 << 20 }, { percent: 80, level: 'high', limited: true }],
    [{ used: (50 << 20) - 100, quota: 50 << 20 }, { percent: 99, level: 'full', limited: true }],
    [{ used: 60 << 20, quota: 50 << 20 }, { percent: 100, level: 'full', limited: true }],
    [{ used: 123, quota: 0 }, { percent: 0, level: 'ok', limited: false }],
  ])('%j', (u, want) => {
    expect(quotaView(u)).toEqual(want);
  });
});

describe('octets', () => {
  it.each([
    [512, 'en', '512 B'],
    [3500, 'en', '3.4 KiB'],
    [50 << 20, 'en', '50 MiB'],
    [1.5 * (1 << 20), 'de', '1,5 MiB'],
    [1.5 * (1 << 20), 'pl', '1,5 MiB'],
  ])('%d in %s', (n, lang, want) => {
    expect(octets(n, lang)).toBe(want);
  });
});
