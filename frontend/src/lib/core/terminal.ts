// The "type it yourself" terminal's plain logic: a tracker per protocol
// follows what was sent and what the server answered, and says what the
// line being typed will do before it is sent (a hint, never a block). The
// hints are i18n keys (terminal.hint.*) with their parameters.

import { ImapTracker } from './terminal-imap';
import { Pop3Tracker } from './terminal-pop3';
import { SmtpTracker } from './terminal-smtp';
import { info, type Hint, type ProtoTracker, type TermProto, type TrackedTarget } from './terminal-hint';
import type { TerminalEntry } from './types';

export type { Hint, TermProto, TrackedTarget } from './terminal-hint';
export { demoAccount } from './terminal-hint';

/**
 * TermTracker follows one terminal session. Feed it the session's entries
 * in order (each once); hint(draft) says what the draft will do.
 */
export class TermTracker {
  readonly target: TrackedTarget;
  #p: ProtoTracker;
  #closed = false;

  constructor(target: TrackedTarget) {
    this.target = target;
    this.#p = trackerFor(target);
  }

  feed(e: Pick<TerminalEntry, 'kind' | 'text'>): void {
    switch (e.kind) {
      case 'sent':
        this.#p.sent(e.text);
        break;
      case 'received':
        this.#p.received(e.text);
        break;
      case 'tls':
        this.#p.tls();
        break;
      case 'closed':
        this.#closed = true;
        break;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  get inData(): boolean {
    return this.#p.inData;
  }

  nextTag(): string {
    return this.#p.nextTag();
  }

  allows(verb: string): boolean {
    return this.#p.allows(verb);
  }

  hint(draft: string): Hint | null {
    if (this.#closed) return info('closed');
    return draft.trim() === '' && !this.#p.inData ? this.#p.next() : this.#p.check(draft);
  }
}

function trackerFor(t: TrackedTarget): ProtoTracker {
  switch (t.proto) {
    case 'pop3':
      return new Pop3Tracker(t);
    case 'imap':
      return new ImapTracker(t);
    default:
      return new SmtpTracker(t);
  }
}

/** authPlain is the SASL PLAIN response (RFC 4616 §2): base64 of authzid NUL user NUL password, UTF-8. */
export function authPlain(user: string, password: string, authzid = ''): string {
  const bytes = new TextEncoder().encode(`${authzid}\0${user}\0${password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** authPlainLine is the command that logs in with PLAIN and the initial response on the same line. */
export function authPlainLine(proto: TermProto, b64: string, tag: string): string {
  // SMTP: RFC 4954 §4; POP3: RFC 5034 §4; IMAP with SASL-IR: RFC 4959.
  return proto === 'imap' ? `${tag} AUTHENTICATE PLAIN ${b64}` : `AUTH PLAIN ${b64}`;
}
