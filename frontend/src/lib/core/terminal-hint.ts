// What the terminal's protocol trackers share: the hint type and small
// helpers for reading command lines.

import type { TerminalTarget } from './types';

export type TermProto = TerminalTarget['proto'];

/** A hint under the input: warn when the server will refuse the line, info to explain. */
export interface Hint {
  key: string;
  params?: Record<string, string>;
  tone: 'warn' | 'info';
}

export const warn = (key: string, params?: Record<string, string>): Hint => ({ key: `terminal.hint.${key}`, params, tone: 'warn' });
export const info = (key: string, params?: Record<string, string>): Hint => ({ key: `terminal.hint.${key}`, params, tone: 'info' });

/** The part of a target a tracker needs. */
export type TrackedTarget = Pick<TerminalTarget, 'host' | 'port' | 'proto' | 'tls'>;

/** What every protocol's tracker does. */
export interface ProtoTracker {
  /** a line the terminal sent */
  sent(line: string): void;
  /** a line the server sent */
  received(line: string): void;
  /** the connection is encrypted from now on */
  tls(): void;
  /** what the non-empty draft will do, or null when nothing needs saying */
  check(draft: string): Hint | null;
  /** what to do next, when the draft is empty */
  next(): Hint | null;
  /** false when the state makes the server refuse verb (for ordering suggestions) */
  allows(verb: string): boolean;
  /** the tag for the next IMAP command ('' for other protocols) */
  nextTag(): string;
  /** inside DATA: lines are message text, not commands */
  readonly inData: boolean;
}

/** words splits a command line at white space. */
export function words(line: string): string[] {
  return line.trim().split(/\s+/).filter(Boolean);
}

/** domainOf is the part after @ of an address, with or without <>, lower case. */
export function domainOf(addr: string): string {
  const a = addr.replace(/^.*?<|>.*$/g, '').trim();
  const at = a.lastIndexOf('@');
  return at < 0 ? '' : a.slice(at + 1).toLowerCase();
}

/** providerOf is the mail domain a server host belongs to: mx.example.net → example.net. */
export function providerOf(host: string): string {
  return host.replace(/^(mx|smtp|mail)\./, '').toLowerCase();
}

/** demoAccount is the demo user of the provider a host belongs to (for examples and the AUTH helper). */
export function demoAccount(host: string): { user: string; password: string } {
  return providerOf(host) === 'example.net'
    ? { user: 'bob@example.net', password: 'builder' }
    : { user: 'alice@example.org', password: 'wonderland' };
}

/** otherAccount is the demo user of the other provider (a recipient for submission). */
export function otherAccount(host: string): string {
  return providerOf(host) === 'example.net' ? 'alice@example.org' : 'bob@example.net';
}
