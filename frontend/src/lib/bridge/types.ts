import type { Lesson, LessonSummary, MailEvent, RunInfo, ScenarioInfo, Snapshot } from '../core/types';
import type { EventsPushed, RunPushed, SnapshotPushed } from './events';

export interface Payloads {
  [EventsPushed]: MailEvent[];
  [SnapshotPushed]: Snapshot;
  [RunPushed]: RunInfo;
}

export type PushName = keyof Payloads;

/**
 * Bridge is the only way the UI talks to the Go side. Every method returns
 * a promise that rejects with a readable Error.
 */
export interface Bridge {
  /** transport name, for the status line: "wails" or "http" */
  readonly transport: 'wails' | 'http';
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
  events(since: number): Promise<MailEvent[]>;
  snapshot(): Promise<Snapshot>;
  catalog(lang: string): Promise<Record<string, string>>;
  ready(): Promise<void>;
  /** the lessons whose scenario exists, in menu order */
  lessons(lang: string): Promise<LessonSummary[]>;
  lesson(id: string, lang: string): Promise<Lesson>;
  /** the lines held at the gate, oldest first: [0] is what step() releases next */
  waiting(): Promise<MailEvent[]>;

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
  | 'waiting';

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
