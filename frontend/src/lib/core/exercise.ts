// The exercise box of a lesson ("send Bob a mail by hand"): what the Go
// side's check says, turned into what the box shows. Plain TypeScript.

import type { ExerciseResult } from './types';

/** how the verdict reads: done, not yet (keep going), or the lesson must be started first */
export type Tone = 'done' | 'waiting' | 'start';

export interface Verdict {
  key: string;
  params: Record<string, string>;
  tone: Tone;
}

export const startFirstKey = 'ui.exercise.start-first';
const notYetKey = 'ui.exercise.not-yet';

/** verdictOf is the text and tone of a check; a reply without a key reads as "not yet". */
export function verdictOf(r: ExerciseResult): Verdict {
  const params = { ...(r.params ?? {}) };
  if (r.done) return { key: r.key || 'ui.exercise.done', params, tone: 'done' };
  if (r.key === startFirstKey) return { key: r.key, params, tone: 'start' };
  return { key: r.key || notYetKey, params, tone: 'waiting' };
}

/** exerciseRunning: the run on screen is the exercise lesson's world, so checking means something */
export function exerciseRunning(lessonScenario: string | undefined, runScenario: string | undefined): boolean {
  return !!lessonScenario && lessonScenario === runScenario;
}
