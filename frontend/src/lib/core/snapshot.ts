// The Go side encodes empty slices as null; the panels want arrays.

import type { Snapshot } from './types';

const arr = <T>(a: T[] | null | undefined): T[] => a ?? [];

/** normalizeSnapshot replaces every null list of a snapshot with an empty one. */
export function normalizeSnapshot(s: Partial<Snapshot> | null | undefined): Snapshot {
  return {
    queue: arr(s?.queue).map((q) => ({ ...q, to: arr(q.to), toAddresses: arr(q.toAddresses) })),
    mailboxes: arr(s?.mailboxes).map((d) => ({
      ...d,
      users: arr(d.users).map((u) => ({
        ...u,
        mailboxes: arr(u.mailboxes).map((mb) => ({
          ...mb,
          messages: arr(mb.messages).map((m) => ({ ...m, flags: arr(m.flags) })),
        })),
      })),
    })),
    devices: arr(s?.devices).map((d) => ({ ...d, messages: arr(d.messages) })),
  };
}
