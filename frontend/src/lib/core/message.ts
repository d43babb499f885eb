// Find messages in the transcript and take them apart: the DATA of an SMTP
// or LMTP transaction (with its envelope), a POP3 RETR/TOP response, or an
// IMAP FETCH literal. Everything stays text: the UI renders it as text.

import { byteLength, RoleTracker, type LineRole } from './protocol';
import type { MailEvent } from './types';

export interface Recipient {
  address: string;
  /** true 2xx, false 4xx/5xx, undefined while no reply came */
  accepted?: boolean;
}

export interface Envelope {
  mailFrom?: string;
  rcptTo: Recipient[];
}

export interface FoundMessage {
  conn: number;
  source: 'data' | 'retr' | 'fetch';
  /** seq of the line that opened the message (354, +OK, the FETCH line) */
  startSeq: number;
  endSeq: number;
  complete: boolean;
  lines: string[];
  /** the seq of each line, to show the message as it was at an earlier step */
  seqs: number[];
  envelope?: Envelope;
}

/** pathOf takes the address out of "FROM:<a@b> SIZE=12". */
export function pathOf(arg: string): string {
  const m = /<([^>]*)>/.exec(arg);
  if (m) return m[1];
  return arg.replace(/^[A-Za-z]+:/, '').trim().split(/\s+/)[0] ?? '';
}

/** unstuff removes the dot a sender doubles at the start of a line (RFC 5321 §4.5.2, RFC 1939 §3). */
function unstuff(t: string): string {
  return t.startsWith('..') ? t.slice(1) : t;
}

/** An extractor follows one connection's lines and collects the messages it carries. */
interface Extractor {
  /** add takes the next line and its role; it returns a message that starts with it */
  add(ev: MailEvent, role: LineRole): FoundMessage | undefined;
}

class SmtpExtractor implements Extractor {
  readonly conn: number;
  #env: Envelope = { rcptTo: [] };
  #pending: { verb: string; rcpt?: Recipient }[] = [];
  #greeted = false;
  #current: FoundMessage | undefined;

  constructor(conn: number) {
    this.conn = conn;
  }

  add(ev: MailEvent, role: LineRole): FoundMessage | undefined {
    const t = ev.text ?? '';
    const cur = this.#current;
    if (role === 'data' && cur) {
      cur.lines.push(unstuff(t));
      cur.seqs.push(ev.seq);
      cur.endSeq = ev.seq;
    } else if (role === 'data-end' && cur) {
      cur.complete = true;
      cur.endSeq = ev.seq;
      this.#current = undefined;
      this.#pending.push({ verb: '.' });
    } else if (role === 'command') {
      const [verb, ...rest] = t.trim().split(/\s+/);
      const v = verb.toUpperCase();
      const arg = rest.join(' ');
      if (v === 'MAIL') this.#env = { mailFrom: pathOf(arg), rcptTo: [] };
      if (v === 'RSET') this.#env = { rcptTo: [] };
      const cmd: { verb: string; rcpt?: Recipient } = { verb: v };
      if (v === 'RCPT') {
        cmd.rcpt = { address: pathOf(arg) };
        this.#env.rcptTo.push(cmd.rcpt);
      }
      this.#pending.push(cmd);
    } else if (role === 'reply') {
      if (/^\d{3}-/.test(t)) return undefined; // a continuation line; the last line answers
      if (!this.#greeted && this.#pending.length === 0) {
        this.#greeted = true;
        return undefined;
      }
      const cmd = this.#pending.shift();
      if (cmd?.rcpt) cmd.rcpt.accepted = t.startsWith('2');
      if (cmd?.verb === 'DATA' && t.startsWith('354')) {
        const env = this.#env;
        const envelope = { mailFrom: env.mailFrom, rcptTo: env.rcptTo.filter((r) => r.accepted !== false) };
        this.#current = { conn: this.conn, source: 'data', startSeq: ev.seq, endSeq: ev.seq, complete: false, lines: [], seqs: [], envelope };
        return this.#current;
      }
    }
    return undefined;
  }
}

