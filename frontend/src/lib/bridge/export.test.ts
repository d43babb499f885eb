import { describe, expect, it, vi } from 'vitest';
import { httpBridge, tokenHeader, type HttpDeps } from './http';
import { now } from './queue';
import { wailsBridge, type WailsWindow } from './wails';

function deps(href: string, respond: () => Response): HttpDeps & { fetch: ReturnType<typeof vi.fn> } {
  const m = new Map<string, string>();
  return {
    fetch: vi.fn(async () => respond()),
    EventSource: class {} as unknown as typeof EventSource,
    location: { href, search: new URL(href).search },
    storage: { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) },
    replaceUrl: vi.fn(),
    schedule: now,
  } as unknown as HttpDeps & { fetch: ReturnType<typeof vi.fn> };
}

const req = { kind: 'pcapng' as const, lang: 'de', keys: true, secrets: true };

describe('export over HTTP', () => {
  it('fetches the download route with the token in a header and names the file from the response', async () => {
    const d = deps('http://h/?token=s3cret', () =>
      new Response('pcap', { status: 200, headers: { 'Content-Disposition': 'attachment; filename=maillab-tls-20261123-100000.pcapng' } }),
    );
    const b = httpBridge(d);
    const file = await b.export(req);
    const [url, init] = d.fetch.mock.calls[0];
    expect(url).toBe('/api/export/pcapng?lang=de&keys=1&secrets=1');
    expect(url).not.toContain('s3cret');
    expect(init.headers[tokenHeader]).toBe('s3cret');
    expect(file.name).toBe('maillab-tls-20261123-100000.pcapng');
    expect(file.blob.size).toBe(4);
    expect(b.saveExport).toBeUndefined();
  });

  it('says what the server refused', async () => {
    const d = deps('http://h/', () => new Response(JSON.stringify({ error: 'only the teacher' }), { status: 403 }));
    await expect(httpBridge(d).export(req)).rejects.toThrow('only the teacher');
  });
});

describe('export in the desktop app', () => {
  it('calls Export and SaveExport with the four arguments', async () => {
    const Export = vi.fn(async () => ({ name: 'a.md', mime: 'text/markdown; charset=utf-8', base64: btoa('# a') }));
    const SaveExport = vi.fn(async () => '/home/bob/a.md');
    const w: WailsWindow = { go: { app: { App: { Export, SaveExport } } } };
    const b = wailsBridge(w, now);
    const file = await b.export({ kind: 'markdown', lang: 'pl', keys: false, secrets: false });
    expect(Export).toHaveBeenCalledWith('markdown', 'pl', false, false);
    expect(file.name).toBe('a.md');
    expect(file.blob.type).toBe('text/markdown; charset=utf-8');
    await expect(b.saveExport?.(req)).resolves.toBe('/home/bob/a.md');
    expect(SaveExport).toHaveBeenCalledWith('pcapng', 'de', true, true);
  });
});
