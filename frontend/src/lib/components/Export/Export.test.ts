import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../../App.svelte';
import { sampleEvents } from '../../core/testdata';
import { FakeBridge } from '../../testing/fake-bridge';
import { freshStorage } from '../../testing/storage';

async function boot(b = new FakeBridge(sampleEvents)) {
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

/** textOf reads a Blob (jsdom's has no text()). */
const textOf = (b: Blob) =>
  new Promise<string>((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.readAsText(b);
  });

const checkbox = (id: string) => screen.getByTestId(id) as HTMLInputElement;

describe('Export dialog', () => {
  let clicked: HTMLAnchorElement[];
  beforeEach(() => {
    freshStorage();
    clicked = [];
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('opens with E, keeps Space from stepping, and downloads the chosen format', async () => {
    const b = await boot();
    await fireEvent.keyDown(window, { key: 'e' });
    await tick();
    expect(screen.getByTestId('export-dialog').hasAttribute('open')).toBe(true);
    const steps = b.calls.filter((c) => c === 'step').length;
    await fireEvent.keyDown(window, { key: ' ' });
    expect(b.calls.filter((c) => c === 'step').length).toBe(steps);

    await fireEvent.click(screen.getByTestId('export-kind-text'));
    await fireEvent.change(screen.getByTestId('export-lang'), { target: { value: 'pl' } });
    await fireEvent.click(screen.getByTestId('export-save'));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(b.exports.at(-1)).toEqual({ kind: 'text', lang: 'pl', keys: false, secrets: false });
    expect(clicked[0].download).toMatch(/^maillab-[a-z0-9-]+-20261123-100000\.txt$/);
    expect(screen.getByTestId('export-status').textContent).toContain('ui.export.downloaded');
  });

  it('TLS keys only for the capture, and they include the secrets', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('export-open'));
    expect(checkbox('export-keys').disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('export-kind-pcapng'));
    expect(screen.getByTestId('export-wireshark')).toBeTruthy();
    expect((screen.getByTestId('export-lang') as HTMLSelectElement).disabled).toBe(true);
    await fireEvent.click(checkbox('export-keys'));
    expect(checkbox('export-secrets').checked).toBe(true);
    expect(checkbox('export-secrets').disabled).toBe(true);
    expect(screen.getByTestId('export-keys-imply')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('export-save'));
    await waitFor(() => expect(b.exports).toHaveLength(1));
    expect(b.exports[0]).toMatchObject({ kind: 'pcapng', keys: true, secrets: true });
  });

  it('a viewer exports without secrets and is told why', async () => {
    const b = new FakeBridge(sampleEvents);
    b.canControl = false;
    await b.start();
    await boot(b);
    await fireEvent.click(screen.getByTestId('export-open'));
    await fireEvent.click(screen.getByTestId('export-kind-pcapng'));
    expect(checkbox('export-keys').disabled).toBe(true);
    expect(checkbox('export-secrets').disabled).toBe(true);
    expect(screen.getByTestId('export-viewer').textContent).toBe('ui.export.viewer');
    await fireEvent.click(screen.getByTestId('export-save'));
    await waitFor(() => expect(b.exports).toHaveLength(1));
    expect(b.exports[0]).toMatchObject({ keys: false, secrets: false });
  });

  it('saves the sequence diagram and the topology as pictures, in the interface language', async () => {
    const b = new FakeBridge(sampleEvents);
    b.catalogs = {
      en: { 'node.alice-laptop': "Alice's laptop", 'ui.sequence.message': '{n, plural, one {message (# line)} other {message (# lines)}}' },
    };
    // jsdom lays nothing out: give the panels a size, so the topology is drawn.
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
    await boot(b);
    const blobs: Blob[] = [];
    Object.assign(URL, { createObjectURL: vi.fn((b: Blob) => (blobs.push(b), 'blob:x')) });
    for (let i = 0; i < 46; i++) {
      await fireEvent.keyDown(window, { key: ' ' });
      await tick();
    }
    await fireEvent.click(screen.getByTestId('export-open'));
    await fireEvent.click(screen.getByTestId('export-picture-sequence-svg'));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0].download).toMatch(/^maillab-[a-z0-9-]+-sequence\.svg$/);
    expect(blobs[0].type).toBe('image/svg+xml');
    const seqSvg = await textOf(blobs[0]);
    const doc = new DOMParser().parseFromString(seqSvg, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining(["Alice's laptop", 'smtp.example.org', 'EHLO', 'message (19 lines)']));
    expect(screen.getByTestId('export-status').textContent).toContain('ui.export.downloaded');

    await fireEvent.click(screen.getByTestId('export-picture-topology-svg'));
    await waitFor(() => expect(clicked).toHaveLength(2));
    expect(clicked[1].download).toMatch(/^maillab-[a-z0-9-]+-topology\.svg$/);
    const topo = new DOMParser().parseFromString(await textOf(blobs[1]), 'image/svg+xml');
    expect(topo.querySelector('parsererror')).toBeNull();
    expect([...topo.querySelectorAll('text')].map((t) => t.textContent)).toEqual(expect.arrayContaining(["Alice's laptop", 'mx.example.net']));
  });

  it('shows a readable error, and uses the desktop save dialog when there is one', async () => {
    const b = await boot();
    b.exportError = 'no scenario is running: pick one first';
    await fireEvent.click(screen.getByTestId('export-open'));
    await fireEvent.click(screen.getByTestId('export-save'));
    await waitFor(() => expect(screen.getByTestId('export-status').classList.contains('bad')).toBe(true));
    expect(clicked).toHaveLength(0);

    const saved: string[] = [];
    (b as unknown as { saveExport: (r: { kind: string }) => Promise<string> }).saveExport = async (r) => {
      saved.push(r.kind);
      return '/home/bob/run.md';
    };
    await fireEvent.click(screen.getByTestId('export-save'));
    await waitFor(() => expect(saved).toEqual(['markdown']));
    expect(clicked).toHaveLength(0);
    expect(screen.getByTestId('export-status').textContent).toContain('ui.export.saved');
  });
});
