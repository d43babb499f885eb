import type { EventPage, Lesson, LessonSummary, MailEvent, RoomStatus, RunInfo, ScenarioInfo, Snapshot } from '../core/types';
import type { EventsPushed, OpenPushed, RoomPushed, RunPushed, ShowRoomPushed, SnapshotPushed, TerminalPushed } from './events';
import type { RoomOptions, RoomPush, RoomScreen } from '../core/room';
import type { TerminalEntry, TerminalInfo, TerminalTarget } from '../core/types';
import type { ExerciseResult } from '../core/types';
import type { ChallengeInfo, ChallengeStatus } from '../core/types';
import type { ChallengeDraft, GoalChoices } from '../core/chedit';
import type { ClientSettings } from '../core/types';
import type { ExportBlob, ExportRequest } from '../core/types';
import type { ActionStarted, CheckRequest, ComposeRequest, DeviceInfo, OpenRequest, SampleFile } from '../core/types';
import type { DeviceSettings, DNSZone, PolicySettings, RecordCheck, ServerName, WorldSettings } from '../core/settings';

export interface Payloads {
  [EventsPushed]: MailEvent[];
  [SnapshotPushed]: Snapshot;
  [RunPushed]: RunInfo;
  [TerminalPushed]: TerminalEntry[];
  [RoomPushed]: RoomPush;
  [ShowRoomPushed]: null;
  [OpenPushed]: string;
}

export type PushName = keyof Payloads;

/**
 * Bridge is the only way the UI talks to the Go side. Every method returns
 * a promise that rejects with a readable Error.
 */
export interface Bridge {
  /** transport name, for the status line: "wails", "http" or "wasm" (the web edition, in this browser) */
  readonly transport: 'wails' | 'http' | 'wasm';
  /** false for a browser viewer without the control token */
  readonly canControl: boolean;

