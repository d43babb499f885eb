// The "World file" dialog's work: save the running world as a file, open
// one (picked, from the desktop's file dialog, or named by a ?world= link)
// and say what happened. The Go side writes and checks the files; a file
// it refuses changes nothing, and its error (one line per wrong field, with
// the line number) is shown as it is.

import { errorText, type Bridge } from '../bridge';
import { saveFile, type FileStatus } from '../core/savefile';
import type { RunInfo } from '../core/types';
import { readWorldFile, worldBlob } from '../core/worldfile';
import { fetchLinked, openFailed } from './opening';
import type { RunStore } from './run.svelte';
import type { UiStore } from './ui.svelte';

/**
 * WorldStatus is the dialog's status line: a catalogue key with its
 * parameters (translated when shown, so it follows the language) and, for
 * a refused file, the Go side's error as it is.
 */
export type WorldStatus = FileStatus;

export class WorldStore {
  readonly #ui: UiStore;
  readonly #run: RunStore;
  busy = $state<'' | 'saving' | 'opening'>('');
  status = $state.raw<WorldStatus | null>(null);
  withMail = $state(false);

  constructor(ui: UiStore, run: RunStore) {
    this.#ui = ui;
    this.#run = run;
  }

  get #bridge(): Bridge {
    return this.#ui.bridge;
  }

  /** the title of the world that runs now ('' when it has none or nothing runs) */
  get title(): string {
    return this.#run.run?.world ?? '';
  }

  get canControl(): boolean {
    return this.#bridge.canControl;
  }

  clear(): void {
    this.status = null;
  }

  /** save writes the world file: the desktop app asks where, a browser downloads maillab-world.yaml. */
  async save(): Promise<void> {
    if (this.busy || !this.canControl) return;
    this.busy = 'saving';
    this.status = null;
    const b = this.#bridge;
    try {
      this.status = await saveFile(
        { saved: 'ui.world.saved', notSaved: 'ui.world.not-saved', downloaded: 'ui.world.downloaded' },
        b.saveWorld && (() => b.saveWorld!(this.withMail, this.#ui.lang)),
        async () => worldBlob(await b.worldFile(this.withMail)),
      );
    } catch (e) {
      this.status = { kind: 'bad', key: 'ui.world.save-failed', detail: errorText(e) };
    } finally {
      this.busy = '';
    }
  }

  /** openDesktop asks the desktop app to show its file dialog and open the file chosen. */
  async openDesktop(): Promise<void> {
    const open = this.#bridge.openWorldFile;
    if (!open) return;
    await this.#opening('ui.world.open-failed', async () => open.call(this.#bridge, this.#ui.lang));
  }

  /** openFile opens a file the learner picked in the browser. */
  async openFile(file: File): Promise<void> {
    await this.#opening('ui.world.open-failed', async () => this.#bridge.openWorld(await readWorldFile(file)), file.name);
  }

  /** openLink opens the world file a link named (?world=URL); false when it could not. */
  async openLink(url: string, f?: typeof fetch): Promise<boolean> {
    return this.#opening(
      'ui.world.link-failed',
      async () => this.#bridge.openWorld(await fetchLinked(url, f, this.#ui.t('ui.world.too-big'))),
      url,
    );
  }

  /** #opening runs one way of opening a world file and says what came of it; false when it failed. */
  async #opening(failKey: string, open: () => Promise<RunInfo | null>, name = ''): Promise<boolean> {
    if (this.busy) return false;
    if (!this.canControl) {
      this.status = { kind: 'bad', key: 'ui.world.viewer' };
      return false;
    }
    this.busy = 'opening';
    this.status = null;
    try {
      const info = await open();
      if (!info) {
        this.status = { kind: 'ok', key: 'ui.world.not-opened' };
        return true;
      }
      await this.#run.applyRun(info);
      const title = info.world ?? '';
      this.status = title ? { kind: 'ok', key: 'ui.world.opened', params: { title } } : { kind: 'ok', key: 'ui.world.opened-untitled' };
      return true;
    } catch (e) {
      this.status = openFailed(e, { fail: failKey, link: 'ui.world.link-unreachable' }, name, this.#ui.t('ui.world.too-big'));
      return false;
    } finally {
      this.busy = '';
    }
  }
}