class Pop3Extractor implements Extractor {
  readonly conn: number;
  #last = '';
  #current: FoundMessage | undefined;

  constructor(conn: number) {
    this.conn = conn;
  }

  add(ev: MailEvent, role: LineRole): FoundMessage | undefined {
    const t = ev.text ?? '';
    const cur = this.#current;
    if (ev.dir === 'C') this.#last = t.trim().split(/\s+/)[0].toUpperCase();
    else if (role === 'reply' && t.startsWith('+OK') && (this.#last === 'RETR' || this.#last === 'TOP')) {
      this.#current = { conn: this.conn, source: 'retr', startSeq: ev.seq, endSeq: ev.seq, complete: false, lines: [], seqs: [] };
      return this.#current;
    } else if (role === 'data' && cur) {
      cur.lines.push(unstuff(t));
      cur.seqs.push(ev.seq);
      cur.endSeq = ev.seq;
    } else if (role === 'data-end' && cur) {
      cur.complete = true;
      cur.endSeq = ev.seq;
      this.#current = undefined;
    }
    return undefined;
  }
}

const fetchLiteral = /(BODY\[[^\]]*\]|BINARY\[[^\]]*\]|RFC822(?:\.HEADER|\.TEXT)?)(?:<\d+>)? \{(\d+)\}$/i;

class ImapExtractor implements Extractor {
  readonly conn: number;
  #current: FoundMessage | undefined;
  #remaining = 0;

  constructor(conn: number) {
    this.conn = conn;
  }

