import { describe, expect, it } from 'vitest';
import { exerciseRunning, startFirstKey, verdictOf } from './exercise';
import type { ExerciseResult } from './types';

const result = (r: Partial<ExerciseResult>): ExerciseResult => ({
  done: false,
  count: 0,
  subject: '',
  from: '',
  key: '',
  params: null,
  ...r,
});

describe('verdictOf', () => {
  it('a delivered mail is done, with the Go side’s params', () => {
    const params = { mailbox: 'bob@example.net', subject: 'Typed by hand', from: 'student@example.com', count: '1' };
    expect(verdictOf(result({ done: true, count: 1, key: 'ui.exercise.done', params }))).toEqual({
      key: 'ui.exercise.done',
      params,
      tone: 'done',
    });
  });

  it('no mail yet keeps the learner going', () => {
    const v = verdictOf(result({ key: 'ui.exercise.not-yet', params: { mailbox: 'bob@example.net' } }));
    expect(v.tone).toBe('waiting');
    expect(v.params.mailbox).toBe('bob@example.net');
  });

  it('no live world asks to start the lesson', () => {
    expect(verdictOf(result({ key: startFirstKey })).tone).toBe('start');
  });

  it('a reply without key or params still reads', () => {
    expect(verdictOf(result({}))).toEqual({ key: 'ui.exercise.not-yet', params: {}, tone: 'waiting' });
    expect(verdictOf(result({ done: true })).key).toBe('ui.exercise.done');
  });

  it('does not share the params object it was given', () => {
    const params = { mailbox: 'bob@example.net' };
    const v = verdictOf(result({ params }));
    v.params.mailbox = 'x';
    expect(params.mailbox).toBe('bob@example.net');
  });
});

describe('exerciseRunning', () => {
  it.each([
    ['live', 'live', true],
    ['live', 'send-pop3', false],
    ['live', undefined, false],
    [undefined, undefined, false],
    ['', '', false],
  ])('lesson %s, run %s → %s', (lesson, run, want) => {
    expect(exerciseRunning(lesson, run)).toBe(want);
  });
});
