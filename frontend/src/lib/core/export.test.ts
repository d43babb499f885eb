import { describe, expect, it, vi } from 'vitest';
import { download, effectiveRequest, exportPath, fallbackName, fileBlob, filenameFrom } from './export';

describe('effectiveRequest', () => {
  it('keys only for a capture, and keys imply secrets', () => {
    expect(effectiveRequest({ kind: 'pcapng', lang: 'de', keys: true, secrets: false }, true)).toEqual({
      kind: 'pcapng',
      lang: 'de',
      keys: true,
      secrets: true,
    });
    expect(effectiveRequest({ kind: 'text', lang: 'en', keys: true, secrets: false }, true)).toMatchObject({ keys: false, secrets: false });
  });
  it('a viewer gets neither keys nor secrets', () => {
    expect(effectiveRequest({ kind: 'pcapng', lang: 'en', keys: true, secrets: true }, false)).toMatchObject({ keys: false, secrets: false });
  });
});

describe('exportPath', () => {
  it('asks only for what is wanted, never a token', () => {
    expect(exportPath({ kind: 'markdown', lang: 'pl', keys: false, secrets: false })).toBe('/api/export/markdown?lang=pl');
    expect(exportPath({ kind: 'pcapng', lang: 'en', keys: true, secrets: true })).toBe('/api/export/pcapng?lang=en&keys=1&secrets=1');
  });
});

describe('file names', () => {
  it('fallbackName has the scenario and a local time stamp', () => {
    expect(fallbackName('text', 'send-pop3', new Date(2026, 10, 3, 9, 5, 7))).toBe('maillab-send-pop3-20261103-090507.txt');
    expect(fallbackName('pcapng', '', new Date(2026, 0, 1, 0, 0, 0))).toBe('maillab-run-20260101-000000.pcapng');
  });
  it.each([
    ['attachment; filename=maillab-send-pop3-20261103-090507.md', 'maillab-send-pop3-20261103-090507.md'],
    ['attachment; filename="x.pcapng"', 'x.pcapng'],
    ["attachment; filename*=UTF-8''a%20b.txt", 'fallback.txt'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="<img>.md"', 'fallback.txt'],
    [null, 'fallback.txt'],
  ])('filenameFrom(%s)', (header, want) => {
    expect(filenameFrom(header, 'fallback.txt')).toBe(want);
  });
});

/** bytesOf reads a blob the way jsdom can (its Blob has no arrayBuffer()). */
function bytesOf(b: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(new Uint8Array(r.result as ArrayBuffer));
    r.onerror = () => reject(r.error);
    r.readAsArrayBuffer(b);
  });
}

describe('fileBlob and download', () => {
  it('decodes the base64 content with its type', async () => {
    const f = fileBlob({ name: 'a.pcapng', mime: 'application/x-pcapng', base64: btoa('\x0a\x0d\x0d\x0a') });
    expect(f.name).toBe('a.pcapng');
    expect(f.blob.type).toBe('application/x-pcapng');
    expect([...(await bytesOf(f.blob))]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
  });
  it('clicks a link with download set and removes it', () => {
    const create = vi.fn(() => 'blob:x');
    const revoke = vi.fn();
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
    const clicked: HTMLAnchorElement[] = [];
    const spy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    vi.useFakeTimers();
    download({ name: 'run.md', blob: new Blob(['# x']) });
    expect(clicked).toHaveLength(1);
    expect(clicked[0].download).toBe('run.md');
    expect(clicked[0].href).toBe('blob:x');
    expect(document.querySelector('a[download]')).toBeNull();
    vi.runAllTimers();
    expect(revoke).toHaveBeenCalledWith('blob:x');
    vi.useRealTimers();
    spy.mockRestore();
  });
});
