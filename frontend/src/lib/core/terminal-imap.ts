// IMAP as the terminal sees it: tagged commands (RFC 9051 §2.2.1), the
// states Not Authenticated → Authenticated → Selected (§3), IDLE ended by
// DONE (RFC 2177) and SASL continuations. go-imap v2 (behind the guard in
// simulator/imap) answers a command in the wrong state with
// "BAD [CLIENTBUG] This command is only valid in the … state".

import { demoAccount, info, warn, words, type Hint, type ProtoTracker, type TrackedTarget } from './terminal-hint';

const notAuthOnly = new Set(['LOGIN', 'AUTHENTICATE', 'STARTTLS']);
const authOnly = new Set(['SELECT', 'EXAMINE', 'LIST', 'LSUB', 'STATUS', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'APPEND', 'IDLE', 'NAMESPACE', 'ENABLE']);
const selectedOnly = new Set(['FETCH', 'SEARCH', 'STORE', 'EXPUNGE', 'UID', 'COPY', 'MOVE', 'CLOSE', 'UNSELECT']);
const anyState = new Set(['CAPABILITY', 'NOOP', 'LOGOUT', 'ID']);
const known = new Set([...notAuthOnly, ...authOnly, ...selectedOnly, ...anyState]);

type State = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

const tagged = /^(\S+) (OK|NO|BAD)\b/i;
const literalAtEnd = /\{(\d+)\+?\}$/;

export class ImapTracker implements ProtoTracker {
  readonly #account: { user: string; password: string };
  #tls: boolean;
  #state: State = 'not-authenticated';
  #pending = new Map<string, string>();
  #used = new Set<string>();
  #count = 0;
  /** the latest command that may get a "+" continuation */
  #waiting = '';
  #idling = false;
  #sasl = false;
  /** octets of a literal in a server answer still to skip (message text, not responses) */
  #literal = 0;
  #greeted = false;
  /** the server said LOGINDISABLED: no password before STARTTLS (RFC 9051 §6.2.3) */
  #loginDisabled = false;

  constructor(t: TrackedTarget) {
    this.#tls = t.tls === 'implicit';
    this.#account = demoAccount(t.host);
  }

  readonly inData = false;

  tls(): void {
    this.#tls = true;
    this.#loginDisabled = false;
  }

