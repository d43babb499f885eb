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

/** RoleTracker classifies the lines of ONE connection as they come, in order. */
export class RoleTracker {
  readonly proto: string;
  #inData = false; // SMTP: between 354 and the dot; POP3: inside a multi-line response
  #last = ''; // POP3: the last command
  #remaining = { C: 0, S: 0 }; // IMAP: literal bytes still to come per direction

  constructor(proto: string) {
    this.proto = proto;
  }

  next(ev: MailEvent): LineRole {
    switch (this.proto) {
      case 'pop3':
        return this.#pop3(ev);
      case 'imap':
        return this.#imap(ev);
      case 'dns':
        return ev.dir === 'C' ? 'command' : 'reply';
      default:
        return this.#smtp(ev);
    }
  }

  #smtp(ev: MailEvent): LineRole {
    const t = ev.text ?? '';
    if (ev.dir === 'S') {
      if (!this.#inData && t.startsWith('354')) this.#inData = true;
      return 'reply';
    }
    if (!this.#inData) return 'command';
    if (t === '.') {
      this.#inData = false;
      return 'data-end';
    }
    return 'data';
  }

  #pop3(ev: MailEvent): LineRole {
    const t = ev.text ?? '';
    if (ev.dir === 'C') {
      this.#last = t;
      return 'command';
    }
    if (this.#inData) {
      if (t === '.') {
        this.#inData = false;
        return 'data-end';
      }
      return 'data';
    }
    if (t.startsWith('+OK') && pop3Multi(this.#last)) this.#inData = true;
    return 'reply';
  }

  #imap(ev: MailEvent): LineRole {
    const d = ev.dir === 'C' ? 'C' : 'S';
    if (this.#remaining[d] > 0) {
      this.#remaining[d] -= byteLength(ev);
      return 'literal';
    }
    const m = imapLiteral.exec(ev.text ?? '');
    if (m) this.#remaining[d] = Number(m[1]);
    return d === 'C' ? 'command' : 'reply';
  }
}

const pop3Multi = (cmd: string): boolean => {
  const w = cmd.trim().split(/\s+/);
  const verb = w[0].toUpperCase();
  return verb === 'RETR' || verb === 'TOP' || verb === 'CAPA' || ((verb === 'LIST' || verb === 'UIDL') && w.length === 1);
};

/** lineRoles classifies each line of one connection (all of the same protocol, in order). */
export function lineRoles(proto: string, lines: readonly MailEvent[]): LineRole[] {
  const t = new RoleTracker(proto);
  return lines.map((ev) => t.next(ev));
}
