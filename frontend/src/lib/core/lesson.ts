// Lessons against the run: which event a note or a "what comes next"
// question is tied to (the same matching as lessons/lesson/match.go), which
// notes the view shows at the cursor, and the quiz's bookkeeping. Plain
// TypeScript: the stores call it, the tests drive it directly.

import type { LessonNote, MailEvent, Pattern, Question } from './types';

const regexps = new Map<string, RegExp | null>();

/**
 * regexpOf compiles a pattern's text once. Go writes RE2; what the lessons
 * use (anchors, classes, \d, \S, escapes) means the same in JavaScript. A
 * leading (?i) becomes the i flag; a text JavaScript cannot read never
 * matches, as Go treats an invalid expression.
 */
export function regexpOf(text: string): RegExp | null {
  let re = regexps.get(text);
  if (re === undefined) {
    const flags = /^\(\?i\)/.test(text) ? 'i' : '';
    try {
      re = new RegExp(flags ? text.slice(4) : text, flags);
    } catch {
      re = null;
    }
    regexps.set(text, re);
  }
  return re;
}

const same = (want: string | undefined, got: string | undefined) => !want || want === (got ?? '');

/** matches reports whether ev fits p (ignoring nth): kind defaults to "line", every given field must be equal. */
export function matches(p: Pattern, ev: MailEvent | undefined): boolean {
  if (!ev || ev.kind !== (p.kind || 'line')) return false;
  if (!same(p.proto, ev.proto) || !same(p.dir, ev.dir) || !same(p.client, ev.client)) return false;
  if (!same(p.server, ev.server) || !same(p.code, ev.code)) return false;
  if (!p.text) return true;
  const re = regexpOf(p.text);
  return !!re && re.test(ev.text ?? '');
}

const nthOf = (p: Pattern) => (p.nth && p.nth > 0 ? p.nth : 1);

/** findSeq returns the seq of the event p picks in log (its nth match), or 0. */
export function findSeq(p: Pattern, log: Iterable<MailEvent>): number {
  let n = nthOf(p);
  for (const ev of log) if (matches(p, ev) && --n === 0) return ev.seq;
  return 0;
}

/**
 * PatternIndex follows a set of patterns over the released log, one event
 * at a time: how often each matched so far and the seq of its nth match.
 * Appending costs O(patterns) per event, whatever the history holds.
 */
export class PatternIndex {
  readonly patterns: readonly Pattern[];
  #counts: number[];
  #seqs: number[];

  constructor(patterns: readonly Pattern[]) {
    this.patterns = patterns;
    this.#counts = patterns.map(() => 0);
    this.#seqs = patterns.map(() => 0);
  }

