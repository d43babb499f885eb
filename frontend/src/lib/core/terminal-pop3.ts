// POP3 as the terminal sees it: the AUTHORIZATION and TRANSACTION states
// (RFC 1939 §3) and the multi-line answers that end with a lone dot. The
// hints name the replies of simulator/pop3.

import { demoAccount, info, warn, words, type Hint, type ProtoTracker, type TrackedTarget } from './terminal-hint';

const transaction = new Set(['STAT', 'LIST', 'UIDL', 'RETR', 'TOP', 'DELE', 'NOOP', 'RSET']);
const login = new Set(['USER', 'PASS', 'APOP', 'AUTH']);
const known = new Set([...transaction, ...login, 'QUIT', 'CAPA', 'STLS']);

interface Pending {
  verb: string;
  /** +OK starts a multi-line answer ending with "." (RFC 1939 §3) */
  multi: boolean;
}

/** multiLine: which commands answer with a list (RFC 1939 §5, RFC 2449 §5, bare AUTH as common servers do). */
function multiLine(verb: string, args: string[]): boolean {
  if (verb === 'LIST' || verb === 'UIDL' || verb === 'AUTH') return args.length === 0;
  return verb === 'RETR' || verb === 'TOP' || verb === 'CAPA';
}

export class Pop3Tracker implements ProtoTracker {
  readonly #t: TrackedTarget;
  #tls: boolean;
  #state: 'authorization' | 'transaction' = 'authorization';
  #user = false;
  #inList = false;
  #sasl = false;
  #pending: Pending[] = [{ verb: 'GREETING', multi: false }];

  get #account(): { user: string; password: string } {
    return demoAccount(this.#t.host);
  }

  constructor(t: TrackedTarget) {
    this.#t = t;
    this.#tls = t.tls === 'implicit';
  }

  readonly inData = false;

  nextTag(): string {
    return '';
  }

  tls(): void {
    this.#tls = true;
  }

  sent(line: string): void {
    if (this.#sasl) {
      this.#sasl = false; // the answer to "+ ": not a command
      return;
    }
    const [w0 = '', ...args] = words(line);
    const verb = w0.toUpperCase();
    this.#pending.push({ verb, multi: multiLine(verb, args) });
  }

  received(line: string): void {
    if (this.#inList) {
      if (line === '.') this.#inList = false;
      return;
    }
    if (line === '+' || line.startsWith('+ ')) {
      this.#sasl = true; // a SASL challenge (RFC 5034 §4)
      return;
    }
    const ok = line.startsWith('+OK');
    if (!ok && !line.startsWith('-ERR')) return;
    this.#sasl = false;
    const p = this.#pending.shift();
    if (!p) return;
    if (ok && p.multi) this.#inList = true;
    this.#apply(p.verb, ok);
  }

  #apply(verb: string, ok: boolean): void {
    switch (verb) {
      case 'USER':
        this.#user = ok;
        break;
      case 'PASS':
        this.#user = false; // RFC 1939 §7: a new attempt starts with USER again
        if (ok) this.#state = 'transaction';
        break;
      case 'APOP':
      case 'AUTH':
        if (ok) this.#state = 'transaction';
        break;
      case 'STLS':
        if (ok) this.#tls = true;
        break;
    }
  }

  #order(verb: string): Hint | null {
    const logged = this.#state === 'transaction';
    if (transaction.has(verb) && !logged) return warn('pop3.before-login', { verb, ...this.#account });
    if (login.has(verb) && logged) return warn('pop3.already-logged-in', { verb });
    if (verb === 'PASS' && !this.#user) return warn('pop3.pass-before-user', { user: this.#account.user });
    if (verb === 'STLS' && logged) return warn('pop3.stls-after-login');
    if (verb === 'STLS' && this.#tls) return warn('pop3.stls-already');
    return null;
  }

  allows(verb: string): boolean {
    return this.#order(verb) === null;
  }

  check(draft: string): Hint | null {
    if (this.#sasl) return info('pop3.sasl-response');
    const [w0 = '', ...args] = words(draft);
    const verb = w0.toUpperCase();
    if (!known.has(verb)) {
      const typing = !/\s/.test(draft.trimStart()) && [...known].some((k) => k.startsWith(verb));
      return typing ? null : warn('pop3.unknown', { verb: w0 });
    }
    return this.#order(verb) ?? this.#syntax(verb, args);
  }

  #syntax(verb: string, args: string[]): Hint | null {
    switch (verb) {
      case 'USER':
      case 'PASS':
        if (args.length === 0) return warn('pop3.syntax', { verb, example: `${verb} ${verb === 'USER' ? this.#account.user : this.#account.password}` });
        return this.#tls ? null : info('pop3.plaintext', { verb });
      case 'RETR':
      case 'DELE':
        if (!/^\d+$/.test(args[0] ?? '')) return warn('pop3.syntax', { verb, example: `${verb} 1` });
        return verb === 'DELE' ? info('pop3.dele') : null;
      case 'TOP':
        return args.length === 2 ? null : warn('pop3.syntax', { verb, example: 'TOP 1 5' });
      case 'STLS':
        return info('pop3.stls-next');
      case 'QUIT':
        return this.#state === 'transaction' ? info('pop3.quit-update') : null;
    }
    return null;
  }

  next(): Hint | null {
    if (this.#pending.length > 0 || this.#inList || this.#sasl) return null;
    if (this.#state === 'transaction') return info('pop3.next.transaction');
    return info(this.#user ? 'pop3.next.pass' : this.#tls || this.#t.tls !== 'starttls' ? 'pop3.next.user' : 'pop3.next.stls', this.#account);
  }
}
