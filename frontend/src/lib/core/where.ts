// Where the learner left off, so Maillab reopens there; and whether this is
// the very first start (then a welcome view offers lesson 1).

export interface Where {
  /** the welcome view was answered once */
  welcomed: boolean;
  /** the lesson that was open last */
  lesson?: string;
  /** the scenario that ran last, when no lesson was open */
  scenario?: string;
}

export const whereKey = 'maillab.where';

export function loadWhere(store: Pick<Storage, 'getItem'> | undefined): Where {
  try {
    const w = JSON.parse(store?.getItem(whereKey) ?? 'null') as Partial<Where> | null;
    if (!w || typeof w !== 'object') return { welcomed: false };
    return {
      welcomed: w.welcomed === true,
      lesson: typeof w.lesson === 'string' && w.lesson ? w.lesson : undefined,
      scenario: typeof w.scenario === 'string' && w.scenario ? w.scenario : undefined,
    };
  } catch {
    return { welcomed: false };
  }
}

export function saveWhere(store: Pick<Storage, 'setItem'> | undefined, w: Where): void {
  try {
    store?.setItem(whereKey, JSON.stringify(w));
  } catch {
    // private mode: Maillab just starts as on a first visit
  }
}

export type StartPlan =
  | { kind: 'welcome'; lesson?: string }
  | { kind: 'lesson'; id: string }
  | { kind: 'scenario'; id: string }
  | { kind: 'stay' };

/**
 * planStart decides what the first screen shows. A viewer follows the
 * presenter and never decides; a first start gets the welcome view (with
 * the first lesson that has a run); later starts reopen the lesson or the
 * scenario of last time, if it still exists.
 */
export function planStart(
  w: Where,
  o: { canControl: boolean; lessons: { id: string; scenario?: string }[]; scenarios: { id: string }[] },
): StartPlan {
  if (!o.canControl) return { kind: 'stay' };
  if (!w.welcomed) return { kind: 'welcome', lesson: o.lessons.find((l) => l.scenario)?.id ?? o.lessons[0]?.id };
  if (w.lesson && o.lessons.some((l) => l.id === w.lesson)) return { kind: 'lesson', id: w.lesson };
  if (w.scenario && o.scenarios.some((s) => s.id === w.scenario)) return { kind: 'scenario', id: w.scenario };
  return { kind: 'stay' };
}