  nextTag(): string {
    let n = this.#count + 1;
    while (this.#used.has(`a${n}`)) n++;
    return `a${n}`;
  }

  sent(line: string): void {
    if (this.#idling) {
      if (line.trim().toUpperCase() === 'DONE') this.#idling = false;
      return;
    }
    if (this.#sasl) {
      this.#sasl = false; // the answer to "+": not a command
      return;
    }
    const [tag, verb = ''] = words(line);
    if (!tag) return;
    this.#used.add(tag.toLowerCase());
    this.#count++;
    const v = verb.toUpperCase();
    this.#pending.set(tag, v);
    if (v === 'IDLE' || v === 'AUTHENTICATE') this.#waiting = v;
  }

  received(line: string): void {
    if (this.#literal > 0) {
      this.#literal = Math.max(0, this.#literal - new TextEncoder().encode(line).length - 2);
      return;
    }
    const lit = literalAtEnd.exec(line);
    if (lit) this.#literal = Number(lit[1]);
    if (line.startsWith('+')) {
      if (this.#waiting === 'IDLE') this.#idling = true;
      if (this.#waiting === 'AUTHENTICATE') this.#sasl = true;
      return;
    }
    if (!this.#tls && /^\* (OK \[CAPABILITY|CAPABILITY)\b/i.test(line)) this.#loginDisabled = /\bLOGINDISABLED\b/i.test(line);
    if (/^\* (OK|PREAUTH)\b/i.test(line) && !this.#greeted) {
      this.#greeted = true;
      if (/^\* PREAUTH/i.test(line)) this.#state = 'authenticated';
      return;
    }
    const m = tagged.exec(line);
    const verb = m ? this.#pending.get(m[1]) : undefined;
    if (!m || verb === undefined) return;
    this.#pending.delete(m[1]);
    this.#apply(verb, m[2].toUpperCase() === 'OK');
  }

  #apply(verb: string, ok: boolean): void {
    if (verb === this.#waiting) [this.#waiting, this.#idling, this.#sasl] = ['', false, false];
    switch (verb) {
      case 'LOGIN':
      case 'AUTHENTICATE':
        if (ok) this.#state = 'authenticated';
        break;
      case 'SELECT':
      case 'EXAMINE':
        // A failed SELECT leaves no folder open (RFC 9051 §6.3.2).
        this.#state = ok ? 'selected' : 'authenticated';
        break;
      case 'CLOSE':
      case 'UNSELECT':
        if (ok) this.#state = 'authenticated';
        break;
      case 'STARTTLS':
        if (ok) this.#tls = true;
        break;
      case 'LOGOUT':
        this.#state = 'logout';
        break;
    }
  }

  #order(verb: string): Hint | null {
    const s = this.#state;
    if (notAuthOnly.has(verb) && s !== 'not-authenticated') return warn(verb === 'STARTTLS' ? 'imap.starttls-after-login' : 'imap.already-logged-in', { verb });
    if (verb === 'STARTTLS' && this.#tls) return warn('imap.starttls-already');
    if (authOnly.has(verb) && s === 'not-authenticated') return warn('imap.before-login', { verb, tag: this.nextTag(), ...this.#account });
    if (selectedOnly.has(verb) && s === 'not-authenticated') return warn('imap.before-login-select', { verb });
    if (selectedOnly.has(verb) && s === 'authenticated') return warn('imap.before-select', { verb, tag: this.nextTag() });
    return null;
  }

  allows(verb: string): boolean {
    return this.#order(verb) === null;
  }

  check(draft: string): Hint | null {
    if (this.#idling) return draft.trim().toUpperCase() === 'DONE' ? info('imap.done') : warn('imap.idle-done');
    if (this.#sasl) return info('imap.sasl-response');
    const w = words(draft);
    const first = (w[0] ?? '').toUpperCase();
    const typing = !/\s$/.test(draft);
    if (first === 'DONE' && w.length === 1) return warn('imap.done-not-idle');
    // "SELECT INBOX" without a tag: the server reads SELECT as the tag and INBOX as the command.
    if (known.has(first) && !known.has((w[1] ?? '').toUpperCase()) && !(w.length === 1 && typing && this.#prefixOfLonger(first)))
      return warn('imap.no-tag', { tag: this.nextTag(), verb: first });
    if (w.length < 2) return null;
    const [tag, verbRaw, ...args] = w;
    const verb = verbRaw.toUpperCase();
    if (!known.has(verb)) {
      const partial = w.length === 2 && typing && [...known].some((k) => k.startsWith(verb));
      return partial ? null : warn('imap.unknown', { verb: verbRaw });
    }
    if (this.#pending.has(tag)) return warn('imap.tag-in-use', { tag });
    return this.#order(verb) ?? this.#syntax(tag, verb, args);
  }

  /** #prefixOfLonger: "LIST" might still become "LISTX"? Only real verbs that start another one count. */
  #prefixOfLonger(word: string): boolean {
    return [...known].some((k) => k !== word && k.startsWith(word));
  }

  #syntax(tag: string, verb: string, args: string[]): Hint | null {
    const example = (rest: string) => warn('imap.syntax', { verb, example: `${tag} ${verb} ${rest}` });
    switch (verb) {
      case 'LOGIN':
        if (args.length < 2) return example(`${this.#account.user} ${this.#account.password}`);
        return this.#tls ? null : info(this.#loginDisabled ? 'imap.login-disabled' : 'imap.plaintext', { verb, tag: this.nextTag() });
      case 'AUTHENTICATE':
        if (args.length === 0) return example('PLAIN <base64>');
        return this.#tls ? null : info(this.#loginDisabled ? 'imap.login-disabled' : 'imap.plaintext', { verb, tag: this.nextTag() });
      case 'SELECT':
      case 'EXAMINE':
        return args.length === 0 ? example('INBOX') : null;
      case 'STATUS':
        return args.length < 2 ? example('INBOX (MESSAGES UNSEEN)') : null;
      case 'LIST':
        return args.length < 2 ? example('"" "*"') : null;
      case 'FETCH':
        if (args.length < 2) return example('1 (FLAGS ENVELOPE)');
        return /BODY\[/i.test(args.join(' ')) && this.#state === 'selected' ? info('imap.fetch-seen') : null;
      case 'STORE':
        return args.length < 3 ? example('1 +FLAGS (\\Deleted)') : null;
      case 'SEARCH':
        return args.length === 0 ? example('UNSEEN') : null;
      case 'UID':
        return args.length < 2 ? example('FETCH 1:* (FLAGS)') : null;
      case 'STARTTLS':
        return info('imap.starttls-next');
      case 'IDLE':
        return info('imap.idle');
      case 'EXPUNGE':
        return info('imap.expunge');
    }
    return null;
  }

  next(): Hint | null {
    if (this.#idling) return info('imap.next.idle');
    if (this.#pending.size > 0 || this.#sasl || !this.#greeted) return null;
    const tag = this.nextTag();
    switch (this.#state) {
      case 'not-authenticated':
        return info(this.#loginDisabled ? 'imap.next.starttls' : 'imap.next.login', { tag, ...this.#account });
      case 'authenticated':
        return info('imap.next.select', { tag });
      case 'selected':
        return info('imap.next.fetch', { tag });
    }
    return null;
  }
}
