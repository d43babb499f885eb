import { describe, expect, it } from 'vitest';
import { connectionLines, connectionsAt, connectionsOf, linesByConn, protocolsOf, transcriptRows, upTo } from './connections';
import { sampleEvents } from './testdata';

describe('connections and transcript rows', () => {
  const conns = connectionsOf(sampleEvents);

  it('collects each connection with its endpoints', () => {
    expect([...conns.keys()]).toEqual([1, 2, 3, 4]);
    const c = conns.get(1)!;
    expect(c).toMatchObject({ client: 'alice-laptop', server: 'smtp.example.org', proto: 'submission', port: 587, closed: true, encrypted: true });
    expect(conns.get(3)!.encrypted).toBe(false);
    expect(protocolsOf(conns)).toEqual(['submission', 'smtp', 'dns', 'pop3']);
  });

  it('puts a header before each run of lines of one connection', () => {
    const rows = transcriptRows(sampleEvents, conns);
    const headers = rows.filter((r) => r.type === 'header');
    expect(headers.map((h) => (h.type === 'header' ? h.conn.conn : 0))).toEqual([1, 2, 3, 4]);
    expect(rows[0].type).toBe('note'); // Alice clicks Send
    expect(rows[1].type).toBe('header');
    expect(rows.filter((r) => r.type === 'tls')).toHaveLength(0);
    // State events without a text stay out; those with one show as notes.
    const notes = rows.filter((r) => r.type === 'note');
    expect(notes.every((r) => r.type === 'note' && !!r.ev.code)).toBe(true);
  });

  it('filters by protocol and shows TLS records on request', () => {
    const rows = transcriptRows(sampleEvents, conns, { hidden: new Set(['submission', 'dns']), tls: false });
    expect(rows.some((r) => r.type === 'line' && r.ev.proto === 'submission')).toBe(false);
    expect(rows.some((r) => r.type === 'line' && r.ev.proto === 'pop3')).toBe(true);
    const withTls = transcriptRows(sampleEvents, conns, { hidden: new Set(), tls: true });
    expect(withTls.filter((r) => r.type === 'tls')).toHaveLength(2);
  });

  it('shows connections as they were at an earlier step', () => {
    const c1 = conns.get(1)!;
    expect([...connectionsAt(conns, c1.openSeq - 1).keys()]).toEqual([]);
    const early = connectionsAt(conns, c1.openSeq + 3).get(1)!;
    expect(early).toMatchObject({ closed: false, encrypted: false });
    expect(connectionsAt(conns, c1.encryptedSeq).get(1)!.encrypted).toBe(true);
    expect(connectionsAt(conns, Infinity).get(1)).toBe(c1);
  });

  it('cuts sorted rows at a seq', () => {
    const rows = transcriptRows(sampleEvents, conns);
    expect(upTo(rows, Infinity)).toBe(rows.length);
    expect(upTo(rows, 0)).toBe(0);
    const n = upTo(rows, 10);
    expect(rows.slice(0, n).every((r) => r.seq <= 10)).toBe(true);
    expect(rows[n].seq).toBeGreaterThan(10);
    expect(linesByConn(sampleEvents).get(4)).toEqual(connectionLines(sampleEvents, 4));
  });

  it('lists the lines of one connection', () => {
    const l = connectionLines(sampleEvents, 4);
    expect(l[0].text).toBe('+OK POP3 server ready');
    expect(l.every((e) => e.conn === 4 && e.kind === 'line')).toBe(true);
  });

  it('builds 10,000 rows quickly', () => {
    const many = Array.from({ length: 10000 }, (_, i) => ({ ...sampleEvents[2], seq: i + 1, conn: 1 + (i % 3 === 0 ? 1 : 0) }));
    const t0 = performance.now();
    const rows = transcriptRows(many, connectionsOf(many));
    expect(rows.length).toBeGreaterThan(10000);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