  scenarios(lang: string): Promise<ScenarioInfo[]>;
  start(id: string): Promise<RunInfo>;
  /** the current run; rejects when none was started yet */
  run(): Promise<RunInfo>;
  step(): Promise<boolean>;
  play(intervalMs: number): Promise<void>;
  pause(): Promise<void>;
  reset(): Promise<RunInfo>;
  /** one page of the history after seq since: at most limit events (the Go side's default when left out) */
  events(since: number, limit?: number): Promise<EventPage>;
  snapshot(): Promise<Snapshot>;
  catalog(lang: string): Promise<Record<string, string>>;
  ready(): Promise<void>;
  /** the lessons whose scenario exists, in menu order */
  lessons(lang: string): Promise<LessonSummary[]>;
  lesson(id: string, lang: string): Promise<Lesson>;
  /** the lines held at the gate, oldest first: [0] is what step() releases next */
  waiting(): Promise<MailEvent[]>;
  /** challenges lists the troubleshooting challenges in lang (read-only) */
  challenges(lang: string): Promise<ChallengeInfo[]>;
  /** startChallenge opens the challenge's broken world in the live run (needs control) */
  startChallenge(id: string, lang: string): Promise<ChallengeStatus>;
  /** checkChallenge sends the challenge's test mail and checks its goal (needs control) */
  checkChallenge(lang: string): Promise<ChallengeStatus>;
  /** challengeStatus says where the running challenge stands (read-only) */
  challengeStatus(lang: string): Promise<ChallengeStatus>;
  /** nextHint shows one more hint (needs control) */
  nextHint(lang: string): Promise<ChallengeStatus>;
  /** challengeGoals: the facts a teacher's goal may ask for, with the running world's accounts and devices (read-only) */
  challengeGoals(lang: string): Promise<GoalChoices>;
  /** challengeFile is the running world plus the draft as a challenge file; rejects with one line per wrong field (needs control) */
  challengeFile(draft: ChallengeDraft, lang: string): Promise<string>;
  /** openChallenge starts the challenge a file's text holds, like a shipped one; rejects, changing nothing, naming each wrong field (needs control) */
  openChallenge(text: string, lang: string): Promise<ChallengeStatus>;
  /** saveChallenge (desktop only) asks where to save the challenge file and writes it: its path, '' when cancelled */
  saveChallenge?(draft: ChallengeDraft, lang: string): Promise<string>;
  /** openChallengeFile (desktop only) asks which challenge file to open and starts it: its status, null when cancelled */
  openChallengeFile?(lang: string): Promise<ChallengeStatus | null>;
  /** checkExercise looks in the mailbox a lesson's exercise names (read-only) */
  checkExercise(lessonId: string): Promise<ExerciseResult>;
  /** how your own mail program reaches the servers, with titles in lang */
  clientSettings(lang: string): Promise<ClientSettings>;
  /** the servers the "type it yourself" terminal can connect to, with their addresses in this run */
  terminalTargets(): Promise<TerminalTarget[]>;
  /** terminalOpen connects a terminal to host:port (well-known port); with no run it starts the live one */
  terminalOpen(host: string, port: number): Promise<TerminalInfo>;
  /** terminalSend sends line (CRLF added by the Go side) */
  terminalSend(id: number, line: string): Promise<void>;
  terminalClose(id: number): Promise<void>;
  /** terminalLog is a terminal's lines so far (after a reload) */
  terminalLog(id: number): Promise<TerminalEntry[]>;
  /** the built-in mail client of every device in the current run */
  devices(): Promise<DeviceInfo[]>;
  /** the sample attachments the mail client offers */
  mailSamples(): Promise<SampleFile[]>;
  /** compose sends a mail from a device (needs control); it returns once the action has started */
  compose(req: ComposeRequest): Promise<ActionStarted>;
  /** checkMail presses "Check mail" on a device (needs control) */
  checkMail(req: CheckRequest): Promise<ActionStarted>;
  /** openMail fetches an IMAP message whole, which marks it \Seen (needs control) */
  openMail(req: OpenRequest): Promise<ActionStarted>;
  /** export builds a file of the current run; keys and secrets need control */
  export(req: ExportRequest): Promise<ExportBlob>;
  /** saveExport (desktop only) asks where to save and writes the file: its path, '' when cancelled */
  saveExport?(req: ExportRequest): Promise<string>;
  /** savePicture (desktop only) asks where to save a picture the interface drew: its path, '' when cancelled */
  savePicture?(name: string, kind: 'svg' | 'png', base64: string, lang: string): Promise<string>;
  /** worldFile is the running world as a world file (YAML); withMail adds the mail in the mailboxes now (needs control) */
  worldFile(withMail: boolean): Promise<string>;
  /** openWorld runs the current scenario again in the world a file describes; rejects, changing nothing, with one line per wrong field (needs control) */
  openWorld(text: string): Promise<RunInfo>;
  /** saveWorld (desktop only) asks where to save the world file and writes it: its path, '' when cancelled */
  saveWorld?(withMail: boolean, lang: string): Promise<string>;
  /** openWorldFile (desktop only) asks which world file to open and opens it: the new run, null when cancelled */
  openWorldFile?(lang: string): Promise<RunInfo | null>;

  /** hostRoom opens a classroom on this machine's LAN address (needs control); rejects with a sentence in lang */
  hostRoom(options: RoomOptions, lang: string): Promise<RoomScreen>;
  /** roomScreen is the hosted room as the projector shows it, with the entries after since (the newest when 0) */
  roomScreen(lang: string, since: number): Promise<RoomScreen>;
  /** closeRoom closes the hosted room: every LAN listener stops (needs control) */
  closeRoom(): Promise<void>;
  /** handOutChallenge hands a shipped challenge out to the hosted room (needs control) */
  handOutChallenge(id: string, lang: string): Promise<RoomScreen>;
  /** handOutChallengeText hands out a challenge file's text; rejects, handing out nothing, naming each wrong field (needs control) */
  handOutChallengeText(text: string, lang: string): Promise<RoomScreen>;
  /** handOutChallengeFile (desktop only) asks which challenge file to hand out: the screen, null when cancelled */
  handOutChallengeFile?(lang: string): Promise<RoomScreen | null>;
  /** withdrawChallenge takes the room's challenge back (needs control) */
  withdrawChallenge(): Promise<void>;
  /** joinRoom joins a classroom as the provider name.<room>.test and starts the live world again with it (needs control); rejects with the host's refusal in lang */
  joinRoom(address: string, code: string, name: string, lang: string): Promise<RoomStatus>;
  /** leaveRoom leaves the classroom: the live world starts again without the room provider (needs control) */
  leaveRoom(): Promise<RoomStatus>;
  /** roomStatus: whether this Maillab is in a classroom, and as whom (needs control: it has the password) */
  roomStatus(lang: string): Promise<RoomStatus>;

