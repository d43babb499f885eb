// SMTP as the terminal sees it: the session state the replies establish
// (RFC 5321 §4.1.4 order: EHLO, MAIL, RCPT, DATA) and, for port 587, the
// MSA's rules (STARTTLS, then AUTH, before MAIL: RFC 6409 §4.3, RFC 8314).
// The hints name the reply our servers give (go-smtp as patched in
// simulator/third_party, simulator/msa, simulator/mx).

import { decodeCredential } from './sasl';
import { demoAccount, domainOf, info, otherAccount, providerOf, warn, words, type Hint, type ProtoTracker, type TrackedTarget } from './terminal-hint';

/** the verbs go-smtp knows; any other line gets 500 5.5.2 */
const known = new Set(['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'RSET', 'NOOP', 'VRFY', 'QUIT', 'AUTH', 'STARTTLS', 'HELP', 'EXPN', 'SEND', 'SOML', 'SAML', 'TURN']);
/** known but answered 502 5.5.1 "command not implemented" */
const unimplemented = new Set(['HELP', 'EXPN', 'SEND', 'SOML', 'SAML', 'TURN']);
/** commands a student might type inside DATA by mistake */
const commandLike = new Set(['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'QUIT', 'AUTH', 'STARTTLS']);

const reply = /^(\d{3})(?:([ -])(.*))?$/;

/**
 * unknownCode is our go-smtp's answer to a line that is no command it
 * knows, whatever its shape (RFC 5321 §4.2.4; MAILLAB-PATCHES.md 4).
 */
const unknownCode = '500';

export class SmtpTracker implements ProtoTracker {
  readonly #t: TrackedTarget;
  #tls: boolean;
  #helo = false;
  /** STARTTLS succeeded and no EHLO since: the server forgot the first one (RFC 3207 §4.2) */
  #afterTls = false;
  #authed = false;
  #authUser = '';
  #trying = '';
  #mail = false;
  #rcpts = 0;
  #data: 'no' | 'body' = 'no';
  /** a 334 came: the next line is a SASL response, not a command */
  #sasl = false;
  #prompt = '';
  #delivered = false;
  /** commands waiting for their final reply, oldest first; the greeting is the first */
  #pending: string[] = ['GREETING'];

  constructor(t: TrackedTarget) {
    this.#t = t;
    this.#tls = t.tls === 'implicit';
  }

  get inData(): boolean {
    return this.#data === 'body';
  }

  nextTag(): string {
    return '';
  }

  tls(): void {
    this.#tls = true;
  }

  sent(line: string): void {
    if (this.#data === 'body') {
      if (line === '.') {
        this.#data = 'no';
        this.#pending.push('.');
      }
      return;
    }
    if (this.#sasl) {
      this.#sasl = false;
      const d = decodeCredential(line, this.#prompt);
      if (d?.kind === 'plain') this.#trying = d.user;
      else if (d?.kind === 'login' && d.part === 'user') this.#trying = d.text;
      return;
    }
    const w = words(line);
    const verb = (w[0] ?? '').toUpperCase();
    if (verb === 'AUTH') {
      const d = decodeCredential(line);
      this.#trying = d?.kind === 'plain' ? d.user : '';
    }
    this.#pending.push(verb);
  }

  received(line: string): void {
    const m = reply.exec(line);
    if (!m || m[2] === '-') return; // not a reply, or a line of a multi-line one
    const code = Number(m[1]);
    if (code === 334) {
      this.#sasl = true;
      this.#prompt = line;
      return;
    }
    this.#sasl = false;
    this.#apply(this.#pending.shift() ?? '', code);
  }

  #apply(cmd: string, code: number): void {
    const ok = code >= 200 && code < 300;
    switch (cmd) {
      case 'EHLO':
      case 'HELO':
        if (ok) [this.#helo, this.#afterTls, this.#mail, this.#rcpts] = [true, false, false, 0];
        break;
      case 'MAIL':
        if (ok) [this.#mail, this.#rcpts, this.#delivered] = [true, 0, false];
        break;
      case 'RCPT':
        if (ok) this.#rcpts++;
        break;
      case 'DATA':
        if (code === 354) this.#data = 'body';
        break;
      case '.':
        [this.#mail, this.#rcpts, this.#delivered] = [false, 0, ok];
        break;
      case 'RSET':
        if (ok) [this.#mail, this.#rcpts] = [false, 0];
        break;
      case 'AUTH':
        if (code === 235) [this.#authed, this.#authUser] = [true, this.#trying];
        break;
      case 'STARTTLS':
        // go-smtp starts over after the handshake: no EHLO, no login, no mail.
        if (code === 220) [this.#tls, this.#helo, this.#afterTls, this.#authed, this.#mail, this.#rcpts] = [true, false, true, false, false, 0];
        break;
    }
  }

  /** #order is what the server says to verb in the current state, when it refuses it. */
  #order(verb: string): Hint | null {
    const submission = this.#t.proto === 'submission';
    switch (verb) {
      case 'MAIL':
        if (!this.#helo) return warn(this.#afterTls ? 'smtp.ehlo-after-tls' : 'smtp.mail-before-helo');
        if (submission && !this.#tls) return warn('smtp.mail-before-starttls');
        if (submission && !this.#authed) return warn('smtp.mail-before-auth');
        return null;
      case 'RCPT':
        return this.#mail ? null : warn('smtp.rcpt-before-mail');
      case 'DATA':
        if (!this.#mail) return warn('smtp.data-before-mail');
        return this.#rcpts === 0 ? warn('smtp.data-before-rcpt') : null;
      case 'AUTH':
        if (!this.#helo) return warn(this.#afterTls ? 'smtp.ehlo-after-tls' : 'smtp.auth-before-helo');
        if (this.#t.proto === 'smtp') return warn('smtp.auth-on-mx');
        if (!this.#tls) return warn('smtp.auth-before-starttls');
        return this.#authed ? warn('smtp.auth-again') : null;
      case 'STARTTLS':
        return this.#tls ? warn('smtp.starttls-already') : null;
    }
    return null;
  }

  allows(verb: string): boolean {
    return this.#order(verb) === null;
  }

  check(draft: string): Hint | null {
    if (this.#data === 'body') return this.#body(draft);
    if (this.#sasl) return info('smtp.sasl-response');
    const w = words(draft);
    const verb = (w[0] ?? '').toUpperCase();
    const arg = draft.trim().slice(w[0]?.length ?? 0).trim();
    if (!known.has(verb)) {
      const typing = !/\s/.test(draft.trimStart()) && [...known].some((k) => k.startsWith(verb));
      return typing ? null : warn('smtp.unknown', { verb: w[0] ?? '', code: unknownCode });
    }
    const order = this.#order(verb);
    // go-smtp wants a mechanism before it asks for TLS: a bare AUTH gets 501 5.5.4 first.
    if (verb === 'AUTH' && !arg && order?.key === 'terminal.hint.smtp.auth-before-starttls') return warn('smtp.auth-syntax');
    return order ?? this.#syntax(verb, arg);
  }

  #syntax(verb: string, arg: string): Hint | null {
    switch (verb) {
      case 'EHLO':
      case 'HELO':
        return arg ? null : warn('smtp.helo-syntax', { verb });
      case 'MAIL':
        if (!/^FROM:\s*<[^>]*>/i.test(arg)) return warn('smtp.mail-syntax');
        if (this.#t.proto === 'submission' && this.#authUser && addrOf(arg).toLowerCase() !== this.#authUser.toLowerCase())
          return warn('smtp.sender-not-owned', { user: this.#authUser });
        return null;
      case 'RCPT':
        return this.#rcpt(arg);
      case 'DATA':
        return arg ? warn('smtp.data-args') : info('smtp.data-next');
      case 'AUTH':
        return this.#auth(arg);
      case 'STARTTLS':
        return info('smtp.starttls-next');
      case 'VRFY':
        return info('smtp.vrfy');
      case 'QUIT':
        return info('smtp.quit');
    }
    return unimplemented.has(verb) ? info('smtp.not-implemented', { verb }) : null;
  }

  #rcpt(arg: string): Hint | null {
    if (!/^TO:\s*<[^>]*>/i.test(arg)) return warn('smtp.rcpt-syntax');
    const domain = domainOf(addrOf(arg));
    const own = providerOf(this.#t.host);
    // An MX takes mail only for its own domain (RFC 5321 §3.6.2, no open relay).
    if (this.#t.proto === 'smtp' && domain && domain !== own) return warn('smtp.relay-denied', { domain, own, host: this.#t.host });
    return null;
  }

  #auth(arg: string): Hint | null {
    const [mech = '', initial] = words(arg);
    if (!mech) return warn('smtp.auth-syntax');
    const m = mech.toUpperCase();
    if (m !== 'PLAIN' && m !== 'LOGIN') return warn('smtp.auth-mech', { mech });
    if (m === 'PLAIN' && initial && initial !== '=' && decodeCredential(`AUTH PLAIN ${initial}`)?.kind !== 'plain') return warn('smtp.auth-bad-plain');
    return info('smtp.auth-base64');
  }

  /** #body: inside DATA every line is message text until the lone dot (RFC 5321 §4.1.1.4). */
  #body(draft: string): Hint {
    if (draft === '.') return info('smtp.data-end');
    if (draft.startsWith('.')) return warn('smtp.dot-stuffing');
    const w0 = words(draft)[0] ?? '';
    if (commandLike.has(w0) && /^\S/.test(draft)) return warn('smtp.in-data', { verb: w0 });
    const from = /^From:(.*)$/i.exec(draft);
    const domain = from ? domainOf(from[1]) : '';
    if (this.#t.proto === 'smtp' && (domain === 'example.org' || domain === 'example.net')) return info('smtp.dmarc', { domain });
    return info('smtp.data-mode');
  }

  next(): Hint | null {
    if (this.#pending.length > 0 || this.#sasl) return null; // a reply is on its way
    if (!this.#helo) return info(this.#afterTls ? 'smtp.next.ehlo-again' : 'smtp.next.ehlo');
    const submission = this.#t.proto === 'submission';
    if (submission && !this.#tls) return info('smtp.next.starttls');
    if (submission && !this.#authed) return info('smtp.next.auth');
    if (this.#delivered && !this.#mail) return info('smtp.next.done');
    // Examples that work here: the MSA takes its user's own address and sends anywhere; the MX takes anyone, for its own users.
    const own = demoAccount(this.#t.host).user;
    if (!this.#mail) return info('smtp.next.mail', { from: submission ? this.#authUser || own : 'student@example.com' });
    return info(this.#rcpts === 0 ? 'smtp.next.rcpt' : 'smtp.next.data', { to: submission ? otherAccount(this.#t.host) : own });
  }
}

/** addrOf is the address between < and > of "FROM:<a@b> SIZE=1". */
function addrOf(arg: string): string {
  return /<([^>]*)>/.exec(arg)?.[1] ?? '';
}
