import { describe, expect, it } from 'vitest';
import { normalizeSnapshot } from './snapshot';
import type { Snapshot } from './types';

describe('normalizeSnapshot', () => {
  it('turns null lists into empty ones', () => {
    const raw = {
      queue: [{ id: 'q', from: '', to: null, state: 'queued', attempts: 0 }],
      mailboxes: [{ domain: 'example.net', users: [{ address: 'bob@example.net', mailboxes: [{ name: 'INBOX', messages: [{ uid: 1, flags: null }] }] }] }],
      devices: null,
    } as unknown as Snapshot;
    const s = normalizeSnapshot(raw);
    expect(s.queue[0].to).toEqual([]);
    expect(s.mailboxes[0].users[0].mailboxes[0].messages[0].flags).toEqual([]);
    expect(s.devices).toEqual([]);
    expect(normalizeSnapshot(null)).toEqual({ queue: [], mailboxes: [], devices: [] });
  });
});
