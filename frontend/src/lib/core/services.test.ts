import { describe, expect, it } from 'vitest';
import { connectionsAt, connectionsOf, connectionsView, type ConnInfo } from './connections';
import { defaultNodes } from './nodes';
import { RunIndex } from './runindex';
import { ServiceIndex } from './services';
import { sampleEvents } from './testdata';
import { edgeKey, edgesOf, layoutNodes, type Edge } from './topology';
import type { MailEvent } from './types';

const boxes = layoutNodes(defaultNodes);
/** an edge without its list of connections (a service's stand-in lists only itself) */
const bare = ({ conns: _, ...e }: Edge) => e;

/**
 * A run of the live world in short: many connections of a few services,
 * with ids out of order, encryption that comes later, addresses that change,
 * and a connection whose server and protocol come with its second event.
 */
function manyConnections(): MailEvent[] {
  const evs: MailEvent[] = [];
  let seq = 0;
  const services = [
    { client: 'alice-laptop', server: 'smtp.example.org', proto: 'submission', port: 587 },
    { client: 'smtp.example.org', server: 'mx.example.net', proto: 'smtp', port: 25 },
    { client: 'bob-laptop', server: 'mail.example.net', proto: 'imap', port: 143 },
    { client: 'bob-phone', server: 'mail.example.net', proto: 'pop3', port: 110 },
  ];
  // Used from the 60th connection on, and by the 50th, which says so only with the 100th.
  const later = { client: 'bob-laptop', server: 'mail.example.net', proto: 'pop3', port: 995 };
  const late = { client: 'alice-laptop', server: 'smtp.example.org', proto: 'submission', port: 465 };
  const open: { conn: number; s: typeof later; k: number }[] = [];
  for (let k = 0; k < 120; k++) {
    const s = k >= 60 && k % 6 === 0 ? later : services[(k * 7) % services.length];
    const conn = k % 5 === 0 ? 1000 - k : k + 1; // ids do not always grow
    const addr = k % 3 ? `127.0.0.1:${20000 + (k % 4)}` : '';
    if (k === 50) {
      // The first event knows only the client; the rest comes much later.
      evs.push({ seq: ++seq, kind: 'open', conn, client: late.client, dir: 'C' });
    } else {
      evs.push({ seq: ++seq, kind: 'open', conn, ...s, addr, dir: 'C' });
      open.push({ conn, s, k });
    }
    if (k === 100) evs.push({ seq: ++seq, kind: 'line', conn: 950, ...late, addr: '127.0.0.1:465', dir: 'C', text: 'EHLO x' });
    // Some lines on the connections still open, some encrypted, some closing.
    for (const o of open.slice(-3)) {
      evs.push({ seq: ++seq, kind: 'line', conn: o.conn, ...o.s, dir: 'S', text: '250 ok', encrypted: (o.k + k) % 4 === 0 });
    }
    if (k % 2) evs.push({ seq: ++seq, kind: 'close', conn: open[open.length - 2].conn, dir: 'C' });
  }
  return evs;
}

describe('ServiceIndex (the topology edges, one batch at a time)', () => {
  for (const [name, events] of [
    ['the sample run', sampleEvents],
    ['120 connections of 4 services', manyConnections()],
  ] as const) {
    it(`equals edgesOf(connectionsAt(...)) at every step: ${name}`, () => {
      const ix = new RunIndex();
      for (let i = 0; i < events.length; i += 7) ix.addAll(events.slice(i, i + 7));
      const all = connectionsOf(events);
      for (const seq of [0, ...events.map((e) => e.seq), Infinity]) {
        const scratch = edgesOf(connectionsAt(all, seq).values(), boxes);
        expect(edgesOf(ix.servicesAt(seq), boxes).map(bare)).toEqual(scratch.map(bare));
        for (const e of scratch) for (const c of e.conns) expect(ix.serviceOf(c)).toBe(e.key);
      }
    });
  }

  it('follows the index as it grows: the head after each batch', () => {
    const events = manyConnections();
    const ix = new RunIndex();
    for (let i = 0; i < events.length; i += 13) {
      const upto = events.slice(0, i + 13);
      ix.addAll(events.slice(i, i + 13));
      const scratch = edgesOf(connectionsOf(upto).values(), boxes);
      expect(edgesOf(ix.servicesAt(Infinity), boxes).map(bare)).toEqual(scratch.map(bare));
    }
  });

  it('moves a connection whose service becomes known later', () => {
    const s = new ServiceIndex();
    const c: ConnInfo = { conn: 7, client: 'a', server: '', proto: '', port: 0, addr: '', clientAddr: '', openSeq: 1, closed: false, encrypted: false, closeSeq: 0, encryptedSeq: 0 };
    s.update(c);
    expect(s.serviceOf(7)).toBe('a|||0');
    Object.assign(c, { server: 'b', proto: 'smtp', port: 25, addr: 'x:25' });
    s.update(c);
    expect(s.serviceOf(7)).toBe(edgeKey(c));
    expect(s.at(Infinity)).toEqual([c]);
    s.reset();
    expect(s.at(Infinity)).toEqual([]);
  });
});

describe('connectionsView', () => {
  const all = connectionsOf(manyConnections());
  it('reads like connectionsAt at every step', () => {
    for (const seq of [0, 1, 2, 50, 100, 101, 250, 400, Infinity]) {
      const want = connectionsAt(all, seq);
      const v = connectionsView(all, seq);
      expect([...v.values()]).toEqual([...want.values()]);
      for (const id of [...all.keys(), -1]) expect(v.get(id)).toEqual(want.get(id));
    }
  });
});
