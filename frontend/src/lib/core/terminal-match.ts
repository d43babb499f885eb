// Which run line a terminal line is: the server's tap logs the terminal's
// connection like any other, so the nth "sent" line with a text is the nth
// client line with that text from the terminal's address.

import type { MailEvent, TerminalEntry } from './types';

export function matchEvent(entries: readonly TerminalEntry[], index: number, events: readonly MailEvent[], clientAddr: string): MailEvent | undefined {
  const e = entries[index];
  if (!e || (e.kind !== 'sent' && e.kind !== 'received') || !clientAddr) return undefined;
  const dir = e.kind === 'sent' ? 'C' : 'S';
  let nth = 0;
  for (let i = 0; i < index; i++) if (entries[i].kind === e.kind && entries[i].text === e.text) nth++;
  for (const ev of events) {
    if (ev.kind !== 'line' || ev.clientAddr !== clientAddr || ev.dir !== dir || ev.text !== e.text) continue;
    if (nth-- === 0) return ev;
  }
  return undefined;
}
