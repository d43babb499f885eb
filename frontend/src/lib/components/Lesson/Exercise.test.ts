import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleEvents } from '../../core/testdata';
import type { Lesson } from '../../core/types';
import { LessonStore } from '../../stores/lesson.svelte';
import { RunStore } from '../../stores/run.svelte';
import { UiStore } from '../../stores/ui.svelte';
import { FakeBridge } from '../../testing/fake-bridge';
import LessonPanel from './LessonPanel.svelte';
import { freshStorage } from '../../testing/storage';

const byHand: Lesson = {
  id: 'smtp-by-hand',
  number: 13,
  scenario: 'live',
  title: 'Send Bob a mail by hand',
  summary: 'Talk SMTP yourself.',
  lang: 'en',
  body: '## The task {#task}\n\nType SMTP yourself.',
  notes: [],
  quiz: [{ id: 'q1', kind: 'choice', question: 'How does DATA end?', answers: ['QUIT', 'A lone dot'], correct: 1, explain: 'RFC 5321 §4.1.1.4.' }],
  exercise: { id: 'send-bob', mailbox: 'bob@example.net', task: 'Send Bob a mail <b>by hand</b>.' },
};

const catalog = {
  'ui.exercise.check': 'Check the mailbox',
  'ui.exercise.open-terminal': 'Open the terminal',
  'ui.exercise.show-mailbox': 'Show where the mail is',
  'ui.exercise.done': 'Done! “{subject}” from {from}, {count} in {mailbox}.',
  'ui.exercise.not-yet': 'No mail in {mailbox} yet.',
  'ui.exercise.start-first': 'Start the lesson first.',
};

async function setup() {
  const b = new FakeBridge(sampleEvents);
  b.lessonsByLang = { en: [byHand] };
  b.catalogs = { en: catalog };
  const ui = new UiStore(b);
  await ui.setLang('en');
  const run = new RunStore(b);
  await run.connect();
  const lesson = new LessonStore(b, run);
  await lesson.open(byHand.id, 'en');
  render(LessonPanel, { props: { lesson, ui } });
  return { b, ui, run, lesson };
}

const verdict = () => screen.getByTestId('exercise-verdict');

describe('the exercise box', () => {
  beforeEach(() => {
    freshStorage();
    sessionStorage.clear();
  });

  it('opening the lesson starts the live world and shows the task as text', async () => {
    const { b } = await setup();
    expect(b.calls).toContain('start:live');
    expect(screen.getByTestId('exercise-task').textContent).toBe('Send Bob a mail <b>by hand</b>.');
    expect(document.querySelector('[data-testid="exercise"] b')).toBeNull();
    expect(verdict().getAttribute('aria-live')).toBe('polite');
  });

  it('the quiz is open at once: the live world never finishes', async () => {
    const { lesson } = await setup();
    expect(lesson.quizOpen).toBe(true);
    expect(screen.getAllByTestId('quiz-question')).toHaveLength(1);
    expect(screen.queryByTestId('lesson-to-quiz')).toBeNull();
  });

  it('checks the mailbox and shows the verdict', async () => {
    const { b } = await setup();
    await fireEvent.click(screen.getByTestId('exercise-check'));
    await waitFor(() => expect(verdict().textContent).toContain('No mail in bob@example.net yet.'));
    expect(b.calls).toContain('checkExercise:smtp-by-hand');
    expect(verdict().dataset.tone).toBe('waiting');

    const params = { mailbox: 'bob@example.net', subject: '<i>Typed</i> by hand', from: 'student@example.com', count: '1' };
    b.exerciseResult = { done: true, count: 1, subject: params.subject, from: params.from, key: 'ui.exercise.done', params };
    await fireEvent.click(screen.getByTestId('exercise-check'));
    await waitFor(() => expect(verdict().dataset.tone).toBe('done'));
    expect(verdict().textContent).toContain('Done! “<i>Typed</i> by hand” from student@example.com, 1 in bob@example.net.');
    expect(verdict().querySelector('i')).toBeNull();
  });

  it('a failed check shows the error', async () => {
    const { b } = await setup();
    b.checkExercise = async () => {
      throw new Error('The Maillab server cannot be reached.');
    };
    await fireEvent.click(screen.getByTestId('exercise-check'));
    await waitFor(() => expect(verdict().dataset.tone).toBe('error'));
    expect(verdict().textContent).toContain('cannot be reached');
  });

  it('opens the terminal and shows where the mail is', async () => {
    const { ui } = await setup();
    await fireEvent.click(screen.getByTestId('exercise-where'));
    expect(ui.sideTab).toBe('where');
    await fireEvent.click(screen.getByTestId('exercise-terminal'));
    expect(ui.terminalOpen).toBe(true);
  });
});
