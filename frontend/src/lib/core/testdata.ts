// Helpers for unit tests: the sample run and small event builders.
import sample from './fixtures/sample-events.json';
import type { MailEvent } from './types';

export const sampleEvents = sample as MailEvent[];

let seq = 1000;

/** line builds one line event of a connection. */
export function line(conn: number, proto: string, dir: 'C' | 'S', text: string, extra: Partial<MailEvent> = {}): MailEvent {
  return {
    seq: ++seq,
    kind: 'line',
    conn,
    client: 'bob-phone',
    server: 'mail.example.net',
    proto,
    port: proto === 'imap' ? 143 : proto === 'pop3' ? 110 : 25,
    addr: '127.0.0.1:20143',
    dir,
    text,
    ...extra,
  };
}

/** lines builds a whole exchange from "C: ..." / "S: ..." strings. */
export function lines(conn: number, proto: string, script: string[]): MailEvent[] {
  return script.map((s) => line(conn, proto, s.startsWith('C:') ? 'C' : 'S', s.slice(3)));
}