  add(ev: MailEvent): void {
    this.patterns.forEach((p, i) => {
      if (!matches(p, ev)) return;
      this.#counts[i]++;
      if (this.#counts[i] === nthOf(p)) this.#seqs[i] = ev.seq;
    });
  }

  reset(): void {
    this.#counts.fill(0);
    this.#seqs.fill(0);
  }

  /** seq of pattern i's nth match, 0 while it has not happened */
  seq(i: number): number {
    return this.#seqs[i] ?? 0;
  }

  /** count of pattern i's matches so far */
  count(i: number): number {
    return this.#counts[i] ?? 0;
  }

  /** isNext: ev would be pattern i's nth match if it were released now */
  isNext(i: number, ev: MailEvent | undefined): boolean {
    const p = this.patterns[i];
    return !!p && this.#counts[i] + 1 === nthOf(p) && matches(p, ev);
  }
}

export interface VisibleNote {
  note: LessonNote;
  seq: number;
  /** the latest note(s) the view has reached: shown prominently */
  current: boolean;
  /** its event belongs to the step at the cursor */
  atStep: boolean;
}

export interface NotesView {
  notes: VisibleNote[];
  /** the body section of the current note(s), if they name one */
  section?: string;
}

/**
 * notesAt is the notes the view shows: those whose event is at or before
 * limitSeq (the last event the view shows), in the order they happened.
 * stepFrom is the last seq of the step before the cursor: a note after it
 * belongs to the current step. A function of the cursor, not of history:
 * stepping back hides notes again.
 */
export function notesAt(notes: readonly LessonNote[], seqs: readonly number[], limitSeq: number, stepFrom: number): NotesView {
  const shown = notes
    .map((note, i) => ({ note, seq: seqs[i] ?? 0, i }))
    .filter((n) => n.seq > 0 && n.seq <= limitSeq)
    .sort((a, b) => a.seq - b.seq || a.i - b.i);
  const last = shown.length ? shown[shown.length - 1].seq : 0;
  const out = shown.map(({ note, seq }) => ({ note, seq, current: seq === last, atStep: seq > stepFrom }));
  const section = out.filter((n) => n.current && n.note.section).pop()?.note.section;
  return { notes: out, section };
}

export type Answers = ReadonlyMap<string, number>;

export interface Score {
  correct: number;
  answered: number;
  total: number;
}

/** score counts the right answers among those given. */
export function score(quiz: readonly Question[], answers: Answers): Score {
  let correct = 0;
  let answered = 0;
  for (const q of quiz) {
    const a = answers.get(q.id);
    if (a === undefined) continue;
    answered++;
    if (a === q.correct) correct++;
  }
  return { correct, answered, total: quiz.length };
}

/**
 * QuizGate decides whether Step asks a "what comes next" question first:
 * ev is the line Step would release (waiting()[0]); a question fits when
 * it is unanswered and ev would be the nth match of its "before" pattern.
 */
export class QuizGate {
  readonly questions: readonly Question[];
  #index: PatternIndex;

  constructor(quiz: readonly Question[]) {
    this.questions = quiz.filter((q) => q.kind === 'next' && q.before);
    this.#index = new PatternIndex(this.questions.map((q) => q.before!));
  }

  add(ev: MailEvent): void {
    this.#index.add(ev);
  }

  reset(): void {
    this.#index.reset();
  }

  /** open: unanswered next-questions whose event has not been released yet (worth asking waiting()) */
  open(answers: Answers): boolean {
    return this.questions.some((q, i) => !answers.has(q.id) && this.#index.seq(i) === 0);
  }

  /** passed: the line question id is about has been released (asked or not) */
  passed(id: string): boolean {
    const i = this.questions.findIndex((q) => q.id === id);
    return i >= 0 && this.#index.seq(i) > 0;
  }

  /** questionBefore is the question to ask before ev is released, if any. */
  questionBefore(ev: MailEvent | undefined, answers: Answers): Question | undefined {
    return this.questions.find((q, i) => !answers.has(q.id) && this.#index.isNext(i, ev));
  }
}

/**
 * LessonIndex follows one lesson's patterns over the run: the seq of each
 * note's event, and the gate for its "next" questions.
 */
export class LessonIndex {
  readonly notes: readonly LessonNote[];
  readonly gate: QuizGate;
  #notes: PatternIndex;

  constructor(notes: readonly LessonNote[] = [], quiz: readonly Question[] = []) {
    this.notes = notes;
    this.#notes = new PatternIndex(notes.map((n) => n.at));
    this.gate = new QuizGate(quiz);
  }

  add(ev: MailEvent): void {
    this.#notes.add(ev);
    this.gate.add(ev);
  }

  reset(): void {
    this.#notes.reset();
    this.gate.reset();
  }

  /** noteSeqs is, per note, the seq of its event (0: not yet released). */
  noteSeqs(): number[] {
    return this.notes.map((_, i) => this.#notes.seq(i));
  }
}

/**
 * firstUnanswered is the question the end-of-lesson quiz asks now: the
 * first without an answer (a "next" question whose moment passed while
 * playing is asked there too).
 */
export function firstUnanswered(quiz: readonly Question[], answers: Answers): Question | undefined {
  return quiz.find((q) => !answers.has(q.id));
}
