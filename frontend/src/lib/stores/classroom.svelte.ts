// The Classroom dialog's work: join a room the teacher's Maillab hosts, as
// one of its mail providers, and leave it. The Go side talks to the room's
// host and starts the live world again with the student's provider in it;
// a refusal comes back as a sentence in the interface language.

import { errorText, type Bridge } from '../bridge';
import type { RoomStatus } from '../core/types';
import type { RunStore } from './run.svelte';
import type { UiStore } from './ui.svelte';

export class ClassroomStore {
  readonly #ui: UiStore;
  readonly #run: RunStore;
  status = $state.raw<RoomStatus>({ joined: false });
  busy = $state<'' | 'joining' | 'leaving'>('');
  /** the last refusal or failure, as the Go side said it */
  error = $state('');
  address = $state('');
  code = $state('');
  name = $state('');

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

  /** refresh asks whether this Maillab is in a room (only with control: the answer has the password). */
  async refresh(): Promise<void> {
    if (!this.canControl) return;
    try {
      this.status = await this.#bridge.roomStatus(this.#ui.lang);
    } catch (e) {
      this.error = errorText(e);
    }
  }

  /** join joins the room at address with code as name; the run shown becomes the live world with the provider. */
  async join(): Promise<boolean> {
    if (this.busy || !this.canControl) return false;
    this.busy = 'joining';
    this.error = '';
    try {
      this.status = await this.#bridge.joinRoom(this.address.trim(), this.code.trim(), this.name.trim(), this.#ui.lang);
      await this.#run.applyRun(await this.#bridge.run());
      return true;
    } catch (e) {
      this.error = errorText(e);
      return false;
    } finally {
      this.busy = '';
    }
  }

  /** leave leaves the room: nothing of this Maillab listens beyond this computer any more. */
  async leave(): Promise<void> {
    if (this.busy || !this.canControl) return;
    this.busy = 'leaving';
    this.error = '';
    try {
      this.status = await this.#bridge.leaveRoom();
      await this.#run.applyRun(await this.#bridge.run());
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = '';
    }
  }
}
