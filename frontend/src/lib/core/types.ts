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
