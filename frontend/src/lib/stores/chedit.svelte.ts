// "Make a challenge…" and "Open challenge file…" (issue #18): the
// teacher's form (texts, hints, the test mail, the goal chosen from the
// checker's facts), saving it as a challenge file made from the running
// world, and opening one (picked, from the desktop's file dialog, or named
// by a ?challenge= link). The Go side writes and checks the files; its
// errors (one line per wrong field) are shown as they are.

import { errorText, type Bridge } from '../bridge';
import { saveFile, type FileStatus } from '../core/savefile';
import { challengeBlob, emptyForm, moveHint, removeHint, senderOf, toDraft, type DraftForm, type GoalChoices } from '../core/chedit';
import { readWorldFile } from '../core/worldfile';
import { fetchLinked, openFailed } from './opening';
import type { ChallengeStatus } from '../core/types';
import type { ChallengeStore } from './challenge.svelte';
import type { RunStore } from './run.svelte';
import type { UiStore } from './ui.svelte';

export type { FileStatus };

export class ChallengeEditorStore {
  readonly #ui: UiStore;
  readonly #run: RunStore;
  readonly #challenges: ChallengeStore;
  /** the Challenges dialog shows the challenge being played, or the editor */
  mode = $state<'play' | 'make'>('play');
  choices = $state.raw<GoalChoices | null>(null);
  form = $state<DraftForm | null>(null);
  busy = $state<'' | 'loading' | 'saving' | 'opening'>('');
  /** the editor's status (saving) and the play view's (opening) */
  saveStatus = $state.raw<FileStatus | null>(null);
  openStatus = $state.raw<FileStatus | null>(null);

  constructor(ui: UiStore, run: RunStore, challenges: ChallengeStore) {
    this.#ui = ui;
    this.#run = run;
    this.#challenges = challenges;
  }

  get #bridge(): Bridge {
    return this.#ui.bridge;
  }

  get canControl(): boolean {
    return this.#bridge.canControl;
  }

  /** the world the challenge will take ('' when it has no title) */
  get worldTitle(): string {
    return this.#run.run?.world ?? '';
  }

  /** make shows the editor, with the goals of the world running now (the form is kept between visits). */
  async make(): Promise<void> {
    this.mode = 'make';
    this.saveStatus = null;
    await this.loadChoices();
  }

  /** loadChoices asks for the goals again (a change of language, of world); the form keeps what was typed. */
  async loadChoices(): Promise<void> {
    this.busy = 'loading';
    try {
      const c = await this.#bridge.challengeGoals(this.#ui.lang);
      this.choices = c;
      if (!this.form) this.form = emptyForm(c);
    } catch (e) {
      this.saveStatus = { kind: 'bad', key: 'ui.chedit.save-failed', detail: errorText(e) };
    } finally {
      this.busy = '';
    }
  }

  back(): void {
    this.mode = 'play';
  }

  /** setDevice changes who sends the test mail; a mail that must arrive is then from that device's account. */
  setDevice(device: string): void {
    if (!this.form || !this.choices) return;
    this.form.device = device;
    const d = this.form.facts['delivered'];
    const from = senderOf(this.choices, device);
    if (d && from) d.values.from = from;
  }

  addHint(): void {
    this.form?.hints.push('');
  }

  moveHint(i: number, delta: number): void {
    if (this.form) this.form.hints = moveHint(this.form.hints, i, delta);
  }

  removeHint(i: number): void {
    if (this.form) this.form.hints = removeHint(this.form.hints, i);
  }

  /** save writes the challenge file: the desktop app asks where, a browser downloads maillab-challenge.yaml. */
  async save(): Promise<void> {
    if (this.busy || !this.canControl || !this.form) return;
    this.busy = 'saving';
    this.saveStatus = null;
    const draft = toDraft(this.form);
    const b = this.#bridge;
    try {
      this.saveStatus = await saveFile(
        { saved: 'ui.chedit.saved', notSaved: 'ui.chedit.not-saved', downloaded: 'ui.chedit.downloaded' },
        b.saveChallenge && (() => b.saveChallenge!(draft, this.#ui.lang)),
        async () => challengeBlob(await b.challengeFile(draft, this.#ui.lang)),
      );
    } catch (e) {
      this.saveStatus = { kind: 'bad', key: 'ui.chedit.save-failed', detail: errorText(e) };
    } finally {
      this.busy = '';
    }
  }

  /**
   * tryIt starts the draft as the class will get it (the running world,
   * restarted, with the goal, hints and texts), so the teacher sees the
   * check fail before handing it out; a draft that cannot be played stays
   * in the editor with the error.
   */
  async tryIt(): Promise<void> {
    if (this.busy || !this.canControl || !this.form) return;
    this.busy = 'opening';
    this.saveStatus = null;
    const draft = toDraft(this.form);
    const lang = this.#ui.lang;
    try {
      const st = await this.#bridge.openChallenge(await this.#bridge.challengeFile(draft, lang), lang);
      await this.#run.applyRun(await this.#bridge.run());
      this.#challenges.status = st.id ? st : null;
      this.openStatus = { kind: 'ok', key: 'ui.chedit.opened', params: { title: st.title ?? '' } };
      this.mode = 'play';
    } catch (e) {
      this.saveStatus = { kind: 'bad', key: 'ui.chedit.save-failed', detail: errorText(e) };
    } finally {
      this.busy = '';
    }
  }

  /** openDesktop asks the desktop app to show its file dialog and start the challenge chosen. */
  async openDesktop(): Promise<void> {
    const open = this.#bridge.openChallengeFile;
    if (!open) return;
    await this.#opening('ui.chedit.open-failed', () => open.call(this.#bridge, this.#ui.lang));
  }

  /** openFile starts a challenge file the teacher or learner picked in the browser. */
  async openFile(file: File): Promise<void> {
    await this.#opening('ui.chedit.open-failed', async () => this.#bridge.openChallenge(await readWorldFile(file), this.#ui.lang), file.name);
  }

  /** openLink starts the challenge file a link names (?challenge=URL); false when it could not. */
  async openLink(url: string, f?: typeof fetch): Promise<boolean> {
    return this.#opening(
      'ui.chedit.link-failed',
      async () => this.#bridge.openChallenge(await fetchLinked(url, f, this.#ui.t('ui.world.too-big')), this.#ui.lang),
      url,
    );
  }

  async #opening(failKey: string, open: () => Promise<ChallengeStatus | null>, name = ''): Promise<boolean> {
    if (this.busy) return false;
    if (!this.canControl) {
      this.openStatus = { kind: 'bad', key: 'ui.world.viewer' };
      return false;
    }
    this.busy = 'opening';
    this.openStatus = null;
    try {
      const st = await open();
      if (!st) {
        this.openStatus = { kind: 'ok', key: 'ui.chedit.not-opened' };
        return true;
      }
      await this.#run.applyRun(await this.#bridge.run());
      this.#challenges.status = st.id ? st : null;
      this.mode = 'play';
      this.openStatus = { kind: 'ok', key: 'ui.chedit.opened', params: { title: st.title ?? '' } };
      return true;
    } catch (e) {
      this.openStatus = openFailed(e, { fail: failKey, link: 'ui.chedit.link-unreachable' }, name, this.#ui.t('ui.world.too-big'));
      return false;
    } finally {
      this.busy = '';
    }
  }
}
