// explain() says in plain language what a line means. The meaning comes
// from the Go side (ev.explain, lessons/explain) when the event carries it;
// otherwise from the generic stub here (command verb, reply code and class,
// POP3 +OK/-ERR, IMAP tagged/untagged/continuation). The badge is always
// the stub's. It returns i18n keys, so the interface language can change
// without explaining again.

import { lineRoles, type LineRole } from './protocol';
import type { MailEvent, Msg } from './types';

export type ReplyClass = '2xx' | '3xx' | '4xx' | '5xx';

export interface Explanation {
  /** a badge: the verb of a command, a reply code, +OK, a tag status */
  badge?: string;
  /** the kind of badge, for colour: ok, wait (3xx, continuation), temp (4xx), fail (5xx, -ERR, NO, BAD) */
  tone?: 'ok' | 'wait' | 'temp' | 'fail' | 'info';
  replyClass?: ReplyClass;
  /** the sentences, in order */
  items: Msg[];
  /** the RFC (and section) that defines it */
  rfc?: string;
}

export interface ExplainContext {
  /** the line's role in its connection, when known (the run index keeps it) */
  role?: LineRole;
  /** otherwise: earlier line events of the same connection, in order */
  previous?: readonly MailEvent[];
}

const rfcOf: Record<string, string> = {
  smtp: 'RFC 5321',
  submission: 'RFC 6409, RFC 5321',
  lmtp: 'RFC 2033',
  pop3: 'RFC 1939',
  imap: 'RFC 9051',
  dns: 'RFC 1035',
};

function roleOf(ev: MailEvent, ctx: ExplainContext): LineRole {
  if (ctx.role) return ctx.role;
  const roles = lineRoles(ev.proto ?? '', [...(ctx.previous ?? []), ev]);
  return roles[roles.length - 1];
}

/** fromWire is the Go side's explanation as i18n messages: the main key, then each detail. */
export function fromWire(ev: MailEvent): { items: Msg[]; rfc?: string; generic: boolean } | undefined {
  const x = ev.explain;
  if (!x?.key) return undefined;
  const items = [x.key, ...(x.details ?? [])].map((key) => ({ key, params: x.params }));
  return { items, rfc: x.rfc || undefined, generic: !!x.generic };
}

function firstWord(t: string): string {
  return t.trim().split(/\s+/)[0] ?? '';
}

function smtpLine(ev: MailEvent, role: LineRole, e: Explanation): void {
  const t = ev.text ?? '';
  if (role === 'data') {
    e.items.push({ key: 'ui.explain.smtp.data-line' });
    e.rfc = 'RFC 5321 §4.1.1.4';
    return;
  }
  if (role === 'data-end') {
    e.badge = '.';
    e.items.push({ key: 'ui.explain.smtp.data-end' });
    e.rfc = 'RFC 5321 §4.1.1.4';
    return;
  }
  if (ev.dir === 'C') {
    const verb = firstWord(t).toUpperCase();
    e.badge = verb;
    e.tone = 'info';
    e.items.push({ key: 'ui.explain.command', params: { verb } });
    return;
  }
  const m = /^([2-5])(\d\d)([ -]?)/.exec(t);
  if (!m) {
    e.items.push({ key: 'ui.explain.unknown' });
    return;
  }
  const code = m[1] + m[2];
  const cls = (m[1] + 'xx') as ReplyClass;
  e.badge = code;
  e.replyClass = cls;
  e.tone = ({ '2xx': 'ok', '3xx': 'wait', '4xx': 'temp', '5xx': 'fail' } as const)[cls];
  e.items.push({ key: 'ui.explain.reply', params: { code } });
  e.items.push({ key: `ui.explain.class.${cls}` });
  if (m[3] === '-') e.items.push({ key: 'ui.explain.reply-continues' });
  e.rfc = 'RFC 5321 §4.2';
}

function pop3Line(ev: MailEvent, role: LineRole, e: Explanation): void {
  const t = ev.text ?? '';
  if (role === 'data' || role === 'data-end') {
    e.badge = role === 'data-end' ? '.' : undefined;
    e.items.push({ key: role === 'data' ? 'ui.explain.pop3.multiline' : 'ui.explain.pop3.multiline-end' });
    e.rfc = 'RFC 1939 §3';
    return;
  }
  if (ev.dir === 'C') {
    const verb = firstWord(t).toUpperCase();
    e.badge = verb;
    e.tone = 'info';
    e.items.push({ key: 'ui.explain.command', params: { verb } });
    return;
  }
  if (t.startsWith('+OK')) {
    Object.assign(e, { badge: '+OK', tone: 'ok' });
    e.items.push({ key: 'ui.explain.pop3.ok' });
  } else if (t.startsWith('-ERR')) {
    Object.assign(e, { badge: '-ERR', tone: 'fail' });
    e.items.push({ key: 'ui.explain.pop3.err' });
  } else if (t.startsWith('+')) {
    Object.assign(e, { badge: '+', tone: 'wait' });
    e.items.push({ key: 'ui.explain.continuation' });
  } else {
    e.items.push({ key: 'ui.explain.unknown' });
  }
  e.rfc = 'RFC 1939 §3';
}

