// The "Challenges" dialog's work: list the troubleshooting challenges,
// start one (its broken world runs live), check it (the Go side sends the
// test mail and checks the goal), reveal hints one at a time. Every text
// comes from the Go side in the language asked for; a change of language
// asks again.

import { errorText, type Bridge } from '../bridge';
import type { ChallengeInfo, ChallengeStatus } from '../core/types';
import type { RunStore } from './run.svelte';
import type { UiStore } from './ui.svelte';

export class ChallengeStore {
  readonly #ui: UiStore;
  readonly #run: RunStore;
  list = $state.raw<ChallengeInfo[]>([]);
  status = $state.raw<ChallengeStatus | null>(null);
  busy = $state<'' | 'starting' | 'checking' | 'hint'>('');
  error = $state('');

  constructor(ui: UiStore, run: RunStore) {
    this.#ui = ui;
    this.#run = run;
  }

  get #bridge(): Bridge {
    return this.#ui.bridge;
  }

  get canControl(): boolean {
    return this.#bridge.canControl;
  }

  /** load fetches the list and the running challenge's status in the current language. */
  async load(): Promise<void> {
    try {
      const lang = this.#ui.lang;
      const [list, status] = await Promise.all([this.#bridge.challenges(lang), this.#bridge.challengeStatus(lang)]);
      this.list = list;
      this.status = status.id ? status : null;
      this.error = '';
    } catch (e) {
      this.error = errorText(e);
    }
  }

  async start(id: string): Promise<void> {
    await this.#do('starting', async () => {
      const st = await this.#bridge.startChallenge(id, this.#ui.lang);
      await this.#run.applyRun(await this.#bridge.run());
      return st;
    });
  }

  async check(): Promise<void> {
    await this.#do('checking', () => this.#bridge.checkChallenge(this.#ui.lang));
  }

  async hint(): Promise<void> {
    await this.#do('hint', () => this.#bridge.nextHint(this.#ui.lang));
  }

  async #do(kind: 'starting' | 'checking' | 'hint', f: () => Promise<ChallengeStatus>): Promise<void> {
    if (this.busy || !this.canControl) return;
    this.busy = kind;
    this.error = '';
    try {
      const st = await f();
      this.status = st.id ? st : null;
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = '';
    }
  }
}
