// Sequence (flow) diagram geometry, as Wireshark draws it: a lane per node,
// a row per line, packet or action.

import { laneOrder } from './nodes';
import type { MailEvent } from './types';

/** lanesOf lists the nodes that take part in the events, in the fixed lane order. */
export function lanesOf(events: readonly MailEvent[], order: readonly string[] = laneOrder): string[] {
  const seen = new Set<string>();
  for (const ev of events) {
    if (ev.kind === 'line' || ev.kind === 'packet') {
      if (ev.client) seen.add(ev.client);
      if (ev.server) seen.add(ev.server);
    } else if (ev.kind === 'action' && ev.actor) {
      seen.add(ev.actor);
    }
  }
  const known = order.filter((id) => seen.has(id));
  const rest = [...seen].filter((id) => !order.includes(id)).sort();
  return [...known, ...rest];
}

/** addLanes records the nodes ev brings into the diagram, with the seq they first appear at. */
export function addLanes(seen: Map<string, number>, ev: MailEvent): void {
  const add = (id: string | undefined) => id && !seen.has(id) && seen.set(id, ev.seq);
  if (ev.kind === 'line' || ev.kind === 'packet') {
    add(ev.client);
    add(ev.server);
  } else if (ev.kind === 'action') {
    add(ev.actor);
  }
}

/** laneFirstSeen records when each node first takes part, so the lanes of any step come cheaply. */
export function laneFirstSeen(events: readonly MailEvent[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const ev of events) addLanes(seen, ev);
  return seen;
}

/** lanesAt lists the lanes of the nodes seen up to seq, in lane order. */
export function lanesAt(seen: Map<string, number>, seq: number, order: readonly string[] = laneOrder): string[] {
  const ids = [...seen].filter(([, s]) => s <= seq).map(([id]) => id);
  const known = order.filter((id) => ids.includes(id));
  return [...known, ...ids.filter((id) => !order.includes(id)).sort()];
}

/** laneX is the centre of lane i when n lanes share width w. */
export function laneX(i: number, n: number, w: number): number {
  return ((i + 0.5) * w) / Math.max(1, n);
}

export interface Arrow {
  seq: number;
  kind: 'arrow' | 'note';
  x1: number;
  x2: number;
  /** points right (towards x2 > x1) */
  right: boolean;
}

/** arrowOf places one row: an arrow from sender to receiver, or a note on the actor's lane. */
export function arrowOf(ev: MailEvent, lanes: readonly string[], w: number): Arrow {
  const x = (id?: string): number => laneX(Math.max(0, lanes.indexOf(id ?? '')), lanes.length, w);
  if (ev.kind === 'action') {
    const a = x(ev.actor);
    return { seq: ev.seq, kind: 'note', x1: a, x2: a, right: true };
  }
  const [from, to] = ev.dir === 'S' ? [ev.server, ev.client] : [ev.client, ev.server];
  const x1 = x(from);
  const x2 = x(to);
  return { seq: ev.seq, kind: 'arrow', x1, x2, right: x2 >= x1 };
}