function imapLine(ev: MailEvent, role: LineRole, e: Explanation): void {
  const t = ev.text ?? '';
  const w = t.trim().split(/\s+/);
  if (role === 'literal') {
    e.items.push({ key: 'ui.explain.imap.literal' });
    e.rfc = 'RFC 9051 §4.3';
    return;
  }
  if (ev.dir === 'C') {
    if (w.length === 1 && w[0].toUpperCase() === 'DONE') {
      Object.assign(e, { badge: 'DONE', tone: 'info' });
      e.items.push({ key: 'ui.explain.imap.done' });
      e.rfc = 'RFC 2177';
      return;
    }
    const verb = (w[1] ?? '').toUpperCase();
    Object.assign(e, { badge: verb || w[0], tone: 'info' });
    e.items.push(verb ? { key: 'ui.explain.imap.command', params: { tag: w[0], verb } } : { key: 'ui.explain.unknown' });
    e.rfc = 'RFC 9051 §2.2.1';
    return;
  }
  if (w[0] === '*') {
    const what = /^\d+$/.test(w[1] ?? '') ? `${w[1]} ${w[2] ?? ''}`.trim() : (w[1] ?? '');
    Object.assign(e, { badge: '*', tone: 'info' });
    e.items.push({ key: 'ui.explain.imap.untagged', params: { what } });
    e.rfc = 'RFC 9051 §2.2.2';
    return;
  }
  if (w[0] === '+') {
    Object.assign(e, { badge: '+', tone: 'wait' });
    e.items.push({ key: 'ui.explain.continuation' });
    e.rfc = 'RFC 9051 §7.5';
    return;
  }
  const status = (w[1] ?? '').toUpperCase();
  if (status === 'OK' || status === 'NO' || status === 'BAD') {
    const tone = status === 'OK' ? 'ok' : 'fail';
    Object.assign(e, { badge: `${w[0]} ${status}`, tone });
    e.items.push({ key: `ui.explain.imap.${status.toLowerCase()}`, params: { tag: w[0] } });
    e.rfc = 'RFC 9051 §7.1';
    return;
  }
  e.items.push({ key: 'ui.explain.unknown' });
}

function packet(ev: MailEvent, e: Explanation): void {
  const t = ev.text ?? '';
  if (t.startsWith('QUERY')) {
    Object.assign(e, { badge: 'QUERY', tone: 'info' });
    e.items.push({ key: 'ui.explain.dns.query', params: { question: t.replace(/^QUERY\s+/, '') } });
  } else if (t.startsWith('ANSWER')) {
    Object.assign(e, { badge: 'ANSWER', tone: 'ok' });
    e.items.push({ key: 'ui.explain.dns.answer', params: { answer: t.replace(/^ANSWER\s+/, '') } });
  } else {
    e.items.push({ key: 'ui.explain.unknown' });
  }
  e.rfc = 'RFC 1035 §4.1';
}

/**
 * explain says what an event means. ctx gives the line's role in its
 * connection, or the earlier lines to work it out (a DATA line looks like
 * any text without them). The answer is i18n keys with parameters.
 */
export function explain(ev: MailEvent, ctx: ExplainContext = {}): Explanation {
  const e = stub(ev, ctx);
  const w = fromWire(ev);
  // The Go side's text, unless it is only its generic fallback and the stub knows more.
  if (w && (!w.generic || e.items.every((m) => m.key === 'ui.explain.unknown'))) {
    e.items = [...w.items, ...(ev.truncated ? [{ key: 'ui.explain.truncated' }] : [])];
    e.rfc = w.rfc ?? e.rfc;
  }
  return e;
}

function stub(ev: MailEvent, ctx: ExplainContext): Explanation {
  const e: Explanation = { items: [], rfc: rfcOf[ev.proto ?? ''] };
  switch (ev.kind) {
    case 'action':
    case 'state':
      e.items.push({ key: ev.code ?? 'ui.explain.unknown', params: { ...ev.params, actor: ev.actor ?? '' } });
      e.rfc = undefined;
      return e;
    case 'tls':
      e.items.push({ key: 'ui.explain.tls-record' });
      e.rfc = 'RFC 8446';
      return e;
    case 'packet':
      packet(ev, e);
      return e;
    case 'line':
      break;
    default:
      e.items.push({ key: 'ui.explain.unknown' });
      return e;
  }
  const role = roleOf(ev, ctx);
  if (ev.proto === 'pop3') pop3Line(ev, role, e);
  else if (ev.proto === 'imap') imapLine(ev, role, e);
  else smtpLine(ev, role, e);
  if (ev.credential) e.items.push({ key: 'ui.explain.credential' });
  if (ev.truncated) e.items.push({ key: 'ui.explain.truncated' });
  return e;
}
