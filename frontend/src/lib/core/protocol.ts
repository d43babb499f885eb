// Line classification shared by explain() and message extraction: which
// lines of a connection are commands and replies, and which are payload
// (SMTP DATA, POP3 multi-line responses, IMAP literals).

import { decodeBase64, utf8Length } from './bytes';
import type { MailEvent } from './types';

export type LineRole = 'command' | 'reply' | 'data' | 'data-end' | 'literal';

/** byteLength is the size of a line on the wire as the endpoint saw it, CRLF included. */
export function byteLength(ev: MailEvent): number {
  if (ev.raw) return decodeBase64(ev.raw).length;
  return utf8Length(ev.text ?? '') + 2;
}

const imapLiteral = /\{(\d+)\+?\}$/;

function smtpRoles(lines: readonly MailEvent[]): LineRole[] {
  let inData = false;
  return lines.map((ev) => {
    const t = ev.text ?? '';
    if (ev.dir === 'S') {
      if (!inData && t.startsWith('354')) inData = true;
      return 'reply';
    }
    if (!inData) return 'command';
    if (t === '.') {
      inData = false;
      return 'data-end';
    }
    return 'data';
  });
}

const pop3Multi = (cmd: string): boolean => {
  const w = cmd.trim().split(/\s+/);
  const verb = w[0].toUpperCase();
  return verb === 'RETR' || verb === 'TOP' || verb === 'CAPA' || ((verb === 'LIST' || verb === 'UIDL') && w.length === 1);
};

function pop3Roles(lines: readonly MailEvent[]): LineRole[] {
  let last = '';
  let inMulti = false;
  return lines.map((ev) => {
    const t = ev.text ?? '';
    if (ev.dir === 'C') {
      last = t;
      return 'command';
    }
    if (inMulti) {
      if (t === '.') {
        inMulti = false;
        return 'data-end';
      }
      return 'data';
    }
    if (t.startsWith('+OK') && pop3Multi(last)) inMulti = true;
    return 'reply';
  });
}

function imapRoles(lines: readonly MailEvent[]): LineRole[] {
  const remaining = { C: 0, S: 0 };
  return lines.map((ev) => {
    const d = ev.dir === 'C' ? 'C' : 'S';
    if (remaining[d] > 0) {
      remaining[d] -= byteLength(ev);
      return 'literal';
    }
    const m = imapLiteral.exec(ev.text ?? '');
    if (m) remaining[d] = Number(m[1]);
    return d === 'C' ? 'command' : 'reply';
  });
}

/** lineRoles classifies each line of one connection (all of the same protocol, in order). */
export function lineRoles(proto: string, lines: readonly MailEvent[]): LineRole[] {
  switch (proto) {
    case 'pop3':
      return pop3Roles(lines);
    case 'imap':
      return imapRoles(lines);
    case 'dns':
      return lines.map((ev) => (ev.dir === 'C' ? 'command' : 'reply'));
    default:
      return smtpRoles(lines);
  }
}
