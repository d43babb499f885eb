import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { sampleEvents } from './lib/core/testdata';
import type { Lesson } from './lib/core/types';
import { FakeBridge } from './lib/testing/fake-bridge';
import { lessonDe, lessonEn } from './lib/testing/lesson-fixture';
import { freshStorage } from './lib/testing/storage';

const reading: Lesson = {
  id: 'tables',
  number: 12,
  title: 'Comparison tables',
  summary: 'SMTP, POP3, IMAP side by side.',
  lang: 'en',
  body: '## Tables {#t}\n\n| | POP3 | IMAP |\n| --- | --- | --- |\n| mail lives | device | server |',
  notes: [],
  quiz: [{ id: 'q1', kind: 'choice', question: 'Which keeps mail on the server?', answers: ['POP3', 'IMAP'], correct: 1, explain: 'IMAP.' }],
};

function bridge(): FakeBridge {
  const b = new FakeBridge(sampleEvents);
  b.lessonsByLang = { en: [lessonEn, reading], de: [lessonDe, { ...reading, lang: 'de', title: 'Vergleichstabellen' }] };
  b.catalogs = { en: { 'ui.lesson.score': '{correct} of {total}' }, de: { 'ui.lesson.score': '{correct} von {total}' } };
  return b;
}

async function boot(b = bridge()) {
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

const steps = (b: FakeBridge) => b.calls.filter((c) => c === 'step').length;
const released = (b: FakeBridge, text: string) => b.released.some((e) => e.text === text);
const currentNotes = () => [...document.querySelectorAll('[data-testid="lesson-current-note"]')].map((e) => e.getAttribute('data-note'));

async function key(k: string) {
  await fireEvent.keyDown(window, { key: k });
  await tick();
}

/** space presses Space once and waits until the press has done its work (a release, or a question). */
async function space(b: FakeBridge) {
  const n = steps(b);
  const w = b.calls.filter((c) => c === 'waiting').length;
  await key(' ');
  await waitFor(() => expect(steps(b) > n || b.calls.filter((c) => c === 'waiting').length > w).toBe(true));
  await tick();
  await tick();
}

describe('lessons', () => {
  beforeEach(() => {
    freshStorage();
    sessionStorage.clear();
  });

  it('opens the first lesson at start: its scenario runs, its text shows in the lesson panel', async () => {
    const b = await boot();
    expect(b.calls).toContain('lesson:send:en');
    expect(b.calls).toContain('start:send-pop3');
    expect(screen.getByTestId('lesson').querySelector('h2')?.textContent).toContain('ui.lesson.heading');
    // The side column: inspector, mailboxes and message as tabs.
    expect(screen.getByTestId('tab-inspector').getAttribute('aria-selected')).toBe('true');
    await fireEvent.click(screen.getByTestId('tab-where'));
    expect(screen.getByTestId('mailboxes')).toBeTruthy();
    // The menu lists the lessons and the plain scenarios; the lesson is picked.
    const select = screen.getByTestId('scenario') as HTMLSelectElement;
    expect(select.value).toBe('lesson:send');
    expect([...select.options].map((o) => o.value)).toEqual(['lesson:send', 'lesson:tables', 'live', 'send-pop3']);
  });

  it('renders the Markdown as elements, and <script> in it as text', async () => {
    await boot();
    const body = screen.getByTestId('lesson-body');
    expect(body.querySelector('h3')?.textContent).toBe('Alice submits');
    expect(body.querySelector('strong')?.textContent).toBe('MSA');
    expect([...body.querySelectorAll('code')].map((c) => c.textContent)).toContain('EHLO');
    expect(body.querySelector('th')?.textContent).toBe('port');
    expect(body.querySelector('em')?.textContent).toBe('for deletion');
    expect(body.textContent).toContain('<script>alert(1)</script>');
    expect(document.querySelector('[data-testid="lesson"] script')).toBeNull();
  });

  it('shows a note when its step is the current one, and hides it when stepping back', async () => {
    const b = await boot();
    for (let i = 0; i < 2; i++) await space(b); // Alice clicks Send, 220
    expect(currentNotes()).toEqual([]);
    await space(b); // EHLO
    expect(currentNotes()).toEqual(['ehlo']);
    expect(screen.getByTestId('lesson-now').textContent).toContain('EHLO: the client introduces itself.');
    expect(document.querySelector('[data-section="submit"]')?.classList.contains('active')).toBe(true);
    await key('ArrowLeft');
    expect(currentNotes()).toEqual([]);
    expect(document.querySelectorAll('[data-testid="lesson-note"]')).toHaveLength(0);
    expect(document.querySelector('[data-section="submit"]')?.classList.contains('active')).toBe(false);
    const n = steps(b);
    await key('ArrowRight'); // history: no release
    expect(steps(b)).toBe(n);
    expect(currentNotes()).toEqual(['ehlo']);
    await space(b); // the next line: the note stays, as the latest one
    expect(currentNotes()).toEqual(['ehlo']);
    expect(document.querySelector('[data-testid="lesson-current-note"]')?.classList.contains('at-step')).toBe(false);
  });

  it('asks "what comes next" before RETR 1, gives feedback, then releases the line', async () => {
    const b = await boot();
    for (let i = 0; i < 300 && !screen.queryByTestId('quiz-next'); i++) await space(b);
    const card = screen.getByTestId('quiz-next');
    expect(card.textContent).toContain('What does the laptop send next?');
    expect(released(b, 'RETR 1')).toBe(false);
    // Space again: still the question, nothing released.
    const n = steps(b);
    await key(' ');
    await tick();
    expect(steps(b)).toBe(n);
    expect(screen.getByTestId('status').textContent).toBe('ui.lesson.answer-first');
    // 2 picks "RETR 1": right, with the explanation.
    await key('2');
    const fb = screen.getByTestId('quiz-feedback');
    expect(fb.getAttribute('data-correct')).toBe('true');
    expect(fb.textContent).toContain('RETR downloads the message.');
    await key('1'); // answered: a second pick changes nothing
    expect(screen.getByTestId('quiz-feedback').getAttribute('data-correct')).toBe('true');
    expect(screen.getByTestId('lesson-score').textContent).toContain('1 of 2');
    // Enter continues: RETR 1 is released and is the current step, with its note.
    await key('Enter');
    await waitFor(() => expect(released(b, 'RETR 1')).toBe(true));
    await tick();
    expect(screen.queryByTestId('quiz-next')).toBeNull();
    await waitFor(() => expect(currentNotes()).toEqual(['retr']));
    expect(document.querySelector('[data-section="pop3"]')?.classList.contains('active')).toBe(true);
    // The earlier note is still there, dimmed, in its section.
    const earlier = document.querySelector('[data-testid="lesson-note"][data-note="ehlo"]');
    expect(earlier?.classList.contains('earlier')).toBe(true);
  });

  it('opens the quiz when the run is finished, scores it, and keeps it across a language switch', async () => {
    const b = await boot();
    expect(screen.getByTestId('lesson-quiz').textContent).toContain('ui.lesson.quiz-locked');
    for (let i = 0; i < 400 && !screen.queryByTestId('quiz-next'); i++) await space(b);
    await key('3'); // wrong: DELE 1
    expect(screen.getByTestId('quiz-feedback').getAttribute('data-correct')).toBe('false');
    for (let i = 0; i < 400 && b.released[b.released.length - 1]?.code !== 'state.run-finished'; i++) await space(b);
    await waitFor(() => expect(screen.getByTestId('lesson-quiz').querySelector('[data-question="q-where"]')).not.toBeNull());
    await key('1'); // the active question of the end quiz: right
    const q = screen.getByTestId('lesson-quiz').querySelector('[data-question="q-where"]')!;
    expect(q.querySelector('[data-testid="quiz-feedback"]')?.getAttribute('data-correct')).toBe('true');
    expect(screen.getByTestId('lesson-score').textContent).toContain('1 of 2');
    expect(screen.getByTestId('quiz-done')).toBeTruthy();

    // German: the lesson text changes, the run and the answers stay.
    const calls = b.calls.filter((c) => c.startsWith('start')).length;
    await fireEvent.click(screen.getByTestId('lang-de'));
    await waitFor(() => expect(screen.getByTestId('lesson-body').textContent).toContain('Das E-Mail-Programm sendet'));
    expect(b.calls).toContain('lesson:send:de');
    expect(b.calls.filter((c) => c.startsWith('start')).length).toBe(calls);
    expect(screen.getByTestId('lesson-score').textContent).toContain('1 von 2');
    expect(screen.getByTestId('lesson-quiz').textContent).toContain('Wo ist die E-Mail jetzt?');
    expect(screen.getByTestId('lesson-now').textContent).toContain('RETR 1 holt die ganze Nachricht.');
  });

  it('opens a reading page without a run, its quiz at once; a plain scenario closes the lesson', async () => {
    const b = await boot();
    const starts = b.calls.filter((c) => c === 'start').length;
    await fireEvent.change(screen.getByTestId('scenario'), { target: { value: 'lesson:tables' } });
    await waitFor(() => expect(screen.getByTestId('lesson-body').textContent).toContain('mail lives'));
    expect(b.calls.filter((c) => c === 'start').length).toBe(starts);
    expect(screen.getByTestId('lesson-quiz').querySelector('[data-question="q1"]')).not.toBeNull();
    await key('2');
    expect(screen.getByTestId('quiz-feedback').getAttribute('data-correct')).toBe('true');

    await fireEvent.change(screen.getByTestId('scenario'), { target: { value: 'send-pop3' } });
    await waitFor(() => expect(screen.queryByTestId('lesson')).toBeNull());
    expect(b.calls).toContain('start:send-pop3');
    for (const p of ['mailboxes', 'inspector', 'message']) expect(screen.getByTestId(p)).toBeTruthy();
  });

  it('gives a viewer the lessons to read, without starting anything', async () => {
    const b = bridge();
    b.canControl = false;
    await boot(b);
    expect(screen.queryByTestId('scenario')).toBeNull();
    const picker = screen.getByTestId('lesson-picker') as HTMLSelectElement;
    expect([...picker.options].map((o) => o.value)).toEqual(['', 'lesson:send', 'lesson:tables']);
    await fireEvent.change(picker, { target: { value: 'lesson:send' } });
    await waitFor(() => expect(screen.getByTestId('lesson-body').textContent).toContain('Alice submits'));
    expect(b.calls).not.toContain('start');
  });
});
