// Short labels for arrows and envelopes ("EHLO", "250", "RETR 1"), and the
// redaction of credentials.

import type { MailEvent } from './types';

export const secret = '********';

/** how many words after the verb a credential line may show: APOP, LOGIN and AUTH(ENTICATE) keep the user or mechanism */
const credentialVerbs: Record<string, number> = { PASS: 0, APOP: 1, AUTH: 1, LOGIN: 1, AUTHENTICATE: 1 };

/**
 * redact keeps the command words of a credential line (an IMAP tag, the
 * verb, the user or mechanism) and hides the rest, like event.Redacted in
 * Go: a password may contain spaces. A line of its own (a SASL response, a
 * literal) is hidden whole.
 */
export function redact(text: string): string {
  const w = text.split(' ');
  for (const at of [0, 1]) {
    const extra = credentialVerbs[(w[at] ?? '').toUpperCase()];
    if (extra === undefined) continue;
    const keep = Math.min(at + 1 + extra, w.length - 1);
    return keep > 0 ? w.slice(0, keep).join(' ') + ' ' + secret : secret;
  }
  return secret;
}

/** lineText is what a line shows: the text, with credentials hidden unless revealed. */
export function lineText(ev: MailEvent, revealed = false): string {
  const t = ev.text ?? '';
  return ev.credential && !revealed ? redact(t) : t;
}

/** tailText is the end of a cut line ('' when it was not cut, or hidden with its credential). */
export function tailText(ev: MailEvent, revealed = false): string {
  return ev.credential && !revealed ? '' : (ev.tail ?? '');
}

const smtpVerbs = new Set([
  'HELO', 'EHLO', 'LHLO', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'RSET', 'VRFY', 'EXPN', 'HELP', 'NOOP',
  'QUIT', 'AUTH', 'STARTTLS',
]);
const pop3Verbs = new Set([
  'USER', 'PASS', 'APOP', 'STAT', 'LIST', 'UIDL', 'RETR', 'DELE', 'TOP', 'NOOP', 'RSET', 'QUIT',
  'CAPA', 'STLS', 'AUTH',
]);

function clip(s: string, n = 16): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

function smtpLabel(ev: MailEvent, text: string): string {
  if (ev.dir === 'S') return /^\d{3}/.test(text) ? text.slice(0, 3) : clip(text);
  const w = words(text);
  const verb = w[0].toUpperCase();
  if (!smtpVerbs.has(verb)) return clip(text);
  if (verb === 'MAIL' || verb === 'RCPT') return `${verb} ${(w[1] ?? '').split(':')[0].toUpperCase()}`;
  return verb;
}

function pop3Label(ev: MailEvent, text: string): string {
  if (ev.dir === 'S') {
    if (text.startsWith('+OK')) return '+OK';
    if (text.startsWith('-ERR')) return '-ERR';
    return clip(text);
  }
  const w = words(text);
  const verb = w[0].toUpperCase();
  if (!pop3Verbs.has(verb)) return clip(text);
  const nums = w.slice(1).filter((x) => /^\d+$/.test(x));
  return [verb, ...nums].join(' ');
}

function imapLabel(ev: MailEvent, text: string): string {
  const w = words(text);
  if (ev.dir === 'S') {
    if (w[0] === '*') return clip(w.slice(0, /^\d+$/.test(w[1] ?? '') ? 3 : 2).join(' '));
    if (w[0] === '+') return '+';
    if (/^(OK|NO|BAD|PREAUTH|BYE)$/i.test(w[1] ?? '')) return `${w[0]} ${w[1].toUpperCase()}`;
    return clip(text);
  }
  if (w.length === 1 && /^DONE$/i.test(w[0])) return 'DONE';
  if (w.length >= 2 && /^[A-Za-z]+$/.test(w[1])) {
    let verb = w[1].toUpperCase();
    if (verb === 'UID' && w[2]) verb += ' ' + w[2].toUpperCase();
    const arg = verb.startsWith('UID') ? w[3] : w[2];
    return /^(FETCH|STORE|UID FETCH|UID STORE|COPY|MOVE)$/.test(verb) && arg ? `${verb} ${clip(arg, 8)}` : verb;
  }
  return clip(text);
}

function dnsLabel(text: string): string {
  const q = /^QUERY (\S+) (\S+?)\??$/.exec(text);
  if (q) return `${q[1]} ${q[2]}?`;
  const a = /^ANSWER (\S+) \S+(?::| →) (.*)$/.exec(text);
  if (a) return clip(`${a[1]} ${a[2]}`, 22);
  return clip(text);
}

/** shortLabel is the few characters an arrow or envelope carries. */
export function shortLabel(ev: MailEvent): string {
  const text = lineText(ev);
  if (ev.kind === 'packet') return dnsLabel(text);
  if (ev.kind !== 'line') return '';
  switch (ev.proto) {
    case 'pop3':
      return pop3Label(ev, text);
    case 'imap':
      return imapLabel(ev, text);
    default:
      return smtpLabel(ev, text);
  }
}
