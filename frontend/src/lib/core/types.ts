// The records the Go side sends. They mirror simulator/event.Event and the
// app package's RunInfo and Snapshot; []byte fields arrive base64-encoded.

export type Kind = 'open' | 'close' | 'line' | 'tls' | 'packet' | 'action' | 'state' | 'skip';
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
  /** the line's bytes are its text and CRLF: raw was left out (the browser's event stream does so) */
  rawText?: boolean;
  wire?: string; // base64
  encrypted?: boolean;
  credential?: boolean;
  /** the server took the credential out (a viewer's copy): nothing to reveal */
  masked?: boolean;
  truncated?: boolean;
  /** the end of a cut line (text holds its start) */
  tail?: string;
  /** bytes not recorded: between text and tail, or the lines a 'skip' event stands for */
  omitted?: number;
  /** a 'skip' event: how many lines of a message body were not recorded */
  omittedLines?: number;
  /** a 'skip' event: the recording limit in bytes */
  limit?: number;
  /** the event that carries this line's TLS record (wire is sent once per record) */
  wireSeq?: number;
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

/** RoomStatus: whether this Maillab is a provider of a classroom, and as whom (Go: app.RoomStatus). */
export interface RoomStatus {
  joined: boolean;
  host?: string;
  zone?: string;
  domain?: string;
  account?: string;
  password?: string;
  /** the LAN address the provider's servers listen on */
  address?: string;
  ports?: { offset: number; smtp: number; submission: number; submissions: number; pop3: number; pop3s: number; imap: number; imaps: number };
  devices?: string[];
  summary?: string;
}

