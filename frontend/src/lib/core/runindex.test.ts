import { describe, expect, it } from 'vitest';
import { connectionsOf, linesByConn, protocolsOf, transcriptRows } from './connections';
import { explain } from './explain';
import { findMessages, messagesAt } from './message';
import { lineRoles } from './protocol';
import { RunIndex } from './runindex';
import { laneFirstSeen } from './sequence';
import { sampleEvents } from './testdata';
import type { MailEvent } from './types';

/** batches cuts the events into pieces of the given sizes, round and round. */
function batches(events: readonly MailEvent[], sizes: number[]): MailEvent[][] {
  const out: MailEvent[][] = [];
  for (let i = 0, k = 0; i < events.length; k++) {
    const n = sizes[k % sizes.length];
    out.push(events.slice(i, i + n));
    i += n;
  }
  return out;
}

describe('RunIndex (append-only)', () => {
  for (const sizes of [[1], [3, 7], [500]]) {
    it(`equals the whole-history computation, batches of ${sizes.join('/')}`, () => {
      const ix = new RunIndex();
      for (const b of batches(sampleEvents, sizes)) ix.addAll(b);
      const conns = connectionsOf(sampleEvents);
      expect(ix.conns).toEqual(conns);
      expect(ix.byConn).toEqual(linesByConn(sampleEvents));
      expect(ix.laneSeen).toEqual(laneFirstSeen(sampleEvents));
      expect(ix.protocols).toEqual(protocolsOf(conns));
      expect(ix.rows).toEqual(transcriptRows(sampleEvents, conns));
      expect(ix.messages).toEqual(findMessages(sampleEvents));
    });
  }

  it('keeps each line role, so explain() needs no earlier lines', () => {
    const ix = new RunIndex();
    ix.addAll(sampleEvents);
    for (const [, lines] of ix.byConn) {
      const roles = lineRoles(lines[0].proto ?? '', lines);
      lines.forEach((ev, i) => expect(ix.roleOf(ev.seq)).toBe(roles[i]));
      for (const ev of lines) expect(explain(ev, { role: ix.roleOf(ev.seq) })).toEqual(explain(ev, { previous: lines.filter((l) => l.seq < ev.seq) }));
    }
  });

  it('rebuilds rows for another filter and forgets everything on reset', () => {
    const ix = new RunIndex();
    ix.addAll(sampleEvents);
    const filter = { hidden: new Set(['submission']), tls: true };
    ix.setFilter(filter, sampleEvents);
    expect(ix.rows).toEqual(transcriptRows(sampleEvents, connectionsOf(sampleEvents), filter));
    ix.reset();
    expect(ix.rows).toEqual([]);
    expect(ix.conns.size).toBe(0);
    expect(ix.messages).toEqual([]);
    expect(ix.filter).toBe(filter);
  });

  it('marks the end of the scenario', () => {
    const end = sampleEvents.find((e) => e.code === 'state.run-finished')!;
    const ix = new RunIndex();
    ix.addAll(sampleEvents.filter((e) => e.seq < end.seq));
    expect(ix.finishedSeq).toBe(0);
    ix.add(end);
    expect(ix.finishedSeq).toBe(end.seq);
  });

  it('shows a message being received as a copy that grows', () => {
    const ix = new RunIndex();
    const data = sampleEvents.findIndex((e) => e.text === 'Hi Bob,');
    ix.addAll(sampleEvents.slice(0, data));
    const before = messagesAt(ix.messages, Infinity)[0];
    ix.addAll(sampleEvents.slice(data, data + 3));
    const after = messagesAt(ix.messages, Infinity)[0];
    expect(after).not.toBe(before);
    expect(after.lines.length).toBe(before.lines.length + 3);
    expect(before.complete).toBe(false);
  });

  it('costs O(batch): 20,000 events, then one more batch is cheap', () => {
    const body = sampleEvents.find((e) => e.text === 'Hi Bob,')!;
    const head = sampleEvents.slice(0, sampleEvents.indexOf(body));
    const flood = Array.from({ length: 20000 }, (_, i) => ({ ...body, seq: 10000 + i, text: `line ${i}` }));
    const ix = new RunIndex();
    ix.addAll(head);
    ix.addAll(flood.slice(0, 19500));
    const t0 = performance.now();
    for (let k = 0; k < 10; k++) ix.addAll(flood.slice(19500 + k * 50, 19550 + k * 50));
    const perBatch = (performance.now() - t0) / 10;
    expect(ix.rows.length).toBeGreaterThan(20000);
    expect(perBatch).toBeLessThan(5); // a whole-history pass over 20,000 events takes far longer
  });
});
