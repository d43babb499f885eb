// The run as the UI sees it: the timeline core wrapped in Svelte state. The
// core is plain TypeScript; dataRev and viewRev tell Svelte what changed.

import { errorText, EventsPushed, RunPushed, SnapshotPushed, type Bridge } from '../bridge';
import {
  connectionsAt,
  connectionsOf,
  linesByConn,
  protocolsOf,
  transcriptRows,
  upTo,
  type ConnInfo,
  type Row,
} from '../core/connections';
import { findMessages, messagesAt, pickMessage, type FoundMessage } from '../core/message';
import { laneFirstSeen, lanesAt } from '../core/sequence';
import { defaultNodes } from '../core/nodes';
import { normalizeSnapshot } from '../core/snapshot';
import { SnapshotLog, Timeline } from '../core/timeline';
import type { MailEvent, NodeInfo, RunInfo, ScenarioInfo, Snapshot } from '../core/types';

export const speeds = { min: 100, max: 3000, initial: 1000 };

export class RunStore {
  readonly bridge: Bridge;
  #tl = new Timeline();
  #snaps = new SnapshotLog<Snapshot>();
  #offs: (() => void)[] = [];

  /** bumped when events arrive or the run changes: the history */
  dataRev = $state(0);
  /** bumped when the view cursor moves or a snapshot arrives */
  viewRev = $state(0);
  run = $state.raw<RunInfo | null>(null);
  scenarios = $state.raw<ScenarioInfo[]>([]);
  /** a line the user picked; null means "the line at the cursor" */
  selectedSeq = $state<number | null>(null);
  revealed = $state.raw<ReadonlySet<number>>(new Set());
  hidden = $state.raw<ReadonlySet<string>>(new Set());
  showTls = $state(false);
  playing = $state(false);
  interval = $state(speeds.initial);
  /** the last error, readable */
  error = $state('');
  /** an i18n key of a passing notice ("nothing waits") */
  notice = $state('');
  busy = $state(false);

  constructor(bridge: Bridge) {
    this.bridge = bridge;
  }

  get canControl(): boolean {
    return this.bridge.canControl;
  }

