import { describe, expect, it } from 'vitest';
import { loadWhere, planStart, saveWhere, whereKey } from './where';

const lessons = [
  { id: 'how-email-travels', scenario: 'send-pop3' },
  { id: 'comparison' },
];
const scenarios = [{ id: 'live' }, { id: 'send-pop3' }, { id: 'tls' }];

function memory(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('where the learner left off', () => {
  it('a first start offers the first lesson with a run', () => {
    expect(planStart(loadWhere(memory()), { canControl: true, lessons, scenarios })).toEqual({ kind: 'welcome', lesson: 'how-email-travels' });
  });
  it('a viewer never decides', () => {
    expect(planStart({ welcomed: false }, { canControl: false, lessons, scenarios })).toEqual({ kind: 'stay' });
  });
  it('reopens the last lesson, else the last scenario, else stays', () => {
    const o = { canControl: true, lessons, scenarios };
    expect(planStart({ welcomed: true, lesson: 'comparison', scenario: 'tls' }, o)).toEqual({ kind: 'lesson', id: 'comparison' });
    expect(planStart({ welcomed: true, scenario: 'tls' }, o)).toEqual({ kind: 'scenario', id: 'tls' });
    expect(planStart({ welcomed: true, lesson: 'gone', scenario: 'gone' }, o)).toEqual({ kind: 'stay' });
    expect(planStart({ welcomed: true }, o)).toEqual({ kind: 'stay' });
  });
  it('round-trips and survives garbage', () => {
    const s = memory();
    saveWhere(s, { welcomed: true, lesson: 'comparison' });
    expect(loadWhere(s)).toEqual({ welcomed: true, lesson: 'comparison', scenario: undefined });
    expect(loadWhere(memory({ [whereKey]: '{not json' }))).toEqual({ welcomed: false });
    expect(loadWhere(memory({ [whereKey]: '{"welcomed":"yes","lesson":5}' }))).toEqual({ welcomed: false, lesson: undefined, scenario: undefined });
    expect(loadWhere(undefined)).toEqual({ welcomed: false });
  });
});