export interface RunInfo {
  runId: number | string;
  scenario: string;
  nodes: NodeInfo[];
  ports: PortInfo[];
  mode: string; // "step" or "play"
  interval: number; // ms between lines in play mode
  /** the title of the world the run is in (its world file's title; absent when it has none) */
  world?: string;
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
  status?: string; // its enhanced status code (RFC 3463): "5.1.1", "4.4.1"
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

/** an account's storage against its quota, in octets; quota 0: no limit */
export interface Usage {
  used: number;
  quota: number;
}

export interface UserSnapshot {
  address: string;
  mailboxes: MailboxSnapshot[];
  usage?: Usage;
}

export interface LocalMessage {
  key: string;
  subject: string;
  from: string;
  size: number;
  seen: boolean;
  /** \Flagged (IMAP): starred in the client */
  flagged?: boolean;
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
  /** a task done by hand in the live world (lesson.Exercise) */
  exercise?: LessonExercise;
}

/** An exercise of a lesson: the task, checked by looking in a mailbox. */
export interface LessonExercise {
  id: string;
  mailbox: string;
  task: string;
}

/** The verdict of an exercise's check (app.ExerciseResult): key and params are the i18n text. */
export interface ExerciseResult {
  done: boolean;
  count: number;
  subject: string;
  from: string;
  key: string;
  params: Record<string, string> | null;
}

/** A server the "type it yourself" terminal can connect to (app.TerminalTarget). */
export interface TerminalTarget {
  host: string;
  /** the well-known port: 25, 587, 465, 110, 995, 143, 993 */
  port: number;
  proto: 'smtp' | 'submission' | 'pop3' | 'imap';
  tls: 'starttls' | 'implicit' | 'none';
  /** where it really listens in this run */
  addr: string;
}

export interface TerminalInfo {
  id: number;
  target: TerminalTarget;
  clientAddr: string;
}

/** One line or note of a terminal session; key/params, when set, are the text to show. */
export interface TerminalEntry {
  term: number;
  /** index in its session */
  n: number;
  kind: 'sent' | 'received' | 'tls' | 'info' | 'closed' | 'error';
  text: string;
  key?: string;
  params?: Record<string, string>;
  credential?: boolean;
  masked?: boolean; // hidden by the server for a viewer
  time: string;
}

/** One way to reach one server of a provider from your own mail program (clientconfig.Server). */
export interface MailServerSetting {
  direction: 'incoming' | 'outgoing';
  protocol: 'imap' | 'pop3' | 'smtp';
  /** imaps, imap, pop3s, pop3, submissions, submission */
  service: string;
  /** its name in the world: mail.example.org */
  host: string;
  wellKnown: number;
  /** Thunderbird's socketType: SSL is "SSL/TLS" (implicit TLS) */
  security: 'SSL' | 'STARTTLS';
  /** what to type: the bind address and base + port */
  hostname: string;
  port: number;
  addr: string;
  username: string;
  /** password-cleartext: "Normal password" */
  auth: string;
}

/** One provider on the "Connect your own mail client" page (app.ProviderSettings). */
export interface ProviderSettings {
  title: string;
  domain: string;
  owner: string;
  address: string;
  password: string;
  incoming: MailServerSetting[];
  outgoing: MailServerSetting[];
  /** '' outside browser mode */
  autoconfigUrl: string;
}

/** What the "Connect your own mail client" page shows (app.ClientSettings). */
export interface ClientSettings {
  /** false: no listeners for your own clients; note says why */
  portMap: boolean;
  bind: string;
  portBase: number;
  note: string;
  providers: ProviderSettings[];
  /** where the CA certificate was written, '' if not */
  caFile: string;
  /** browser mode only: the CA as a download, and the value for mailnews.auto_config_url */
  caUrl: string;
  ispdbUrl: string;
}

/** what an export holds: the pcapng capture, or the transcript as text or Markdown */
export type ExportKind = 'pcapng' | 'text' | 'markdown';

export interface ExportRequest {
  kind: ExportKind;
  /** language of the explanations */
  lang: string;
  /** pcapng only: the TLS session secrets, so Wireshark decrypts TLS (implies secrets) */
  keys: boolean;
  /** passwords and AUTH lines as they were sent */
  secrets: boolean;
}

/** ExportFile mirrors app.ExportFile: the content arrives base64-encoded. */
export interface ExportFile {
  name: string;
  mime: string;
  base64: string;
}

/** a built export, ready to hand to the browser's download */
export interface ExportBlob {
  name: string;
  blob: Blob;
}

/** EventPage is one page of the run's history (the Go side's app.EventPage). */
export interface EventPage {
  events: MailEvent[];
  /** the oldest seq the run still keeps (0: none yet) */
  first: number;
  /** how many of the oldest events were let go (recording limit) */
  dropped: number;
  /** the newest seq logged */
  last: number;
  /** more events follow: ask again since the last one */
  more: boolean;
}

/** A message on a device, as its mail client shows it (Go app.MailItem). */
export interface MailItem extends LocalMessage {
  /** the device has the whole message, not only its envelope (IMAP before Open) */
  whole: boolean;
  /** file names of the attachments, when the device has the whole message */
  attachments: string[];
  /** the text part, when the device has the whole message */
  body: string;
}

/** One device's mail client (Go app.DeviceInfo). */
export interface DeviceInfo {
  id: string;
  account: string;
  protocol: 'pop3' | 'imap';
  /** how it connects (the world's device settings); older servers leave these out */
  security?: 'starttls' | 'implicit' | 'plain';
  port?: number;
  /** POP3: "leave a copy on the server" starts checked */
  leaveOnServer?: boolean;
  folders: string[];
  messages: MailItem[];
  busy: boolean;
}

/** A sample attachment the mail client offers. */
export interface SampleFile {
  name: string;
  type: string;
  size: number;
}

export type MailRoute = '587' | '465' | '25';

export interface UploadedFile {
  name: string;
  type: string;
  base64: string;
}

/** The compose window's content (Go app.ComposeRequest). */
export interface ComposeRequest {
  lang: string;
  device: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  samples: string[];
  uploads: UploadedFile[];
  route: MailRoute;
}

/** A press of "Check mail" (Go app.CheckRequest). */
export interface CheckRequest {
  lang: string;
  device: string;
  leaveOnServer: boolean;
}

/** A click on a message of a device's IMAP inbox (Go app.OpenRequest). */
export interface OpenRequest {
  lang: string;
  device: string;
  key: string;
}

/** The answer to compose, checkMail and openMail: the action has started. */
export interface ActionStarted {
  device: string;
  /** the run holds each line until Step or Play */
  stepped: boolean;
  protocol?: string;
}

/** One troubleshooting challenge in the list (app.ChallengeInfo). */
export interface ChallengeInfo {
  id: string;
  title: string;
  task: string;
  hints: number;
}

/** One part of a challenge's goal, in words, and whether the last check found it (app.ChallengeFact). */
export interface ChallengeFact {
  key: string;
  text: string;
  met: boolean;
  got?: string;
}

/** Where the running challenge stands (app.ChallengeStatus); id '' when none runs. */
export interface ChallengeStatus {
  id: string;
  /** a teacher's challenge file, in its author's words (id 'file') */
  own?: boolean;
  title?: string;
  task?: string;
  goal: ChallengeFact[];
  checked: boolean;
  met: boolean;
  solved: boolean;
  testError?: string;
  hints: string[];
  hintsTotal: number;
  explanation?: string;
  /** the classroom's host handed it out; reported: the room map knows it is solved */
  room?: boolean;
  reported?: boolean;
}
