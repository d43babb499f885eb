// Command completion for the terminal: the verbs of each protocol, with an
// example line and a short description (an i18n key), the ones the server
// would accept now listed first.

import type { TermProto } from './terminal-hint';

interface Verb {
  verb: string;
  /** what Tab puts into the input (after the IMAP tag) */
  insert: string;
  example: string;
  /** no tag in front (IMAP DONE) */
  untagged?: boolean;
}

const v = (verb: string, insert = verb, example = insert.trim()): Verb => ({ verb, insert, example });

const smtp: Verb[] = [
  v('EHLO', 'EHLO ', 'EHLO student.example.com'),
  v('HELO', 'HELO ', 'HELO student.example.com'),
  v('STARTTLS'),
  v('AUTH', 'AUTH PLAIN ', 'AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHdvbmRlcmxhbmQ='),
  v('AUTH', 'AUTH LOGIN'),
  v('MAIL', 'MAIL FROM:<', 'MAIL FROM:<student@example.com>'),
  v('RCPT', 'RCPT TO:<', 'RCPT TO:<bob@example.net>'),
  v('DATA'),
  v('RSET'),
  v('NOOP'),
  v('VRFY', 'VRFY ', 'VRFY bob'),
  v('QUIT'),
  v('HELP'),
];

const pop3: Verb[] = [
  v('CAPA'),
  v('STLS'),
  v('USER', 'USER ', 'USER bob@example.net'),
  v('PASS', 'PASS ', 'PASS builder'),
  v('AUTH', 'AUTH PLAIN ', 'AUTH PLAIN AGJvYkBleGFtcGxlLm5ldABidWlsZGVy'),
  v('APOP', 'APOP ', 'APOP bob@example.net <md5 digest>'),
  v('STAT'),
  v('LIST', 'LIST', 'LIST 1'),
  v('UIDL'),
  v('RETR', 'RETR ', 'RETR 1'),
  v('TOP', 'TOP ', 'TOP 1 5'),
  v('DELE', 'DELE ', 'DELE 1'),
  v('RSET'),
  v('NOOP'),
  v('QUIT'),
];

const imap: Verb[] = [
  v('CAPABILITY'),
  v('STARTTLS'),
  v('LOGIN', 'LOGIN ', 'LOGIN bob@example.net builder'),
  v('AUTHENTICATE', 'AUTHENTICATE PLAIN ', 'AUTHENTICATE PLAIN AGJvYkBleGFtcGxlLm5ldABidWlsZGVy'),
  v('SELECT', 'SELECT ', 'SELECT INBOX'),
  v('EXAMINE', 'EXAMINE ', 'EXAMINE INBOX'),
  v('LIST', 'LIST ', 'LIST "" "*"'),
  v('STATUS', 'STATUS ', 'STATUS INBOX (MESSAGES UNSEEN)'),
  v('FETCH', 'FETCH ', 'FETCH 1 (FLAGS ENVELOPE)'),
  v('UID', 'UID ', 'UID FETCH 1:* (FLAGS)'),
  v('SEARCH', 'SEARCH ', 'SEARCH UNSEEN'),
  v('STORE', 'STORE ', 'STORE 1 +FLAGS (\\Seen)'),
  v('EXPUNGE'),
  v('IDLE'),
  { ...v('DONE'), untagged: true },
  v('NOOP'),
  v('LOGOUT'),
];

export function verbsOf(proto: TermProto): readonly Verb[] {
  return proto === 'pop3' ? pop3 : proto === 'imap' ? imap : smtp;
}

/** descKey is the i18n key of a verb's short description. */
export function descKey(proto: TermProto, verb: Verb): string {
  const p = proto === 'submission' ? 'smtp' : proto;
  return `terminal.verb.${p}.${verb.insert.trim().toLowerCase().replace(/[^a-z]+/g, '-').replace(/-$/, '')}`;
}

/** A completion: the line the input becomes, how it is listed, and whether the server would take it now. */
export interface Suggestion {
  /** the whole new input */
  line: string;
  label: string;
  example: string;
  desc: string;
  allowed: boolean;
}

/** What completion needs to know about the session. */
export interface CompletionState {
  allows(verb: string): boolean;
  nextTag(): string;
  readonly inData: boolean;
}

/**
 * suggest lists the verbs that complete draft (case-insensitive), those
 * the server accepts now first. Empty while the command word is done, in
 * DATA, or for an empty draft (IMAP: a tag and a space list every verb).
 */
export function suggest(proto: TermProto, draft: string, st: CompletionState): Suggestion[] {
  if (st.inData || draft.trim() === '') return [];
  let tag = '';
  let typed = draft.trimStart();
  if (proto === 'imap') {
    const m = /^(\S+)\s+(.*)$/.exec(typed);
    if (m) [tag, typed] = [m[1], m[2]];
  }
  const up = typed.toUpperCase();
  const out: Suggestion[] = [];
  for (const verb of verbsOf(proto)) {
    const target = verb.insert.toUpperCase();
    if (!target.startsWith(up) || up.length >= target.trimEnd().length) continue;
    if (verb.untagged && tag) continue;
    const t = verb.untagged ? '' : tag || (proto === 'imap' ? st.nextTag() : '');
    const pre = t ? `${t} ` : '';
    out.push({
      line: pre + verb.insert,
      label: verb.insert.trim(),
      example: pre + verb.example,
      desc: descKey(proto, verb),
      allowed: st.allows(verb.verb),
    });
  }
  return out.filter((s) => s.allowed).concat(out.filter((s) => !s.allowed));
}

/** allDescKeys lists every description key (for the catalog test). */
export function allDescKeys(): string[] {
  const protos: TermProto[] = ['smtp', 'pop3', 'imap'];
  return protos.flatMap((p) => verbsOf(p).map((x) => descKey(p, x)));
}