  // Whole-history structures: recomputed only when events arrive (dataRev).
  readonly length = $derived.by(() => this.#data(() => this.#tl.length));
  readonly allConns: Map<number, ConnInfo> = $derived.by(() => this.#data(() => connectionsOf(this.#tl.events)));
  readonly byConn: Map<number, MailEvent[]> = $derived.by(() => this.#data(() => linesByConn(this.#tl.events)));
  readonly protocols: string[] = $derived(protocolsOf(this.allConns));
  /** every transcript row of the history; the view shows the first rowCount */
  readonly rows: Row[] = $derived.by(() =>
    this.#data(() => transcriptRows(this.#tl.events, this.allConns, { hidden: this.hidden, tls: this.showTls })),
  );
  readonly allMessages: FoundMessage[] = $derived.by(() => this.#data(() => findMessages(this.#tl.events)));
  readonly laneSeen: Map<string, number> = $derived.by(() => this.#data(() => laneFirstSeen(this.#tl.events)));

  // The view at the cursor: cheap cuts of the structures above.
  readonly cursor = $derived.by(() => this.#view(() => this.#tl.cursor));
  readonly atHead = $derived.by(() => this.#view(() => this.#tl.atHead));
  readonly limitSeq = $derived.by(() => this.#view(() => this.#tl.limitSeq));
  readonly steps: MailEvent[] = $derived.by(() => this.#view(() => this.#tl.visibleSteps()));
  readonly cursorEvent: MailEvent | undefined = $derived.by(() => this.#view(() => this.#tl.cursorEvent));
  readonly conns: Map<number, ConnInfo> = $derived(connectionsAt(this.allConns, this.limitSeq));
  readonly rowCount: number = $derived(upTo(this.rows, this.limitSeq));
  readonly messages: FoundMessage[] = $derived(messagesAt(this.allMessages, this.limitSeq));
  readonly lanes: string[] = $derived(lanesAt(this.laneSeen, this.limitSeq));
  readonly selected: MailEvent | undefined = $derived.by(() => {
    const seq = this.selectedSeq;
    if (seq === null || seq > this.limitSeq) return this.cursorEvent;
    return this.#data(() => this.#tl.find(seq)) ?? this.cursorEvent;
  });
  readonly message: FoundMessage | undefined = $derived(pickMessage(this.messages, this.selected));
  readonly snapshot: Snapshot | undefined = $derived.by(() => this.#view(() => this.#snaps.at(this.limitSeq)));
  readonly nodes: NodeInfo[] = $derived(this.run?.nodes?.length ? this.run.nodes : defaultNodes);

  #data<T>(f: () => T): T {
    void this.dataRev;
    return f();
  }

  #view<T>(f: () => T): T {
    void this.dataRev;
    void this.viewRev;
    return f();
  }

  /** earlier lines of the same connection, for explain() */
  previousLines(ev: MailEvent): MailEvent[] {
    const lines = ev.conn ? this.byConn.get(ev.conn) : undefined;
    return lines ? lines.slice(0, upTo(lines, ev.seq - 1)) : [];
  }

  nodeInfo(id: string | undefined): NodeInfo | undefined {
    return this.nodes.find((n) => n.id === id);
  }

  // ---- wiring to the Go side ----

  /** connect subscribes to pushed events and loads what already happened. */
  async connect(): Promise<void> {
    const b = this.bridge;
    this.#offs.push(
      b.on(EventsPushed, (batch) => this.#append(batch ?? [])),
      b.on(SnapshotPushed, (s) => this.#snapshot(s)),
      b.on(RunPushed, (r) => void this.applyRun(r)),
      b.onReconnect(() => void this.#catchUp()),
    );
    // A reload or a late viewer joins the run that is going on.
    try {
      await this.applyRun(await b.run()); // loads its history too
      return;
    } catch {
      // no run yet: whatever history there is (none, usually)
    }
    await this.#catchUp();
  }

  disconnect(): void {
    this.#offs.forEach((off) => off());
    this.#offs = [];
  }

  async loadScenarios(lang: string): Promise<void> {
    await this.#try(async () => {
      this.scenarios = (await this.bridge.scenarios(lang)) ?? [];
    });
  }

  /** applyRun switches to a run; a new run id clears the history. */
  async applyRun(info: RunInfo): Promise<void> {
    if (!info) return;
    const fresh = info.runId !== this.run?.runId;
    this.run = info;
    this.playing = info.mode === 'play';
    if (info.interval > 0) this.interval = info.interval;
    if (!fresh) return;
    this.#tl.reset();
    this.#snaps.clear();
    this.selectedSeq = null;
    this.revealed = new Set();
    this.notice = '';
    this.dataRev++;
    await this.#catchUp();
  }

  async #catchUp(): Promise<void> {
    await this.#try(async () => {
      const [evs, snap] = await Promise.all([this.bridge.events(this.#tl.lastSeq), this.bridge.snapshot()]);
      this.#append(evs ?? []);
      if (snap) this.#snapshot(snap);
    });
  }

  #append(batch: readonly MailEvent[]): void {
    if (!batch.length) return;
    const before = this.#tl.cursor;
    const { added, gap } = this.#tl.append(batch);
    if (!added) return;
    if (this.#tl.cursor !== before) {
      this.selectedSeq = null;
      this.notice = '';
    }
    this.dataRev++;
    if (gap) void this.#catchUp();
  }

  #snapshot(s: Snapshot): void {
    this.#snaps.add(this.#tl.lastSeq, normalizeSnapshot(s));
    this.viewRev++;
  }

  async #try(f: () => Promise<void>): Promise<boolean> {
    try {
      await f();
      this.error = '';
      return true;
    } catch (e) {
      this.error = errorText(e);
      return false;
    }
  }

  // ---- what the controls do ----

  async start(id: string): Promise<void> {
    if (!this.canControl) return;
    this.busy = true;
    await this.#try(async () => this.applyRun(await this.bridge.start(id)));
    this.busy = false;
  }

  async reset(): Promise<void> {
    if (!this.canControl) return;
    this.busy = true;
    await this.#try(async () => {
      const info = await this.bridge.reset();
      // A reset is always a fresh world, even if the id were reused.
      if (info && info.runId === this.run?.runId) this.run = null;
      await this.applyRun(info);
    });
    this.busy = false;
  }

  /** step moves forward in history, or at the head asks the Go side to release one line. */
  async step(): Promise<void> {
    if (this.#tl.forward()) {
      this.#moved();
      return;
    }
    if (!this.canControl) return;
    await this.#try(async () => {
      const released = await this.bridge.step();
      this.notice = released ? '' : 'ui.status.nothing-waits';
    });
  }

  back(): void {
    if (this.#tl.back()) this.#moved();
  }

  seek(n: number): void {
    const before = this.#tl.cursor;
    this.#tl.seek(n);
    if (this.#tl.cursor !== before) this.#moved();
  }

  first(): void {
    this.seek(0);
  }

  last(): void {
    this.seek(this.#tl.length);
  }

  #moved(): void {
    this.selectedSeq = null;
    this.notice = '';
    this.viewRev++;
  }

  async togglePlay(): Promise<void> {
    if (!this.canControl) return;
    if (this.playing) {
      await this.#try(async () => {
        await this.bridge.pause();
        this.playing = false;
      });
      return;
    }
    this.last();
    await this.#try(async () => {
      await this.bridge.play(this.interval);
      this.playing = true;
    });
  }

  async setInterval(ms: number): Promise<void> {
    this.interval = Math.max(speeds.min, Math.min(speeds.max, Math.round(ms)));
    if (this.playing && this.canControl) await this.#try(() => this.bridge.play(this.interval));
  }

  select(seq: number): void {
    this.selectedSeq = seq;
  }

  toggleReveal(seq: number): void {
    const s = new Set(this.revealed);
    if (!s.delete(seq)) s.add(seq);
    this.revealed = s;
  }

  toggleProto(proto: string): void {
    const s = new Set(this.hidden);
    if (!s.delete(proto)) s.add(proto);
    this.hidden = s;
  }

  /** stepNumberOf is the cursor value that makes seq the current step, or -1. */
  stepNumberOf(seq: number): number {
    return this.#data(() => this.#tl.stepIndexOf(seq));
  }
}
