import { describe, expect, it, vi } from 'vitest';
import { WorldTooBig } from '../core/worldfile';
import { fetchLinked, LinkError, openFailed } from './opening';

const keys = { fail: 'ui.world.open-failed', link: 'ui.world.link-unreachable' };

describe('opening a file a link names', () => {
  it('says a file that never arrived is unreachable, and why', async () => {
    const notFound = vi.fn(async () => new Response('gone', { status: 404, statusText: 'Not Found' }));
    const e = await fetchLinked('http://x/w.yaml', notFound as unknown as typeof fetch, 'too big').catch((x) => x);
    expect(e).toBeInstanceOf(LinkError);
    expect(openFailed(e, keys, 'http://x/w.yaml', 'too big')).toEqual({
      kind: 'bad',
      key: 'ui.world.link-unreachable',
      params: { url: 'http://x/w.yaml' },
      detail: 'HTTP 404 Not Found',
    });
    const huge = vi.fn(async () => new Response('x', { headers: { 'Content-Length': String(64 << 20) } }));
    const big = await fetchLinked('http://x/big.yaml', huge as unknown as typeof fetch, 'too big').catch((x) => x);
    expect(openFailed(big, keys, 'http://x/big.yaml', 'too big').detail).toBe('too big');
  });

  it('says a file that arrived but is wrong is refused, and a picked file over the limit is too big', async () => {
    const ok = vi.fn(async () => new Response('maillab-world: 1'));
    await expect(fetchLinked('http://x/w.yaml', ok as unknown as typeof fetch, 'too big')).resolves.toBe('maillab-world: 1');
    expect(openFailed(new Error('line 3: unknown key'), keys, 'w.yaml', 'too big')).toEqual({
      kind: 'bad',
      key: 'ui.world.open-failed',
      params: { url: 'w.yaml' },
      detail: 'line 3: unknown key',
    });
    expect(openFailed(new WorldTooBig(), keys, 'w.yaml', 'too big')).toMatchObject({ key: 'ui.world.open-failed', detail: 'too big' });
  });
});
