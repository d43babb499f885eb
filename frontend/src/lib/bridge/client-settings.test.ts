import { describe, expect, it, vi } from 'vitest';
import { clientSettingsFixture } from '../testing/client-settings';
import { httpBridge, type HttpDeps } from './http';
import { now } from './queue';
import { goName, wailsBridge } from './wails';

describe('clientSettings', () => {
  it('HTTP: a read-only call, so a viewer without the token may ask too', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ result: clientSettingsFixture }), { status: 200 }));
    const b = httpBridge({
      fetch: fetch as unknown as typeof globalThis.fetch,
      EventSource: class {} as unknown as typeof EventSource,
      location: { href: 'http://h/', search: '' },
      storage: { getItem: () => null, setItem: () => {} },
      schedule: now,
    } satisfies HttpDeps);
    expect(b.canControl).toBe(false);
    await expect(b.clientSettings('pl')).resolves.toEqual(clientSettingsFixture);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/call/clientSettings');
    expect(JSON.parse(String(init.body)).args).toEqual(['pl']);
  });

  it('Wails: App.ClientSettings(lang)', async () => {
    const ClientSettings = vi.fn(async () => clientSettingsFixture);
    const b = wailsBridge({ go: { app: { App: { ClientSettings } } } }, now);
    await expect(b.clientSettings('de')).resolves.toEqual(clientSettingsFixture);
    expect(ClientSettings).toHaveBeenCalledWith('de');
    expect(goName('clientSettings')).toBe('ClientSettings');
  });
});
