// The "type it yourself" terminal: which servers there are, the session
// this window opened (kept over a reload), its lines as the Go side pushes
// them, and the tracker that turns them into hints. A viewer without the
// control token follows the newest terminal anyone opened.

import { errorText, RunPushed, TerminalPushed, type Bridge } from '../bridge';
import { TermTracker, type Hint } from '../core/terminal';
import { suggest, type Suggestion } from '../core/terminal-verbs';
import type { TerminalEntry, TerminalInfo, TerminalTarget } from '../core/types';

const saveKey = 'maillab.terminal';
const historyMax = 100;

export const targetKey = (t: Pick<TerminalTarget, 'host' | 'port'>): string => `${t.host}:${t.port}`;

export class TerminalStore {
  readonly bridge: Bridge;
  targets = $state.raw<TerminalTarget[]>([]);
  /** targetKey of the server picked in the menu */
  picked = $state('');
  /** the terminal this window opened (a viewer has none and follows the newest one's lines) */
  info = $state.raw<TerminalInfo | null>(null);
  error = $state('');
  busy = $state(false);
  revealed = $state.raw<ReadonlySet<number>>(new Set());
  /** bumped when lines arrive */
  rev = $state(0);
  /** the line being typed (the AUTH helper writes into it too) */
  draft = $state('');
  /** bumped to ask the input to take the focus */
  focusRequest = $state(0);
  /** lines sent from this window, oldest first (Up/Down in the input) */
  history: string[] = [];

  #byTerm = new Map<number, Map<number, TerminalEntry>>();
  #viewTerm = 0;
  #tracker: TermTracker | null = null;
  #fed = -1;
  #offs: (() => void)[] = [];

  constructor(bridge: Bridge) {
    this.bridge = bridge;
  }

  get canControl(): boolean {
    return this.bridge.canControl;
  }

  /** the id of the terminal on screen, 0 for none */
  get term(): number {
    return this.info?.id ?? this.#viewTerm;
  }

  readonly entries: TerminalEntry[] = $derived.by(() => {
    void this.rev;
    const m = this.#byTerm.get(this.term);
    return m ? [...m.values()].sort((a, b) => a.n - b.n) : [];
  });

  readonly closed: boolean = $derived.by(() => this.entries.some((e) => e.kind === 'closed'));
  /** a connection this window may type into */
  readonly live: boolean = $derived(!!this.info && !this.closed && this.canControl);
  readonly pickedTarget: TerminalTarget | undefined = $derived(this.targets.find((t) => targetKey(t) === this.picked));

  /** connect follows the pushed lines; true when this window's terminal came back after a reload. */
  async connect(): Promise<boolean> {
    this.#offs.push(
      this.bridge.on(TerminalPushed, (batch) => this.#receive(batch ?? [])),
      // A new run has new addresses (a scenario world gives every host its own).
      this.bridge.on(RunPushed, () => {
        if (this.targets.length) void this.loadTargets();
      }),
    );
    return this.#restore();
  }

  disconnect(): void {
    this.#offs.forEach((off) => off());
    this.#offs = [];
  }

  async loadTargets(): Promise<void> {
    try {
      this.targets = (await this.bridge.terminalTargets()) ?? [];
      if (!this.targets.some((t) => targetKey(t) === this.picked)) this.picked = this.targets[0] ? targetKey(this.targets[0]) : '';
      this.error = '';
    } catch (e) {
      this.error = errorText(e);
    }
  }

  async open(): Promise<boolean> {
    const t = this.pickedTarget;
    if (!t || !this.canControl) return false;
    this.busy = true;
    try {
      this.#adopt(await this.bridge.terminalOpen(t.host, t.port));
      this.draft = '';
      this.focusRequest++;
      this.error = '';
      return true;
    } catch (e) {
      this.error = errorText(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async send(line: string): Promise<boolean> {
    const info = this.info;
    if (!info || !this.live) return false;
    try {
      await this.bridge.terminalSend(info.id, line);
      if (line && this.history.at(-1) !== line) this.history = [...this.history, line].slice(-historyMax);
      this.focusRequest++;
      this.error = '';
      return true;
    } catch (e) {
      this.error = errorText(e);
      return false;
    }
  }

  async close(): Promise<void> {
    const info = this.info;
    if (!info || !this.canControl) return;
    try {
      await this.bridge.terminalClose(info.id);
      this.error = '';
    } catch (e) {
      this.error = errorText(e);
    }
  }

  hint(draft: string): Hint | null {
    void this.rev;
    return this.info && this.canControl && this.#tracker ? this.#tracker.hint(draft) : null;
  }

  suggestions(draft: string): Suggestion[] {
    void this.rev;
    const tr = this.#tracker;
    return this.live && tr ? suggest(tr.target.proto, draft, tr) : [];
  }

  /** inData: the next lines are message text (SMTP after 354) */
  get inData(): boolean {
    void this.rev;
    return !!this.#tracker?.inData;
  }

  nextTag(): string {
    void this.rev;
    return this.#tracker?.nextTag() ?? '';
  }

  /** insert puts a line into the input (not sent) and gives the input the focus. */
  insert(line: string): void {
    this.draft = line;
    this.focusRequest++;
  }

  toggleReveal(n: number): void {
    const s = new Set(this.revealed);
    if (!s.delete(n)) s.add(n);
    this.revealed = s;
  }

  #adopt(info: TerminalInfo): void {
    this.info = info;
    this.#tracker = new TermTracker(info.target);
    this.#fed = -1;
    this.revealed = new Set();
    this.picked = targetKey(info.target);
    this.#feed();
    this.rev++;
    try {
      sessionStorage.setItem(saveKey, JSON.stringify(info));
    } catch {
      // private mode: a reload starts without the terminal
    }
  }

  /** #restore picks up this window's terminal after a reload. */
  async #restore(): Promise<boolean> {
    let info: TerminalInfo | null = null;
    try {
      info = JSON.parse(sessionStorage.getItem(saveKey) ?? 'null') as TerminalInfo | null;
    } catch {
      info = null;
    }
    if (!info?.id || !info.target || !this.canControl) return false;
    try {
      this.#receive(await this.bridge.terminalLog(info.id));
      this.#adopt(info);
      await this.loadTargets();
      return true;
    } catch {
      sessionStorage.removeItem(saveKey); // gone with its run
      return false;
    }
  }

  #receive(batch: readonly TerminalEntry[]): void {
    if (!batch.length) return;
    for (const e of batch) {
      let m = this.#byTerm.get(e.term);
      if (!m) this.#byTerm.set(e.term, (m = new Map()));
      m.set(e.n, e);
      // A viewer follows the newest terminal; so does a window without its own.
      if (!this.info && e.term > this.#viewTerm) this.#viewTerm = e.term;
    }
    this.#feed();
    this.rev++;
  }

  /** #feed gives the tracker the lines it has not seen, in order, without gaps. */
  #feed(): void {
    const m = this.info && this.#byTerm.get(this.info.id);
    if (!m || !this.#tracker) return;
    for (let e = m.get(this.#fed + 1); e; e = m.get(this.#fed + 1)) {
      this.#tracker.feed(e);
      this.#fed++;
    }
  }
}
