// The open lesson: its text in the interface language, the notes the view
// has reached, and the quiz. Step goes through here, so a "what comes next"
// question can stop it before the line it asks about is released.

import { errorText, type Bridge } from '../bridge';
import { firstUnanswered, LessonIndex, notesAt, score, type NotesView, type Score } from '../core/lesson';
import { parseMarkdown, sections, type Block, type Section } from '../core/markdown';
import type { Lesson, LessonSummary, MailEvent, Question } from '../core/types';
import type { RunStore } from './run.svelte';

const storeKey = 'maillab.lesson';

export class LessonStore {
  readonly bridge: Bridge;
  readonly run: RunStore;
  list = $state.raw<LessonSummary[]>([]);
  lesson = $state.raw<Lesson | null>(null);
  /** question id → the answer picked (index) */
  answers = $state.raw<ReadonlyMap<string, number>>(new Map());
  /** the "next" question Step is asking now */
  pendingId = $state<string | null>(null);
  /** bumped when the index starts again (another lesson) */
  #rev = $state(0);
  #ix = new LessonIndex();
  #unfollow: (() => void) | undefined;
  #stepping = false;

  constructor(bridge: Bridge, run: RunStore) {
    this.bridge = bridge;
    this.run = run;
  }

  /** the run, for the derived values below (read when they are, not when the fields are set up) */
  #run(): RunStore {
    return this.run;
  }

  readonly blocks: Block[] = $derived(this.lesson ? parseMarkdown(this.lesson.body) : []);
  readonly sections: Section[] = $derived(sections(this.blocks));
  /** the run on screen is this lesson's scenario: its notes and questions apply */
  readonly live = $derived(!!this.lesson?.scenario && this.#run().run?.scenario === this.lesson.scenario);
  readonly notes: NotesView = $derived.by(() => {
    const run = this.#run();
    void this.#rev;
    void run.dataRev;
    const l = this.lesson;
    if (!l || !this.live) return { notes: [] };
    return notesAt(l.notes, this.#ix.noteSeqs(), run.limitSeq, run.stepFromSeq);
  });
  /** the question Step asks; gone once its line is out anyway (Play, another viewer's step) */
  readonly pending: Question | undefined = $derived.by(() => {
    void this.#rev;
    void this.#run().dataRev;
    const q = this.lesson?.quiz.find((x) => x.id === this.pendingId);
    return q && !this.#ix.gate.passed(q.id) ? q : undefined;
  });
  readonly score: Score = $derived(score(this.lesson?.quiz ?? [], this.answers));
  /** the end-of-lesson quiz is open: a reading page, an exercise (the live world never finishes), or the run has finished */
  readonly quizOpen = $derived(
    !!this.lesson && (!this.lesson.scenario || !!this.lesson.exercise || (this.live && this.#run().finishedSeq > 0)),
  );
  /** the question the keys 1–4 answer */
  readonly active: Question | undefined = $derived(
    this.pending ?? (this.quizOpen && this.lesson ? firstUnanswered(this.lesson.quiz, this.answers) : undefined),
  );

  /** loadList fetches the menu; a server without lessons (an older one, the mock) just has none. */
  async loadList(lang: string): Promise<void> {
    try {
      this.list = (await this.bridge.lessons(lang)) ?? [];
    } catch {
      this.list = [];
    }
  }

  /** open shows lesson id; a lesson with a scenario starts it in a fresh world (unless start is false). */
  async open(id: string, lang: string, start = true): Promise<void> {
    let l: Lesson;
    try {
      l = await this.bridge.lesson(id, lang);
    } catch (e) {
      this.run.error = errorText(e);
      return;
    }
    this.#setLesson(l);
    this.answers = new Map();
    this.pendingId = null;
    this.#remember(id);
    if (start && l.scenario && this.run.canControl) await this.run.start(l.scenario);
  }

  close(): void {
    this.#unfollow?.();
    this.#unfollow = undefined;
    this.lesson = null;
    this.pendingId = null;
    this.#remember('');
  }

  /** setLang reloads the menu and the open lesson in another language; run, answers and notes stay. */
  async setLang(lang: string): Promise<void> {
    const id = this.lesson?.id;
    await this.loadList(lang);
    if (!id) return;
    try {
      const l = await this.bridge.lesson(id, lang);
      if (this.lesson?.id === id) this.lesson = l; // the same patterns: the index stays valid
    } catch (e) {
      this.run.error = errorText(e);
    }
  }

  /** restore reopens the lesson of an earlier visit (a reload) if it still fits the run. */
  async restore(lang: string): Promise<void> {
    let id = '';
    try {
      id = sessionStorage.getItem(storeKey) ?? '';
    } catch {
      return;
    }
    const s = this.list.find((l) => l.id === id);
    if (s && (!s.scenario || s.scenario === this.run.run?.scenario)) await this.open(id, lang, false);
  }

  #remember(id: string): void {
    try {
      sessionStorage.setItem(storeKey, id);
    } catch {
      // private mode: nothing to remember
    }
  }

  #setLesson(l: Lesson): void {
    this.#unfollow?.();
    this.lesson = l;
    this.#ix = new LessonIndex(l.notes, l.quiz);
    const ix = this.#ix;
    this.#unfollow = this.run.follow({
      add: (ev) => ix.add(ev),
      reset: () => ix.reset(),
      // A fresh world asks its questions again.
      newRun: () => {
        this.answers = new Map();
        this.pendingId = null;
      },
    });
    this.#rev++;
  }

  /**
   * step is what Space and the Step button do. At the head of this
   * lesson's run it first asks the Go side which line waits: if a "next"
   * question is about that line, the question shows instead; once it is
   * answered, the next step releases the line.
   */
  async step(): Promise<void> {
    const run = this.run;
    const q = this.pending;
    if (q) {
      if (!this.answers.has(q.id)) {
        run.notice = 'ui.lesson.answer-first';
        return;
      }
      this.pendingId = null;
      await run.step();
      return;
    }
    if (!(this.live && run.canControl && run.atHead && !run.playing && this.#ix.gate.open(this.answers))) {
      await run.step();
      return;
    }
    // One question at a time: presses while the Go side is asked are dropped.
    if (this.#stepping) return;
    this.#stepping = true;
    try {
      await this.#gatedStep();
    } finally {
      this.#stepping = false;
    }
  }

  async #gatedStep(): Promise<void> {
    const run = this.run;
    let next: MailEvent | undefined;
    try {
      next = (await this.bridge.waiting())[0];
    } catch (e) {
      run.error = errorText(e);
      return;
    }
    if (!next) {
      // Nothing waits yet: stepping now could release a line we did not ask about.
      run.notice = 'ui.status.nothing-waits';
      return;
    }
    const ask = this.#ix.gate.questionBefore(next, this.answers);
    if (ask && run.atHead) {
      this.pendingId = ask.id;
      run.notice = '';
      return;
    }
    await run.step();
  }

  /** answer records the answer to a question once; later picks do not change it. */
  answer(q: Question, i: number): void {
    if (this.answers.has(q.id) || i < 0 || i >= q.answers.length) return;
    const a = new Map(this.answers);
    a.set(q.id, i);
    this.answers = a;
    if (this.run.notice === 'ui.lesson.answer-first') this.run.notice = '';
  }

  /** pick answers the active question with the i-th answer (keys 1–4). */
  pick(i: number): boolean {
    const q = this.active;
    if (!q || this.answers.has(q.id)) return false;
    this.answer(q, i);
    return true;
  }

  /** continue after the feedback of a "next" question: release the line. */
  async continue(): Promise<void> {
    const q = this.pending;
    if (q && this.answers.has(q.id)) await this.step();
  }
}
