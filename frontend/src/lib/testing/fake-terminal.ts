// The terminal part of the FakeBridge: a pretend server that logs what is
// sent and answers with whatever the test's answer function says.

import type { TerminalEntry, TerminalInfo, TerminalTarget } from '../core/types';

const t = (host: string, port: number, proto: TerminalTarget['proto'], tls: TerminalTarget['tls'], base: number): TerminalTarget => ({
  host,
  port,
  proto,
  tls,
  addr: `127.0.0.1:${base + port}`,
});

export const fakeTargets: TerminalTarget[] = [
  t('smtp.example.org', 587, 'submission', 'starttls', 10000),
  t('smtp.example.org', 465, 'submission', 'implicit', 10000),
  t('mx.example.org', 25, 'smtp', 'starttls', 10000),
  t('mail.example.org', 110, 'pop3', 'starttls', 10000),
  t('mail.example.org', 995, 'pop3', 'implicit', 10000),
  t('mail.example.org', 143, 'imap', 'starttls', 10000),
  t('mail.example.org', 993, 'imap', 'implicit', 10000),
  t('smtp.example.net', 587, 'submission', 'starttls', 20000),
  t('smtp.example.net', 465, 'submission', 'implicit', 20000),
  t('mx.example.net', 25, 'smtp', 'starttls', 20000),
  t('mail.example.net', 110, 'pop3', 'starttls', 20000),
  t('mail.example.net', 995, 'pop3', 'implicit', 20000),
  t('mail.example.net', 143, 'imap', 'starttls', 20000),
  t('mail.example.net', 993, 'imap', 'implicit', 20000),
];

function greeting(target: TerminalTarget): string {
  if (target.proto === 'pop3') return '+OK POP3 server ready';
  if (target.proto === 'imap') return '* OK [CAPABILITY IMAP4rev2] IMAP server ready';
  return `220 ${target.host} ESMTP Maillab`;
}

export class FakeTerminal {
  targets = fakeTargets;
  sent: string[] = [];
  /** what the pretend server answers to a line */
  answer: (line: string) => string[] = () => [];
  readonly #push: (e: TerminalEntry[]) => void;
  #next = 1;
  #logs = new Map<number, TerminalEntry[]>();

  constructor(push: (e: TerminalEntry[]) => void) {
    this.#push = push;
  }

  #add(id: number, kind: TerminalEntry['kind'], texts: string[], credential = false): void {
    const log = this.#logs.get(id) ?? [];
    this.#logs.set(id, log);
    const batch = texts.map((text) => ({ term: id, n: log.length, kind, text, credential, time: '2025-01-01T00:00:00Z' }) as TerminalEntry);
    batch.forEach((e, i) => (e.n = log.length + i));
    log.push(...batch);
    this.#push(batch);
  }

  open(host: string, port: number): TerminalInfo {
    const target = this.targets.find((x) => x.host === host && x.port === port);
    if (!target) throw new Error(`no server ${host}:${port}`);
    const id = this.#next++;
    if (target.tls === 'implicit') this.#add(id, 'tls', ['TLS 1.3']);
    this.#add(id, 'received', [greeting(target)]);
    return { id, target, clientAddr: `127.0.0.1:${40000 + id}` };
  }

  send(id: number, line: string): void {
    if (!this.#logs.has(id)) throw new Error(`no terminal ${id}`);
    this.sent.push(line);
    this.#add(id, 'sent', [line], /^(AUTH|PASS)\b|\bLOGIN\b/i.test(line));
    const replies = this.answer(line);
    if (replies.length) this.#add(id, 'received', replies);
  }

  close(id: number): void {
    this.#add(id, 'closed', ['connection closed']);
  }

  log(id: number): TerminalEntry[] {
    return [...(this.#logs.get(id) ?? [])];
  }
}
