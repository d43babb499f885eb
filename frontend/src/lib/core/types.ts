// The records the Go side sends. They mirror simulator/event.Event and the
// app package's RunInfo and Snapshot; []byte fields arrive base64-encoded.

export type Kind = 'open' | 'close' | 'line' | 'tls' | 'packet' | 'action' | 'state';
export type Dir = 'C' | 'S';

export interface MailEvent {
  seq: number;
  time?: string;
  kind: Kind;
  conn?: number;
  client?: string;
  server?: string;
  proto?: string;
  port?: number;
  addr?: string;
  clientAddr?: string;
  dir?: Dir;
  text?: string;
  raw?: string; // base64
  wire?: string; // base64
  encrypted?: boolean;
  credential?: boolean;
  truncated?: boolean;
  actor?: string;
  code?: string;
  params?: Record<string, string>;
  /** the Go side's explanation, when it has one */
  explain?: LineExplanation;
}

export type Role = 'MUA' | 'MSA' | 'MTA' | 'MDA' | 'POP3/IMAP' | 'DNS' | 'external';

export interface NodeInfo {
  id: string;
  label: string; // i18n key
  role: Role;
  domain?: string;
  ip: string;
}

export interface PortInfo {
  host: string;
  port: number;
  addr: string;
}

export interface RunInfo {
  runId: number | string;
  scenario: string;
  nodes: NodeInfo[];
  ports: PortInfo[];
  mode: string; // "step" or "play"
  interval: number; // ms between lines in play mode
}

export interface ScenarioInfo {
  id: string;
  title: string;
  summary: string;
}

export type QueueState =
  | 'queued'
  | 'looking-up-mx'
  | 'connecting'
  | 'sending'
  | 'sent'
  | 'deferred'
  | 'bounced'
  | 'failed';

/** One envelope recipient of a queue item (mta.Recipient). */
export interface QueueRecipient {
  addr: string;
  state: QueueState;
  reply?: string; // the last answer about it: "550 5.1.1 <...>: ..."
}

/** One outgoing message on its way to one domain (world.QueueItem). */
export interface QueueItem {
  id: string; // shared by the items of one message for several domains
  from: string;
  /** recipients: objects from the Go side; plain addresses accepted too */
  to: (QueueRecipient | string)[];
  toAddresses?: string[];
  state: QueueState;
  nextRetry?: string;
  lastError?: string;
  attempts: number;
  provider?: string; // whose queue: example.org or example.net
  domain?: string; // the destination domain
  mx?: string;
  addr?: string;
  size?: number;
  node?: string;
}

export interface StoredMessage {
  uid: number;
  flags: string[];
  size: number;
  internalDate: string;
  from: string;
  subject: string;
}

export interface MailboxSnapshot {
  name: string;
  uidValidity: number;
  uidNext: number;
  count: number;
  unseen: number;
  deleted?: number;
  messages: StoredMessage[];
}

export interface UserSnapshot {
  address: string;
  mailboxes: MailboxSnapshot[];
}

export interface LocalMessage {
  key: string;
  subject: string;
  from: string;
  size: number;
  seen: boolean;
  via: 'pop3' | 'imap';
  onServer: boolean;
}

export interface Snapshot {
  queue: QueueItem[];
  mailboxes: { domain: string; users: UserSnapshot[] }[];
  devices: { node: string; messages: LocalMessage[] }[];
}

/** A translatable text: an i18n key and its named parameters. */
export interface Msg {
  key: string;
  params?: Record<string, string>;
}

/**
 * The Go side's explanation of a line (lessons/explain): an i18n key with
 * its parameters, further detail keys, the RFC reference and the reply
 * class. generic marks the honest fallback ("a client line of SMTP").
 */
export interface LineExplanation {
  key: string;
  params?: Record<string, string>;
  details?: string[];
  rfc?: string;
  class?: string;
  generic?: boolean;
}

/** A lesson pattern (lessons/lesson.Pattern): all given fields must match one event. */
export interface Pattern {
  /** line (default), packet, tls, action */
  kind?: string;
  proto?: string;
  dir?: string;
  client?: string;
  server?: string;
  /** a regular expression (RE2 in Go) on the line's text */
  text?: string;
  code?: string;
  /** the nth match (1-based); 0 or missing: the first */
  nth?: number;
}

export interface LessonNote {
  id: string;
  at: Pattern;
  /** the {#id} of the body section the note belongs to */
  section?: string;
  text: string;
}

export interface Question {
  id: string;
  kind: 'choice' | 'next';
  /** a "next" question is asked before the event this matches is released */
  before?: Pattern;
  question: string;
  answers: string[];
  correct: number;
  explain: string;
}

export interface LessonSummary {
  id: string;
  number: number;
  /** empty: a reading page without a run */
  scenario?: string;
  title: string;
  summary: string;
}

export interface Lesson extends LessonSummary {
  /** Markdown */
  body: string;
  notes: LessonNote[];
  quiz: Question[];
  lang: string;
}
