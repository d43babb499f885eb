// Connections and the transcript rows: "C:"/"S:" lines grouped under a
// header whenever the connection changes, as simulator/transcript prints.

import type { MailEvent } from './types';

export interface ConnInfo {
  conn: number;
  client: string;
  server: string;
  proto: string;
  port: number;
  addr: string;
  clientAddr: string;
  openSeq: number;
  closed: boolean;
  encrypted: boolean; // some line so far crossed the wire inside TLS
  closeSeq: number; // 0 while open
  encryptedSeq: number; // the first encrypted line, 0 if none
}

/** addToConnections updates what is known about ev's connection: O(1) per event. */
export function addToConnections(out: Map<number, ConnInfo>, ev: MailEvent): ConnInfo | undefined {
  if (!ev.conn) return undefined;
  let c = out.get(ev.conn);
  if (!c) {
    c = {
      conn: ev.conn,
      client: ev.client ?? '',
      server: ev.server ?? '',
      proto: ev.proto ?? '',
      port: ev.port ?? 0,
      addr: ev.addr ?? '',
      clientAddr: ev.clientAddr ?? '',
      openSeq: ev.seq,
      closed: false,
      encrypted: false,
      closeSeq: 0,
      encryptedSeq: 0,
    };
    out.set(ev.conn, c);
  }
  c.client ||= ev.client ?? '';
  c.server ||= ev.server ?? '';
  c.proto ||= ev.proto ?? '';
  c.port ||= ev.port ?? 0;
  c.addr ||= ev.addr ?? '';
  c.clientAddr ||= ev.clientAddr ?? '';
  if (ev.kind === 'close' && !c.closed) {
    c.closed = true;
    c.closeSeq = ev.seq;
  }
  if (ev.kind === 'line' && ev.encrypted && !c.encrypted) {
    c.encrypted = true;
    c.encryptedSeq = ev.seq;
  }
  return c;
}

/** connectionsOf collects what is known about each connection from its events. */
export function connectionsOf(events: readonly MailEvent[]): Map<number, ConnInfo> {
  const out = new Map<number, ConnInfo>();
  for (const ev of events) addToConnections(out, ev);
  return out;
}

/** connectionAt is c as it was when seq was the last event (undefined before it opened). */
export function connectionAt(c: ConnInfo, seq: number): ConnInfo | undefined {
  if (c.openSeq > seq) return undefined;
  const closed = c.closed && c.closeSeq <= seq;
  const encrypted = c.encrypted && c.encryptedSeq <= seq;
  return closed === c.closed && encrypted === c.encrypted ? c : { ...c, closed, encrypted };
}

/** connectionsAt is the connections as they were when seq was the last event. */
export function connectionsAt(all: ReadonlyMap<number, ConnInfo>, seq: number): Map<number, ConnInfo> {
  const out = new Map<number, ConnInfo>();
  for (const [id, c] of all) {
    const at = connectionAt(c, seq);
    if (at) out.set(id, at);
  }
  return out;
}

/** ConnsView reads the connections as a view at some step sees them. */
export interface ConnsView {
  /** get is one connection: O(1) */
  get(id: number): ConnInfo | undefined;
  /** values lists them all, in the order they opened: O(connections) */
  values(): IterableIterator<ConnInfo>;
}

/**
 * connectionsView is connectionsAt(all, seq) without building it: a view
 * costs O(1) to make, so the store can make one for every batch however
 * many connections the run has had.
 */
export function connectionsView(all: ReadonlyMap<number, ConnInfo>, seq: number): ConnsView {
  return {
    get: (id) => {
      const c = all.get(id);
      return c && connectionAt(c, seq);
    },
    *values() {
      for (const c of all.values()) {
        const at = connectionAt(c, seq);
        if (at) yield at;
      }
    },
  };
}

/** linesByConn indexes the line events of each connection, in order. */
export function linesByConn(events: readonly MailEvent[]): Map<number, MailEvent[]> {
  const out = new Map<number, MailEvent[]>();
  for (const ev of events) {
    if (ev.kind !== 'line' || !ev.conn) continue;
    let l = out.get(ev.conn);
    if (!l) out.set(ev.conn, (l = []));
    l.push(ev);
  }
  return out;
}

/** upTo counts the leading items whose seq is at most seq (items sorted by seq). */
export function upTo<T extends { seq: number }>(items: readonly T[], seq: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A transcript row; seq orders rows (a header has the seq of its first line). */
export type Row =
  | { type: 'header'; key: string; seq: number; conn: ConnInfo }
  | { type: 'line'; key: string; seq: number; ev: MailEvent }
  | { type: 'tls'; key: string; seq: number; ev: MailEvent }
  | { type: 'note'; key: string; seq: number; ev: MailEvent };

export interface TranscriptFilter {
  /** hidden protocols (smtp, submission, lmtp, pop3, imap, dns) */
  hidden: ReadonlySet<string>;
  /** show TLS handshake records */
  tls: boolean;
}

export const allVisible: TranscriptFilter = { hidden: new Set(), tls: false };

function shown(ev: MailEvent, f: TranscriptFilter): boolean {
  switch (ev.kind) {
    case 'line':
    case 'packet':
    case 'skip':
      return !f.hidden.has(ev.proto ?? '');
    case 'tls':
      return f.tls && !f.hidden.has(ev.proto ?? '');
    case 'action':
      return true;
    case 'state':
      return !!ev.code;
    default:
      return false;
  }
}

/**
 * RowBuilder turns events into transcript rows as they come: a header
 * whenever the connection changes, then the line. Appending costs O(1) per
 * event; only a change of the filter rebuilds.
 */
export class RowBuilder {
  readonly rows: Row[] = [];
  readonly filter: TranscriptFilter;
  #current = 0;

  constructor(filter: TranscriptFilter = allVisible) {
    this.filter = filter;
  }

  add(ev: MailEvent, conns: Map<number, ConnInfo>): void {
    if (!shown(ev, this.filter)) return;
    if (ev.kind === 'action' || ev.kind === 'state') {
      this.#current = 0;
      this.rows.push({ type: 'note', key: `n${ev.seq}`, seq: ev.seq, ev });
      return;
    }
    const conn = ev.conn ?? 0;
    if (conn !== this.#current) {
      this.#current = conn;
      const info = conns.get(conn);
      if (info) this.rows.push({ type: 'header', key: `h${ev.seq}`, seq: ev.seq, conn: info });
    }
    this.rows.push({ type: ev.kind === 'tls' ? 'tls' : 'line', key: `l${ev.seq}`, seq: ev.seq, ev });
  }
}

/** transcriptRows flattens events into the rows the virtual list renders. */
export function transcriptRows(
  events: readonly MailEvent[],
  conns: Map<number, ConnInfo>,
  filter: TranscriptFilter = allVisible,
): Row[] {
  const b = new RowBuilder(filter);
  for (const ev of events) b.add(ev, conns);
  return b.rows;
}

/** protocolsOf lists the protocols that occur, for the filter chips. */
export function protocolsOf(conns: Map<number, ConnInfo>): string[] {
  const order = ['submission', 'smtp', 'lmtp', 'dns', 'pop3', 'imap'];
  const seen = new Set([...conns.values()].map((c) => c.proto).filter(Boolean));
  return [...order.filter((p) => seen.has(p)), ...[...seen].filter((p) => !order.includes(p)).sort()];
}

/** connectionLines returns the line events of one connection, in order. */
export function connectionLines(events: readonly MailEvent[], conn: number, uptoSeq = Infinity): MailEvent[] {
  return events.filter((e) => e.conn === conn && e.kind === 'line' && e.seq <= uptoSeq);
}
