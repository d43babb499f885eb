import { describe, expect, it, vi } from 'vitest';
import { httpBridge, type HttpDeps } from './http';
import { now } from './queue';
import { goName, wailsBridge } from './wails';

const verdict = { done: true, count: 1, subject: 'Typed by hand', from: 'student@example.com', key: 'ui.exercise.done', params: {} };

describe('checkExercise', () => {
  it('HTTP: posts the lesson id, without needing the token', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ result: verdict }), { status: 200 }));
    const d = {
      fetch,
      EventSource: class {} as unknown as typeof EventSource,
      location: { href: 'http://h/', search: '' },
      storage: { getItem: () => null, setItem: () => {} },
      schedule: now,
    } as unknown as HttpDeps;
    const b = httpBridge(d);
    expect(b.canControl).toBe(false);
    await expect(b.checkExercise('smtp-by-hand')).resolves.toEqual(verdict);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/call/checkExercise');
    expect(JSON.parse(init.body as string)).toEqual({ args: ['smtp-by-hand'] });
  });

  it('Wails: calls App.CheckExercise', async () => {
    const CheckExercise = vi.fn(async () => verdict);
    const b = wailsBridge({ go: { app: { App: { CheckExercise } } } }, now);
    await expect(b.checkExercise('smtp-by-hand')).resolves.toEqual(verdict);
    expect(CheckExercise).toHaveBeenCalledWith('smtp-by-hand');
    expect(goName('checkExercise')).toBe('CheckExercise');
  });
});
