// The run as the UI sees it: the timeline core wrapped in Svelte state. The
// core is plain TypeScript; dataRev and viewRev tell Svelte what changed.

import { errorText, EventsPushed, RunPushed, SnapshotPushed, type Bridge } from '../bridge';
import { connectionsView, upTo, type ConnInfo, type ConnsView, type Row } from '../core/connections';
import { MessageReader, type MessageCut, type PartView } from '../core/message';
import type { LineRole } from '../core/protocol';
import { RunIndex } from '../core/runindex';
import { lanesAt } from '../core/sequence';
import { defaultNodes } from '../core/nodes';
import { normalizeSnapshot } from '../core/snapshot';
import { SnapshotLog, Timeline } from '../core/timeline';
import type { MailEvent, NodeInfo, RunInfo, ScenarioInfo, Snapshot } from '../core/types';

/** Something that follows the run's events (a lesson's notes): told about each batch, or to start again. */
export interface RunFollower {
  add(ev: MailEvent): void;
  reset(): void;
  /** a new run started (a fresh world): what was learned about the last one is void */
  newRun?(info: RunInfo): void;
}

export const speeds = { min: 100, max: 3000, initial: 1000 };

/** maxCatchUpPages bounds one catch-up (500 events a page): the rest comes with the next push or reconnect. */
const maxCatchUpPages = 1000;

/**
 * How many lines of a body the message panel shows: a body of thousands of
 * lines (a flood) would cost a long layout on every batch; the start of it
 * says what it is, the transcript has all.
 */
export const bodyLines = 60;

export class RunStore {
  readonly bridge: Bridge;
  #tl = new Timeline();
  #ix = new RunIndex();
  #snaps = new SnapshotLog<Snapshot>();
  #offs: (() => void)[] = [];
  #followers = new Set<RunFollower>();
  #reader = new MessageReader();

  /** bumped when events arrive or the run changes: the history */
  dataRev = $state(0);
  /** bumped when the view cursor moves or a snapshot arrives */
  viewRev = $state(0);
  run = $state.raw<RunInfo | null>(null);
  scenarios = $state.raw<ScenarioInfo[]>([]);
  /** a line the user picked; null means "the line at the cursor" */
  selectedSeq = $state<number | null>(null);
  revealed = $state.raw<ReadonlySet<number>>(new Set());
  #hidden = $state.raw<ReadonlySet<string>>(new Set());
  #showTls = $state(false);
  playing = $state(false);
  interval = $state(speeds.initial);
  #speedKnown = false; // the first run told us the speed; after that the slider's choice stays
  /** the last error, readable */
  error = $state('');
  /** how many of the run's oldest events the Go side no longer keeps (recording limit) */
  dropped = $state(0);
  /** an i18n key of a passing notice ("nothing waits") */
  notice = $state('');
  busy = $state(false);

  constructor(bridge: Bridge) {
    this.bridge = bridge;
  }

  get canControl(): boolean {
    return this.bridge.canControl;
  }

  /** hidden protocols of the transcript; setting it rebuilds the rows */
  get hidden(): ReadonlySet<string> {
    return this.#hidden;
  }

  set hidden(h: ReadonlySet<string>) {
    this.#hidden = h;
    this.#refilter();
  }

  /** show TLS records in the transcript; setting it rebuilds the rows */
  get showTls(): boolean {
    return this.#showTls;
  }

  set showTls(v: boolean) {
    this.#showTls = v;
    this.#refilter();
  }