  add(ev: MailEvent): FoundMessage | undefined {
    if (ev.dir !== 'S') return undefined;
    const t = ev.text ?? '';
    const cur = this.#current;
    if (cur && this.#remaining > 0) {
      const n = byteLength(ev);
      cur.lines.push(n > this.#remaining ? t.slice(0, Math.max(0, this.#remaining - 2)) : t);
      cur.seqs.push(ev.seq);
      cur.endSeq = ev.seq;
      this.#remaining -= n;
      if (this.#remaining <= 0) {
        cur.complete = true;
        this.#current = undefined;
      }
      return undefined;
    }
    const m = fetchLiteral.exec(t);
    if (m && t.startsWith('*')) {
      this.#remaining = Number(m[2]);
      const found: FoundMessage = { conn: this.conn, source: 'fetch', startSeq: ev.seq, endSeq: ev.seq, complete: this.#remaining === 0, lines: [], seqs: [] };
      this.#current = this.#remaining === 0 ? undefined : found;
      return found;
    }
    return undefined;
  }
}

const noMessages: Extractor = { add: () => undefined };

/**
 * MessageFinder follows every connection of a run, one line at a time, and
 * lists the messages they carry in order of appearance. Each line costs
 * O(1) whatever came before, so a long run stays cheap to follow; messages
 * still being received grow in place.
 */
export class MessageFinder {
  readonly messages: FoundMessage[] = [];
  /** the messages of each connection, in order */
  readonly byConn = new Map<number, FoundMessage[]>();
  #conns = new Map<number, { roles: RoleTracker; ex: Extractor }>();

  /** add takes the next event of the run; for a line it returns the line's role. */
  add(ev: MailEvent): LineRole | undefined {
    if (ev.kind !== 'line' || !ev.conn) return undefined;
    let c = this.#conns.get(ev.conn);
    if (!c) {
      const proto = ev.proto ?? '';
      const ex = proto === 'pop3' ? new Pop3Extractor(ev.conn) : proto === 'imap' ? new ImapExtractor(ev.conn) : proto === 'dns' ? noMessages : new SmtpExtractor(ev.conn);
      c = { roles: new RoleTracker(proto), ex };
      this.#conns.set(ev.conn, c);
    }
    const role = c.roles.next(ev);
    const m = c.ex.add(ev, role);
    if (m) {
      this.messages.push(m);
      const on = this.byConn.get(m.conn);
      if (on) on.push(m);
      else this.byConn.set(m.conn, [m]);
    }
    return role;
  }
}

/** findMessages lists every message the given events carry, in order of appearance. */
export function findMessages(events: readonly MailEvent[]): FoundMessage[] {
  const f = new MessageFinder();
  for (const ev of events) f.add(ev);
  return f.messages;
}

/** countUpTo counts the leading numbers of a sorted list that are at most n. */
function countUpTo(xs: readonly number[], n: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * messagesAt shows the messages as they were when seq was the last event:
 * later lines cut off. A message still being received is a copy, so a
 * view of it changes when it grows.
 */
export function messagesAt(found: readonly FoundMessage[], seq: number): FoundMessage[] {
  const out: FoundMessage[] = [];
  for (const m of found) {
    if (m.startSeq > seq) break;
    if (m.complete && m.endSeq <= seq) {
      out.push(m);
      continue;
    }
    const n = countUpTo(m.seqs, seq);
    const endSeq = n ? m.seqs[n - 1] : m.startSeq;
    out.push({ ...m, complete: false, endSeq, lines: m.lines.slice(0, n), seqs: m.seqs.slice(0, n) });
  }
  return out;
}

/**
 * pickMessage chooses what the message panel shows: the message that
 * contains the selected line, else the latest one on its connection up to
 * it, else the first one on its connection (EHLO, MAIL FROM, DATA lead up
 * to it), else the latest message at all.
 */
export function pickMessage(found: readonly FoundMessage[], selected?: MailEvent): FoundMessage | undefined {
  if (selected?.conn) {
    const onConn = found.filter((m) => m.conn === selected.conn);
    const upTo = onConn.filter((m) => m.startSeq <= selected.seq);
    if (upTo.length) return upTo[upTo.length - 1];
    if (onConn.length) return onConn[0];
  }
  return found[found.length - 1];
}

/** countStarted counts the leading messages (sorted by startSeq) that started at or before seq. */
function countStarted(found: readonly FoundMessage[], seq: number): number {
  let lo = 0;
  let hi = found.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (found[mid].startSeq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * pickMessageAt is pickMessage(messagesAt(found, seq), selected) without
 * the copies: O(log messages). byConn holds found by connection (as
 * MessageFinder keeps it); the message comes whole: cutMessage cuts it.
 */
export function pickMessageAt(
  found: readonly FoundMessage[],
  byConn: ReadonlyMap<number, readonly FoundMessage[]>,
  seq: number,
  selected?: MailEvent,
): FoundMessage | undefined {
  if (selected?.conn) {
    const on = byConn.get(selected.conn) ?? [];
    const k = countStarted(on, Math.min(selected.seq, seq));
    if (k) return on[k - 1];
    if (on.length && on[0].startSeq <= seq) return on[0];
  }
  const k = countStarted(found, seq);
  return k ? found[k - 1] : undefined;
}

/** MessageCut is a message as a view at some step shows it: its first `lines` lines. */
export interface MessageCut {
  message: FoundMessage;
  /** how many of message.lines the view shows */
  lines: number;
  complete: boolean;
  endSeq: number;
}

/** cutMessage is m as it was when seq was the last event (as messagesAt cuts it), without copying its lines. */
export function cutMessage(m: FoundMessage, seq: number): MessageCut {
  if (m.complete && m.endSeq <= seq) return { message: m, lines: m.lines.length, complete: true, endSeq: m.endSeq };
  const n = countUpTo(m.seqs, seq);
  return { message: m, lines: n, complete: false, endSeq: n ? m.seqs[n - 1] : m.startSeq };
}

export interface Header {
  name: string;
  value: string;
  /** the header lines as sent, continuation lines included */
  lines: string[];
  /** added by an agent on the way (Received, Return-Path, ...) */
  added: boolean;
}

export interface Part {
  headers: Header[];
  contentType: string;
  body: string[];
  parts: Part[];
}

/** The header fields agents add on the way (RFC 5321 §4.4, RFC 5322 §3.6). */
export const agentHeaders = new Set([
  'received',
  'return-path',
  'delivered-to',
  'message-id',
  'date',
  'received-spf',
  'authentication-results',
  'dkim-signature',
]);

function headerValue(headers: readonly Header[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value;
}

/** header finds a header field by name (case-insensitive). */
export function header(p: { headers: readonly Header[] }, name: string): string | undefined {
  return headerValue(p.headers, name.toLowerCase());
}

function parseHeaders(lines: readonly string[]): { headers: Header[]; bodyStart: number } {
  const headers: Header[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l === '') return { headers, bodyStart: i + 1 };
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(l) && last) {
      last.lines.push(l);
      last.value += ' ' + l.trim();
      continue;
    }
    const colon = l.indexOf(':');
    if (colon <= 0) return { headers, bodyStart: i }; // not a header: the body starts
    const name = l.slice(0, colon);
    headers.push({ name, value: l.slice(colon + 1).trim(), lines: [l], added: agentHeaders.has(name.toLowerCase()) });
  }
  return { headers, bodyStart: i };
}

function boundaryOf(contentType: string): string | undefined {
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function splitParts(body: readonly string[], boundary: string, depth: number): Part[] {
  const parts: Part[] = [];
  let cur: string[] | undefined;
  for (const l of body) {
    if (l === `--${boundary}` || l === `--${boundary}--`) {
      if (cur) parts.push(parsePart(cur, depth + 1));
      if (l === `--${boundary}--`) return parts;
      cur = [];
      continue;
    }
    cur?.push(l);
  }
  if (cur) parts.push(parsePart(cur, depth + 1)); // an unfinished message: show what came
  return parts;
}

function parsePart(lines: readonly string[], depth: number): Part {
  const { headers, bodyStart } = parseHeaders(lines);
  const body = lines.slice(bodyStart);
  const contentType = headerValue(headers, 'content-type') ?? 'text/plain';
  const boundary = /^multipart\//i.test(contentType) ? boundaryOf(contentType) : undefined;
  const parts = boundary && depth < 5 ? splitParts(body, boundary, depth) : [];
  return { headers, contentType, body, parts };
}

/** parseMessage splits a message (RFC 5322) into header fields, body and MIME parts (RFC 2046). */
export function parseMessage(lines: readonly string[]): Part {
  return parsePart(lines, 0);
}

/** PartView is what the message panel shows of a part: its header fields, the first lines of its body and their number. */
export interface PartView {
  headers: readonly Header[];
  contentType: string;
  /** the first lines of the body, at most the view's limit */
  head: readonly string[];
  /** how many lines the body has */
  lines: number;
  parts: readonly PartView[];
}

/** partView cuts a parsed part down to what the panel shows: the first max lines of each body. */
export function partView(p: Part, max: number): PartView {
  return { headers: p.headers, contentType: p.contentType, head: p.body.slice(0, max), lines: p.body.length, parts: p.parts.map((c) => partView(c, max)) };
}

/**
 * PartParser is parsePart one line at a time: after any number of lines
 * its view equals partView(parsePart(those lines)). A line costs O(depth);
 * a view costs O(header fields + parts + max), however long the bodies are.
 */
class PartParser {
  readonly depth: number;
  #headers: Header[] = [];
  #inHeaders = true;
  #bodyLines = 0;
  #head: string[] = [];
  #boundary: string | undefined;
  #children: PartParser[] = [];
  #current: PartParser | undefined;
  #closed = false;
  #view: { max: number; view: PartView } | undefined;

  constructor(depth: number) {
    this.depth = depth;
  }

  add(l: string): void {
    this.#view = undefined;
    if (this.#inHeaders) {
      if (l === '') {
        this.#endHeaders();
        return;
      }
      const last = this.#headers[this.#headers.length - 1];
      if (/^[ \t]/.test(l) && last) {
        last.lines.push(l);
        last.value += ' ' + l.trim();
        return;
      }
      const colon = l.indexOf(':');
      if (colon > 0) {
        const name = l.slice(0, colon);
        this.#headers.push({ name, value: l.slice(colon + 1).trim(), lines: [l], added: agentHeaders.has(name.toLowerCase()) });
        return;
      }
      this.#endHeaders(); // not a header: the body starts with this line
    }
    this.#bodyLines++;
    if (this.#head.length < keptLines) this.#head.push(l);
    const b = this.#boundary;
    if (b === undefined || this.#closed) return;
    if (l === `--${b}` || l === `--${b}--`) {
      this.#current = undefined;
      if (l === `--${b}--`) this.#closed = true;
      else this.#children.push((this.#current = new PartParser(this.depth + 1)));
      return;
    }
    this.#current?.add(l);
  }

  #endHeaders(): void {
    this.#inHeaders = false;
    const ct = this.#contentType();
    this.#boundary = /^multipart\//i.test(ct) && this.depth < 5 ? boundaryOf(ct) : undefined;
  }

  #contentType(): string {
    return headerValue(this.#headers, 'content-type') ?? 'text/plain';
  }

  view(max: number): PartView {
    if (max > keptLines) throw new RangeError(`a view shows at most ${keptLines} lines of a body`);
    if (this.#view?.max === max) return this.#view.view;
    // The last header field can still grow by continuation lines: the view gets a copy.
    const last = this.#headers.length - 1;
    const headers = this.#inHeaders && last >= 0 ? [...this.#headers.slice(0, last), { ...this.#headers[last], lines: [...this.#headers[last].lines] }] : [...this.#headers];
    const view: PartView = {
      headers,
      contentType: this.#contentType(),
      head: this.#head.slice(0, max),
      lines: this.#bodyLines,
      parts: this.#children.map((c) => c.view(max)),
    };
    this.#view = { max, view };
    return view;
  }
}

/** how many lines of each body a PartParser keeps: the most a view can show */
const keptLines = 200;

/**
 * MessageReader gives the view of a message's first n lines, parsing each
 * line once while the message grows (a view at the head after a batch
 * costs O(batch + what it shows), not O(message)). A view of fewer lines
 * than it has read (a step back in history) parses those lines again.
 */
export class MessageReader {
  #read = new WeakMap<FoundMessage, { parser: PartParser; n: number }>();

  /** view is partView(parseMessage(m.lines.slice(0, n)), max); max is at most 200. */
  view(m: FoundMessage, n: number, max: number): PartView {
    let r = this.#read.get(m);
    if (!r || r.n > n) this.#read.set(m, (r = { parser: new PartParser(0), n: 0 }));
    const end = Math.min(n, m.lines.length);
    for (; r.n < end; r.n++) r.parser.add(m.lines[r.n]);
    return r.parser.view(max);
  }
}

function decodeBytes(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase(), { fatal: false }).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function qBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '_') out.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c.charCodeAt(0) & 0xff);
  }
  return new Uint8Array(out);
}

function bBytes(text: string): Uint8Array {
  try {
    const bin = atob(text);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return new TextEncoder().encode(text);
  }
}

const encodedWord = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** decodeHeader turns RFC 2047 encoded-words ("=?utf-8?q?Gr=C3=BC=C3=9Fe?=") into text. */
export function decodeHeader(value: string): string {
  // Whitespace between two encoded-words is not part of the text (RFC 2047 §6.2).
  const joined = value.replace(/(\?=)\s+(=\?)/g, '$1$2');
  return joined.replace(encodedWord, (_m, charset: string, enc: string, text: string) => {
    const cs = charset.split('*')[0]; // RFC 2231 language suffix
    return decodeBytes(enc.toUpperCase() === 'B' ? bBytes(text) : qBytes(text), cs);
  });
}