  /** worldSettings: every provider's accounts, policy, servers and DNS zone (passwords only with control) */
  worldSettings(): Promise<WorldSettings>;
  /** the World settings' changes (need control); each rejects with sentences in lang, one per problem */
  addAccount(address: string, password: string, quota: string, lang: string): Promise<void>;
  removeAccount(address: string, lang: string): Promise<void>;
  setPassword(address: string, password: string, lang: string): Promise<void>;
  setAccountQuota(address: string, quota: string, lang: string): Promise<void>;
  setPolicy(domain: string, policy: PolicySettings, lang: string): Promise<void>;
  setServerUp(domain: string, server: ServerName, up: boolean, lang: string): Promise<void>;
  /** setDevice changes how a device's mail client reads mail: protocol, security, leave a copy (POP3) */
  setDevice(name: string, device: Pick<DeviceSettings, 'protocol' | 'security' | 'leaveOnServer' | 'deleteAfterDays'>, lang: string): Promise<void>;
  /** checkRecord checks one DNS record (kind mx, a, spf, dkim, dmarc or host); only looks */
  checkRecord(kind: string, text: string, lang: string): Promise<RecordCheck>;
  /** setDNS makes zone domain's DNS zone, in the running world and the next runs (needs control) */
  setDNS(domain: string, zone: DNSZone): Promise<DNSZone>;

  /** on subscribes to a pushed event and returns the unsubscribe function. */
  on<K extends PushName>(name: K, cb: (payload: Payloads[K]) => void): () => void;
  /** onReconnect runs cb after the push channel came back (events may have been missed). */
  onReconnect(cb: () => void): () => void;
}

export type Method =
  | 'scenarios'
  | 'start'
  | 'run'
  | 'step'
  | 'play'
  | 'pause'
  | 'reset'
  | 'events'
  | 'snapshot'
  | 'catalog'
  | 'ready'
  | 'lessons'
  | 'lesson'
  | 'waiting'
  | 'checkExercise'
  | 'clientSettings'
  | 'terminalTargets'
  | 'terminalOpen'
  | 'terminalSend'
  | 'terminalClose'
  | 'terminalLog'
  | 'devices'
  | 'mailSamples'
  | 'compose'
  | 'checkMail'
  | 'openMail'
  | 'export'
  | 'saveExport'
  | 'savePicture'
  | 'worldFile'
  | 'openWorld'
  | 'saveWorld'
  | 'openWorldFile'
  | 'challenges'
  | 'startChallenge'
  | 'checkChallenge'
  | 'challengeStatus'
  | 'nextHint'
  | 'challengeGoals'
  | 'challengeFile'
  | 'openChallenge'
  | 'saveChallenge'
  | 'openChallengeFile'
  | 'joinRoom'
  | 'leaveRoom'
  | 'roomStatus'
  | 'worldSettings'
  | 'addAccount'
  | 'removeAccount'
  | 'setPassword'
  | 'setAccountQuota'
  | 'setPolicy'
  | 'setServerUp'
  | 'setDevice'
  | 'checkRecord'
  | 'setDNS'
  | 'hostRoom'
  | 'roomScreen'
  | 'closeRoom'
  | 'handOutChallenge'
  | 'handOutChallengeText'
  | 'handOutChallengeFile'
  | 'withdrawChallenge';

/** errorText turns whatever a transport threw into a readable message. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}
