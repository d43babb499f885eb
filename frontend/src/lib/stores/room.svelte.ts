// The hosted classroom as the room screen sees it (#19): the Go side
// announces changes (RoomPushed) and the store asks roomScreen for what
// came after the last entry it has, a bounded page at a time.

import type { Bridge } from '../bridge';
import { errorText } from '../bridge';
import { RoomPushed, ShowRoomPushed } from '../bridge/events';
import { mergeEntries, normalScreen, type RoomEntry, type RoomOptions, type RoomScreen } from '../core/room';
import type { ChallengeInfo } from '../core/types';
import type { UiStore } from './ui.svelte';

/** maxPages bounds one catch-up; the rest comes with the next push. */
const maxPages = 5;

export class RoomStore {
  screen = $state.raw<RoomScreen>(normalScreen(null));
  /** the newest entries, oldest first (core/room's maxLog) */
  log = $state.raw<RoomEntry[]>([]);
  /** the entries the last refresh brought: what the map animates and the live region says */
  fresh = $state.raw<RoomEntry[]>([]);
  error = $state('');
  busy = $state(false);
  /** the shipped challenges the teacher may hand out, in the interface language */
  challenges = $state.raw<ChallengeInfo[]>([]);
  readonly #ui: UiStore;
  readonly #bridge: Bridge;
  #last = 0;
  #running: Promise<void> | null = null;
  #again = false;
  #offs: (() => void)[] = [];

  constructor(ui: UiStore) {
    this.#ui = ui;
    this.#bridge = ui.bridge;
  }

  connect(): void {
    this.#offs.push(
      this.#bridge.on(RoomPushed, (p) => {
        if (!p?.open || (p.last ?? 0) < this.#last) this.#restart();
        void this.refresh();
      }),
      this.#bridge.on(ShowRoomPushed, () => {
        this.#ui.roomOpen = true;
      }),
    );
  }

  disconnect(): void {
    this.#offs.forEach((f) => f());
    this.#offs = [];
  }

  #restart(): void {
    this.#last = 0;
    this.log = [];
    this.fresh = [];
  }

  /** refresh brings the screen and the entries after the last one seen; calls during one run once more after it. */
  refresh(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          let fresh: RoomEntry[] = [];
          for (let i = 0; i < maxPages; i++) {
            const s = await this.#bridge.roomScreen(this.#ui.lang, this.#last);
            if (s.last < this.#last) this.#restart(); // another room
            fresh = fresh.concat(s.entries.filter((e) => e.seq > this.#last));
            if (s.entries.length) this.#last = Math.max(this.#last, s.entries[s.entries.length - 1].seq);
            this.screen = s;
            if (!s.more) break;
          }
          if (fresh.length) {
            this.log = mergeEntries(this.log, fresh);
            this.fresh = fresh;
          }
        } while (this.#again);
        this.error = '';
      } catch (e) {
        this.error = errorText(e);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  async host(options: RoomOptions): Promise<boolean> {
    this.busy = true;
    try {
      this.#restart();
      this.screen = await this.#bridge.hostRoom(options, this.#ui.lang);
      this.#last = 0;
      await this.refresh();
      this.error = '';
      return true;
    } catch (e) {
      this.error = errorText(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** loadChallenges fetches the shipped challenges' list in the current language. */
  async loadChallenges(): Promise<void> {
    try {
      this.challenges = await this.#bridge.challenges(this.#ui.lang);
    } catch (e) {
      this.error = errorText(e);
    }
  }

  /** handOut hands a shipped challenge out to the room. */
  handOut(id: string): Promise<void> {
    return this.#change(() => this.#bridge.handOutChallenge(id, this.#ui.lang));
  }

  /** handOutText hands out a challenge file the teacher picked (a browser reads it). */
  handOutText(text: string): Promise<void> {
    return this.#change(() => this.#bridge.handOutChallengeText(text, this.#ui.lang));
  }

  /** handOutFile asks the desktop's Open dialog for a challenge file and hands it out. */
  handOutFile(): Promise<void> {
    const f = this.#bridge.handOutChallengeFile;
    if (!f) return Promise.resolve();
    return this.#change(() => f(this.#ui.lang));
  }

  withdraw(): Promise<void> {
    return this.#change(async () => {
      await this.#bridge.withdrawChallenge();
      return null;
    });
  }

  async #change(f: () => Promise<RoomScreen | null>): Promise<void> {
    this.busy = true;
    try {
      await f();
      this.error = '';
      await this.refresh();
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    this.busy = true;
    try {
      await this.#bridge.closeRoom();
      this.#restart();
      await this.refresh();
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }
}