  #refilter(): void {
    this.#ix.setFilter({ hidden: this.#hidden, tls: this.#showTls }, this.#tl.events);
    this.dataRev++;
  }

  // Whole-history structures live in the RunIndex and grow in place, one
  // batch at a time; what the views use are cheap cuts at the cursor.
  // Everything below reads dataRev/viewRev, so it updates when they move.
  readonly length = $derived.by(() => this.#data(() => this.#tl.length));
  readonly protocols: string[] = $derived.by(() => this.#data(() => this.#ix.protocols));
  /** the nodes that have taken part so far (a new set only when one joins) */
  readonly #partCount = $derived.by(() => this.#data(() => this.#ix.laneSeen.size));
  readonly participants: ReadonlySet<string> = $derived.by(() => {
    void this.#partCount;
    return new Set(this.#ix.laneSeen.keys());
  });
  /** seq of the "scenario finished" event, 0 while the run goes on */
  readonly finishedSeq = $derived.by(() => this.#data(() => this.#ix.finishedSeq));

  // The view at the cursor.
  readonly cursor = $derived.by(() => this.#view(() => this.#tl.cursor));
  readonly atHead = $derived.by(() => this.#view(() => this.#tl.atHead));
  readonly limitSeq = $derived.by(() => this.#view(() => this.#tl.limitSeq));
  /** the last seq of the step before the cursor: events after it came with the current step */
  readonly stepFromSeq = $derived.by(() => this.#view(() => this.#tl.limitSeqAt(this.#tl.cursor - 1)));
  readonly cursorEvent: MailEvent | undefined = $derived.by(() => this.#view(() => this.#tl.cursorEvent));
  /** the connections as the view sees them (a view of the index, made in O(1)) */
  readonly conns: ConnsView = $derived.by(() => this.#view(() => connectionsView(this.#ix.conns, this.#tl.limitSeq)));
  /** one connection per service in use (the topology's edges), in O(services) */
  readonly services: ConnInfo[] = $derived.by(() => this.#view(() => this.#ix.servicesAt(this.#tl.limitSeq)));
  /** how many transcript rows the view shows (the first rowCount of the history's rows) */
  readonly rowCount: number = $derived.by(() => this.#view(() => upTo(this.#ix.rows, this.#tl.limitSeq)));
  readonly lanes: string[] = $derived.by(() => this.#view(() => lanesAt(this.#ix.laneSeen, this.#tl.limitSeq)));
  readonly selected: MailEvent | undefined = $derived.by(() => {
    const seq = this.selectedSeq;
    if (seq === null || seq > this.limitSeq) return this.cursorEvent;
    return this.#data(() => this.#tl.find(seq)) ?? this.cursorEvent;
  });
  /** the message the message panel shows: the selected line's, as far as the view goes */
  readonly message: MessageCut | undefined = $derived.by(() => {
    const sel = this.selected;
    return this.#view(() => this.#ix.messageAt(this.#tl.limitSeq, sel));
  });
  /** message taken apart, the first lines of each body (a growing message is parsed once, line by line) */
  readonly messageView: PartView | undefined = $derived.by(() => {
    const m = this.message;
    return m && this.#reader.view(m.message, m.lines, bodyLines);
  });
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

  /** rowsIn returns the transcript rows start..end (exclusive) of those the view shows. */
  rowsIn(start: number, end: number): Row[] {
    return this.#view(() => this.#ix.rows.slice(Math.max(0, start), Math.min(end, upTo(this.#ix.rows, this.#tl.limitSeq))));
  }

  /** rowIndexOf is the index of the transcript row of the line seq (-1 when not shown). */
  rowIndexOf(seq: number): number {
    return this.#view(() => {
      const rows = this.#ix.rows;
      const i = upTo(rows, seq) - 1; // the line row: a header with the same seq comes before it
      return i >= 0 && rows[i].seq === seq && rows[i].type !== 'header' ? i : -1;
    });
  }

  /** stepsIn returns the stepped events start..end (exclusive) of those the view shows. */
  stepsIn(start: number, end: number): MailEvent[] {
    return this.#view(() => this.#tl.stepsIn(start, end));
  }

  /** events is the whole released history (for followers that start late). */
  get events(): readonly MailEvent[] {
    return this.#tl.events;
  }

  /** follow feeds f the history now and every batch after; returns the unsubscribe function. */
  follow(f: RunFollower): () => void {
    this.#followers.add(f);
    f.reset();
    for (const ev of this.#tl.events) f.add(ev);
    return () => this.#followers.delete(f);
  }

  /** roleOf is the role of a line in its connection, for explain() */
  roleOf(ev: MailEvent): LineRole | undefined {
    return this.#data(() => this.#ix.roleOf(ev.seq));
  }

  /** serviceOf is the edgeKey of the service a connection belongs to (its topology edge). */
  serviceOf(conn: number | undefined): string | undefined {
    return conn ? this.#data(() => this.#ix.serviceOf(conn)) : undefined;
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
    // A run that plays tells its speed; a new run starts paused at the server's
    // default, and the speed the learner chose should outlive it.
    if (info.interval > 0 && (this.playing || !this.#speedKnown)) {
      this.interval = info.interval;
      this.#speedKnown = true;
    }
    if (!fresh) return;
    this.#tl.reset();
    this.#ix.reset();
    this.#followers.forEach((f) => {
      f.reset();
      f.newRun?.(info);
    });
    this.#snaps.clear();
    this.selectedSeq = null;
    this.revealed = new Set();
    this.notice = '';
    this.dataRev++;
    await this.#catchUp();
  }

  /** wireOf is the TLS record a line crossed in: its own, or the one an earlier line of the record carries. */
  wireOf(ev: MailEvent | undefined): string | undefined {
    if (!ev) return undefined;
    if (ev.wire || !ev.wireSeq) return ev.wire;
    return this.#data(() => this.#tl.find(ev.wireSeq ?? 0))?.wire;
  }

  /** catchUp loads the history after the last known event, page by page. */
  async #catchUp(): Promise<void> {
    await this.#try(async () => {
      const snap = this.bridge.snapshot();
      // Awaited below; when a page fails first (the bridge is down), the
      // snapshot's failure must not surface as an unhandled rejection.
      snap.catch(() => {});
      for (let pages = 0; pages < maxCatchUpPages; pages++) {
        const page = await this.bridge.events(this.#tl.lastSeq);
        this.dropped = page.dropped;
        this.#append(page.events, false);
        if (!page.more || !page.events.length) break;
      }
      const s = await snap;
      if (s) this.#snapshot(s);
    });
  }

  #append(batch: readonly MailEvent[], fill = true): void {
    if (!batch.length) return;
    const before = this.#tl.cursor;
    const { added, gap, fresh, rebuilt } = this.#tl.append(batch);
    if (!added) return;
    if (rebuilt) {
      // Rare: a batch older than what we have. Start the indexes again.
      this.#ix.reset();
      this.#ix.addAll(this.#tl.events);
      for (const f of this.#followers) {
        f.reset();
        for (const ev of this.#tl.events) f.add(ev);
      }
    } else {
      this.#ix.addAll(fresh);
      for (const f of this.#followers) for (const ev of fresh) f.add(ev);
    }
    if (this.#tl.cursor !== before) {
      this.selectedSeq = null;
      this.notice = '';
    }
    this.dataRev++;
    // A gap before a pushed batch: fetch what is missing (a page that
    // starts after dropped events is no gap to fill).
    if (gap && fill) void this.#catchUp();
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
    const s = new Set(this.#hidden);
    if (!s.delete(proto)) s.add(proto);
    this.hidden = s;
  }

  /** stepNumberOf is the cursor value that makes seq the current step, or -1. */
  stepNumberOf(seq: number): number {
    return this.#data(() => this.#tl.stepIndexOf(seq));
  }
}
