import { describe, expect, it, vi } from 'vitest';
import { fetchWorld, maxWorldBytes, readWorldFile, withoutWorldLink, worldBlob, worldFileName, worldLink, WorldTooBig } from './worldfile';

describe('world files', () => {
  it('a link names a file relative to the page, or absolute', () => {
    expect(worldLink('https://school.example/maillab/?world=worlds/7b.yaml')).toBe('https://school.example/maillab/worlds/7b.yaml');
    expect(worldLink('https://school.example/maillab/index.html?x=1&world=https%3A%2F%2Fother.example%2Fw.yaml#a')).toBe('https://other.example/w.yaml');
    expect(worldLink('https://school.example/maillab/?x=1')).toBe('');
    expect(withoutWorldLink('http://127.0.0.1:8025/?world=w.yaml&x=1#top')).toBe('/?x=1#top');
  });

  it('downloads as maillab-world.yaml', () => {
    const f = worldBlob('maillab-world: 1\n');
    expect(f.name).toBe(worldFileName);
    expect(f.name).toBe('maillab-world.yaml');
    expect(f.blob.size).toBe(17);
  });

  it('refuses a picked file over 16 MiB without reading it', async () => {
    const text = vi.fn(async () => 'x');
    await expect(readWorldFile({ size: maxWorldBytes + 1, text })).rejects.toBeInstanceOf(WorldTooBig);
    expect(text).not.toHaveBeenCalled();
    await expect(readWorldFile({ size: 1, text })).resolves.toBe('x');
  });

  it('fetches a linked file and says what went wrong', async () => {
    const ok = vi.fn(async () => new Response('maillab-world: 1\n', { status: 200 }));
    await expect(fetchWorld('https://s/w.yaml', ok as unknown as typeof fetch)).resolves.toBe('maillab-world: 1\n');
    const missing = vi.fn(async () => new Response('no', { status: 404, statusText: 'Not Found' }));
    await expect(fetchWorld('https://s/w.yaml', missing as unknown as typeof fetch)).rejects.toThrow('HTTP 404 Not Found');
    const huge = vi.fn(async () => new Response('x', { status: 200, headers: { 'Content-Length': String(maxWorldBytes + 1) } }));
    await expect(fetchWorld('https://s/w.yaml', huge as unknown as typeof fetch)).rejects.toBeInstanceOf(WorldTooBig);
  });
});
