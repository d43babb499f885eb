import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../../App.svelte';
import { sampleEvents } from '../../core/testdata';
import { FakeBridge } from '../../testing/fake-bridge';
import { lessonEn } from '../../testing/lesson-fixture';
import { freshStorage } from '../../testing/storage';

function bridge(withLesson = true): FakeBridge {
  const b = new FakeBridge(sampleEvents);
  if (withLesson) b.lessonsByLang = { en: [lessonEn] };
  return b;
}

async function boot(b = bridge()) {
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

async function key(k: string) {
  await fireEvent.keyDown(window, { key: k });
  await tick();
}

/** step presses Space n times, each until the line is out. */
async function step(b: FakeBridge, n: number) {
  for (let i = 0; i < n; i++) {
    const before = b.released.length;
    await key(' ');
    await waitFor(() => expect(b.released.length).toBeGreaterThan(before));
  }
  await tick();
}

async function openHandout() {
  await fireEvent.click(screen.getByTestId('export-open'));
  await fireEvent.click(screen.getByTestId('handout-open'));
  await tick();
  await tick();
  return screen.getByTestId('handout');
}

describe('Handout', () => {
  let printed: number;
  beforeEach(() => {
    freshStorage();
    sessionStorage.clear();
    printed = 0;
    vi.spyOn(window, 'print').mockImplementation(() => void printed++);
  });
  afterEach(() => vi.restoreAllMocks());

  it('opens from the Export dialog as a print view of the lesson and the run so far', async () => {
    const b = await boot();
    await step(b, 30); // past the message's Subject line
    const view = await openHandout();
    expect(screen.getByTestId('export-dialog').hasAttribute('open')).toBe(false);
    expect(document.documentElement.dataset.handout).toBe('open');
    expect(document.querySelector('main')!.inert).toBe(true);
    expect(screen.getByTestId('handout-heading').textContent).toBe('ui.lesson.heading');

    // The lesson's Markdown through the safe component: a table, code, and <script> as text.
    const text = screen.getByTestId('handout-text');
    expect(text.querySelector('table')).not.toBeNull();
    expect(text.querySelector('code')!.textContent).toBe('EHLO');
    expect(text.querySelector('script')).toBeNull();
    expect(text.textContent).toContain('<script>alert(1)</script>');

    // The transcript: released lines only, each with its meaning; wire text stays text.
    const rows = [...view.querySelectorAll<HTMLTableRowElement>('[data-testid="handout-line"]')];
    const released = b.released.filter((e) => e.kind === 'line' || e.kind === 'packet');
    expect(rows.map((r) => Number(r.dataset.seq))).toEqual(released.map((e) => e.seq));
    const subject = rows.find((r) => r.cells[2].textContent!.startsWith('Subject:'))!;
    expect(subject.cells[2].textContent).toBe('Subject: <img src=x onerror=alert(1)>');
    expect(view.querySelector('img')).toBeNull();
    expect(rows[1].cells[2].textContent).toBe('EHLO alice-laptop');
    expect(rows[1].cells[3].textContent).toBe('ui.explain.command (RFC 6409, RFC 5321)');
    expect(rows.find((r) => r.cells[2].textContent!.startsWith('AUTH'))!.cells[2].textContent).toBe('AUTH PLAIN ********');

    // The @page rule of the chosen paper, while the view is open.
    const page = () => document.head.querySelector('style[data-handout-page]')?.textContent ?? '';
    expect(page()).toMatch(/size: (A4|letter) portrait/);
    await fireEvent.change(screen.getByTestId('handout-paper'), { target: { value: 'letter' } });
    expect(page()).toContain('size: letter portrait');
    expect(view.dataset.paper).toBe('letter');
    expect(localStorage.getItem('maillab.paper')).toBe('letter');

    // Print asks the browser; Esc closes and puts things back.
    await fireEvent.click(screen.getByTestId('handout-print'));
    expect(printed).toBe(1);
    const steps = b.calls.filter((c) => c === 'step').length;
    await key(' ');
    expect(b.calls.filter((c) => c === 'step').length).toBe(steps); // Space does not step behind the view
    await key('Escape');
    expect(screen.queryByTestId('handout')).toBeNull();
    expect(document.documentElement.dataset.handout).toBeUndefined();
    expect(document.head.querySelector('style[data-handout-page]')).toBeNull();
    expect(document.querySelector('main')!.inert).toBe(false);
  });

  it('copies the on-screen sequence diagram', async () => {
    // jsdom lays nothing out: give the panels a width, so the diagram is drawn.
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
    const b = await boot();
    await step(b, 3);
    await openHandout();
    const onScreen = [...document.querySelectorAll('[data-testid="sequence"] svg')];
    expect(onScreen.length).toBeGreaterThan(0);
    const drawing = screen.getByTestId('handout-diagram').querySelector('svg')!;
    expect(drawing.getAttribute('viewBox')).toMatch(/^0 0 600 \d+$/);
    expect(drawing.querySelectorAll('text').length).toBe(onScreen.flatMap((s) => [...s.querySelectorAll('text')]).length);
  });

  it('needs an open lesson', async () => {
    await boot(bridge(false));
    await fireEvent.click(screen.getByTestId('export-open'));
    expect((screen.getByTestId('handout-open') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('handout-about').textContent!.trim()).toBe('ui.handout.no-lesson');
  });
});
