import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../../App.svelte';
import { sampleEvents } from '../../core/testdata';
import type { RunInfo } from '../../core/types';
import { FakeBridge } from '../../testing/fake-bridge';
import { freshStorage } from '../../testing/storage';

const en = {
  'ui.world.running': 'Running now: {title}',
  'ui.world.opened': 'Done: the world “{title}” is running now.',
  'ui.world.open-failed': 'This world file cannot be used; nothing has changed:',
  'ui.world.link-failed': 'The world file from the link ({url}) cannot be used; nothing has changed:',
  'ui.world.link-unreachable': 'The world file from the link ({url}) could not be loaded:',
  'ui.world.downloaded': 'Downloaded as {name}.',
  'ui.world.saved': 'Saved as {path}.',
};

async function boot(b = new FakeBridge(sampleEvents)) {
  b.catalogs = { en };
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

/** a picked file as the browser gives it (jsdom's Blob has no text()) */
const picked = (name: string, text: string) => Object.assign(new File([text], name), { text: async () => text });

const textOf = (b: Blob) =>
  new Promise<string>((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.readAsText(b);
  });

const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;
const dialogOpen = () => screen.getByTestId('world-dialog').hasAttribute('open');

describe('World file dialog', () => {
  let clicked: HTMLAnchorElement[];
  let blobs: Blob[];
  beforeEach(() => {
    freshStorage();
    clicked = [];
    blobs = [];
    Object.assign(URL, {
      createObjectURL: vi.fn((b: Blob) => {
        blobs.push(b);
        return 'blob:x';
      }),
      revokeObjectURL: vi.fn(),
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    history.replaceState(null, '', '/');
  });

  it('opens from the toolbar, keeps Space from stepping and downloads maillab-world.yaml, with the mail if asked', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('world-open'));
    await tick();
    expect(dialogOpen()).toBe(true);
    const dialog = screen.getByTestId('world-dialog');
    expect(dialog.getAttribute('aria-labelledby')).toBe('world-title');
    expect(document.getElementById('world-title')?.textContent).toBe('ui.world.title');
    const steps = b.calls.filter((c) => c === 'step').length;
    await fireEvent.keyDown(window, { key: ' ' });
    expect(b.calls.filter((c) => c === 'step').length).toBe(steps);

    await fireEvent.click(screen.getByTestId('world-save'));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(b.calls).toContain('worldFile:false');
    expect(clicked[0].download).toBe('maillab-world.yaml');
    expect(await textOf(blobs[0])).toBe(b.worldText);
    expect(screen.getByTestId('world-status').textContent).toContain('Downloaded as maillab-world.yaml.');

    await fireEvent.click(screen.getByTestId('world-with-mail'));
    await fireEvent.click(screen.getByTestId('world-save'));
    await waitFor(() => expect(clicked).toHaveLength(2));
    expect(b.calls).toContain('worldFile:true');

    await fireEvent.keyDown(window, { key: 'Escape' });
    await tick();
    expect(dialogOpen()).toBe(false);
  });

  it('opens a picked file: the run starts again and the line names the world', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('world-open'));
    const before = b.calls.filter((c) => c === 'start').length;
    const input = screen.getByTestId('world-file-input') as HTMLInputElement;
    expect(input.tabIndex).toBe(-1); // the button opens it; the input is no second stop for the keyboard
    await fireEvent.change(input, { target: { files: [picked('7b.yaml', 'maillab-world: 1\ntitle: Class 7b\n')] } });
    await waitFor(() => expect(screen.getByTestId('world-status').textContent).toContain('Done: the world “Class 7b” is running now.'));
    expect(b.calls).toContain('openWorld');
    expect(b.calls.filter((c) => c === 'start').length).toBe(before + 1);
    expect(screen.getByTestId('world-running').textContent?.trim()).toBe('Running now: Class 7b');
    expect(screen.queryByTestId('world-error')).toBeNull();
  });

  it('shows every line of a refused file as it is, and nothing changes', async () => {
    const b = await boot();
    const error =
      'providers[1].accounts[0].address: "bob" is not an e-mail address (write name@example.net) (line 9)\nlimits.max-conns: "many" is not a number (line 20)';
    b.openWorldError = error;
    await fireEvent.click(screen.getByTestId('world-open'));
    await fireEvent.change(screen.getByTestId('world-file-input'), { target: { files: [picked('broken.yaml', 'maillab-world: 1\n')] } });
    const pre = await screen.findByTestId('world-error');
    expect(pre.tagName).toBe('PRE');
    expect(pre.textContent).toBe(error);
    const status = screen.getByTestId('world-status');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.classList.contains('bad')).toBe(true);
    expect(status.textContent).toContain('This world file cannot be used; nothing has changed:');
  });

  it('a viewer sees the buttons disabled and why', async () => {
    const b = new FakeBridge(sampleEvents);
    b.canControl = false;
    await b.start();
    await boot(b);
    await fireEvent.click(screen.getByTestId('world-open'));
    expect(button('world-save').disabled).toBe(true);
    expect(button('world-open-file').disabled).toBe(true);
    expect((screen.getByTestId('world-with-mail') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('world-viewer').textContent).toBe('ui.world.viewer');
    expect(button('world-save').getAttribute('aria-describedby')).toBe('world-viewer');
  });

  it('in the desktop app the buttons use its file dialogs', async () => {
    const b = new FakeBridge(sampleEvents);
    const run: RunInfo = { runId: 99, scenario: 'send-pop3', nodes: [], ports: [], mode: 'step', interval: 800, world: 'From disk' };
    const saveWorld = vi.fn(async () => '/home/teacher/maillab-world.yaml');
    const openWorldFile = vi.fn(async (): Promise<RunInfo | null> => run);
    Object.assign(b, { saveWorld, openWorldFile });
    await boot(b);
    await fireEvent.click(screen.getByTestId('world-open'));
    expect(screen.queryByTestId('world-file-input')).toBeNull();
    await fireEvent.click(screen.getByTestId('world-with-mail'));
    await fireEvent.click(screen.getByTestId('world-save'));
    await waitFor(() => expect(screen.getByTestId('world-status').textContent).toContain('Saved as /home/teacher/maillab-world.yaml.'));
    expect(saveWorld).toHaveBeenCalledWith(true, 'en');
    expect(clicked).toHaveLength(0);

    await fireEvent.click(screen.getByTestId('world-open-file'));
    await waitFor(() => expect(screen.getByTestId('world-status').textContent).toContain('Done: the world “From disk” is running now.'));
    expect(openWorldFile).toHaveBeenCalledWith('en');
    openWorldFile.mockResolvedValueOnce(null);
    await fireEvent.click(screen.getByTestId('world-open-file'));
    await waitFor(() => expect(screen.getByTestId('world-status').textContent).toContain('ui.world.not-opened'));
  });

  it('a ?world= link opens its file on start; the address loses it in browser mode', async () => {
    history.replaceState(null, '', '/?world=worlds/7b.yaml&x=1');
    const fetch = vi.fn(async () => new Response('maillab-world: 1\ntitle: Linked\n', { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const b = await boot();
    expect(fetch).toHaveBeenCalledWith(new URL('/worlds/7b.yaml', location.href).href, expect.anything());
    expect(b.calls).toContain('openWorld');
    expect(location.search).toBe('?x=1');
    expect(dialogOpen()).toBe(false);
    await fireEvent.click(screen.getByTestId('world-open'));
    expect(screen.getByTestId('world-running').textContent?.trim()).toBe('Running now: Linked');
  });

  it('a link whose file is missing or wrong opens the dialog with the reason', async () => {
    history.replaceState(null, '', '/?world=missing.yaml');
    vi.stubGlobal('fetch', vi.fn(async () => new Response('no', { status: 404, statusText: 'Not Found' })));
    const b = await boot();
    await waitFor(() => expect(dialogOpen()).toBe(true));
    expect(b.calls).not.toContain('openWorld');
    expect(screen.getByTestId('world-status').textContent).toContain(`The world file from the link (${new URL('/missing.yaml', location.href).href}) could not be loaded:`);
    expect(screen.getByTestId('world-error').textContent).toBe('HTTP 404 Not Found');
  });
});
