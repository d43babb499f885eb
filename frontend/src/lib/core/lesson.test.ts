import { describe, expect, it } from 'vitest';
import { firstUnanswered, findSeq, LessonIndex, matches, notesAt, PatternIndex, QuizGate, regexpOf, score } from './lesson';
import { Timeline } from './timeline';
import type { LessonNote, MailEvent, Question } from './types';

let seq = 0;
function ev(kind: MailEvent['kind'], extra: Partial<MailEvent> = {}): MailEvent {
  return { seq: ++seq, kind, ...extra };
}
const pop3 = (client: string, dir: 'C' | 'S', text: string) =>
  ev('line', { conn: client === 'bob-laptop' ? 1 : 2, proto: 'pop3', client, server: 'mail.example.net', dir, text });

// A small run: an action, two POP3 sessions (laptop, then phone), with
// non-stepped events (open, tls, state) in between.
function run(): MailEvent[] {
  seq = 0;
  return [
    ev('action', { actor: 'bob-laptop', code: 'action.pop3-fetch' }),
    ev('open', { conn: 1, client: 'bob-laptop', server: 'mail.example.net', proto: 'pop3' }),
    pop3('bob-laptop', 'S', '+OK POP3 server ready'),
    pop3('bob-laptop', 'C', 'STLS'),
    pop3('bob-laptop', 'S', '+OK Begin TLS negotiation'),
    ev('tls', { conn: 1, proto: 'pop3', text: 'handshake' }),
    pop3('bob-laptop', 'C', 'RETR 1'),
    pop3('bob-laptop', 'S', '+OK 884 octets'),
    pop3('bob-laptop', 'C', 'DELE 1'),
    pop3('bob-laptop', 'S', '+OK message 1 deleted'),
    pop3('bob-laptop', 'C', 'QUIT'),
    ev('close', { conn: 1 }),
    ev('action', { actor: 'bob-phone', code: 'action.pop3-fetch' }),
    pop3('bob-phone', 'S', '+OK POP3 server ready'),
    pop3('bob-phone', 'C', 'QUIT'),
    ev('state', { code: 'state.run-finished' }),
  ];
}

describe('pattern matching (as lessons/lesson/match.go)', () => {
  const log = run();
  const at = (text: string) => log.find((e) => e.text === text)!;

  it('defaults kind to line and compares every given field', () => {
    expect(matches({ proto: 'pop3', dir: 'C', text: '^DELE 1$' }, at('DELE 1'))).toBe(true);
    expect(matches({ proto: 'pop3', dir: 'S', text: '^DELE 1$' }, at('DELE 1'))).toBe(false);
    expect(matches({ client: 'bob-phone', text: 'DELE' }, at('DELE 1'))).toBe(false);
    expect(matches({ server: 'mail.example.net' }, at('DELE 1'))).toBe(true);
    expect(matches({}, log[0])).toBe(false); // an action is not a line
    expect(matches({}, undefined)).toBe(false);
  });

  it('matches actions by code and kind', () => {
    expect(matches({ kind: 'action', code: 'action.pop3-fetch' }, log[0])).toBe(true);
    expect(matches({ kind: 'action', code: 'action.imap-open' }, log[0])).toBe(false);
    expect(matches({ kind: 'tls', proto: 'pop3' }, log[5])).toBe(true);
    expect(matches({ kind: 'state', code: 'state.run-finished' }, log[log.length - 1])).toBe(true);
  });

  it('uses the text as a regular expression', () => {
    expect(matches({ text: '^\\+OK .*deleted$' }, at('+OK message 1 deleted'))).toBe(true);
    expect(matches({ text: 'octets' }, at('+OK 884 octets'))).toBe(true); // unanchored: anywhere
    expect(matches({ text: '(?i)^dele' }, at('DELE 1'))).toBe(true);
    expect(regexpOf('([')).toBeNull();
    expect(matches({ text: '([' }, at('DELE 1'))).toBe(false); // invalid: never matches
  });

  it('picks the nth match', () => {
    const p = { kind: 'action', code: 'action.pop3-fetch' };
    expect(findSeq(p, log)).toBe(log[0].seq);
    expect(findSeq({ ...p, nth: 1 }, log)).toBe(log[0].seq);
    expect(findSeq({ ...p, nth: 2 }, log)).toBe(log[12].seq);
    expect(findSeq({ ...p, nth: 3 }, log)).toBe(0);
    expect(findSeq({ text: '^QUIT$', nth: 2 }, log)).toBe(at('+OK POP3 server ready').seq + 12);
  });

  it('finds the same seqs incrementally, whatever the batches', () => {
    const pats = [{ text: '^QUIT$', nth: 2 }, { kind: 'action', code: 'action.pop3-fetch', nth: 2 }, { text: '^RETR' }, { text: 'nothing' }];
    const ix = new PatternIndex(pats);
    for (const e of log) ix.add(e);
    expect(pats.map((_, i) => ix.seq(i))).toEqual(pats.map((p) => findSeq(p, log)));
    expect(ix.count(0)).toBe(2);
    ix.reset();
    expect(ix.seq(0)).toBe(0);
  });
});

describe('notes follow the view cursor', () => {
  const notes: LessonNote[] = [
    { id: 'clicks', at: { kind: 'action', code: 'action.pop3-fetch' }, text: 'Bob checks mail' },
    { id: 'dele', section: 'pop3', at: { proto: 'pop3', dir: 'C', client: 'bob-laptop', text: '^DELE 1$' }, text: 'DELE marks' },
    { id: 'dele-ok', section: 'pop3', at: { proto: 'pop3', dir: 'S', text: 'deleted$' }, text: 'marked' },
    { id: 'phone', section: 'phone', at: { kind: 'action', code: 'action.pop3-fetch', nth: 2 }, text: 'The phone' },
  ];

  function setup() {
    const log = run();
    const tl = new Timeline();
    const ix = new LessonIndex(notes, []);
    tl.append(log);
    log.forEach((e) => ix.add(e));
    const view = () => notesAt(notes, ix.noteSeqs(), tl.limitSeq, tl.limitSeqAt(tl.cursor - 1));
    const ids = () => view().notes.map((n) => n.note.id);
    return { log, tl, view, ids };
  }

  it('shows a note once the cursor reaches its step, and hides it when stepping back', () => {
    const { log, tl, view, ids } = setup();
    const stepOf = (text: string) => tl.stepIndexOf(log.find((e) => e.text === text)!.seq);
    tl.seek(0);
    expect(ids()).toEqual([]);
    tl.seek(1); // Bob clicks
    expect(ids()).toEqual(['clicks']);
    expect(view().notes[0]).toMatchObject({ current: true, atStep: true });
    tl.seek(stepOf('DELE 1') - 1);
    expect(ids()).toEqual(['clicks']);
    expect(view().notes[0]).toMatchObject({ current: true, atStep: false }); // still the latest, not this step's
    tl.forward(); // DELE 1 is the current step
    expect(ids()).toEqual(['clicks', 'dele']);
    expect(view().notes.map((n) => n.current)).toEqual([false, true]);
    expect(view().notes[1].atStep).toBe(true);
    expect(view().section).toBe('pop3');
    tl.forward();
    expect(ids()).toEqual(['clicks', 'dele', 'dele-ok']);
    tl.back();
    tl.back(); // before DELE again
    expect(ids()).toEqual(['clicks']);
    expect(view().section).toBeUndefined();
  });

  it('uses nth for the second action, and shows everything at the head', () => {
    const { tl, view, ids } = setup();
    tl.seek(tl.length);
    expect(ids()).toEqual(['clicks', 'dele', 'dele-ok', 'phone']);
    expect(view().section).toBe('phone');
    expect(view().notes.filter((n) => n.current).map((n) => n.note.id)).toEqual(['phone']);
  });

  it('keeps a note hidden while its event has not been released', () => {
    const log = run();
    const ix = new LessonIndex(notes, []);
    log.slice(0, 5).forEach((e) => ix.add(e));
    expect(ix.noteSeqs()).toEqual([log[0].seq, 0, 0, 0]);
    expect(notesAt(notes, ix.noteSeqs(), Infinity, 0).notes.map((n) => n.note.id)).toEqual(['clicks']);
  });
});

describe('the quiz', () => {
  const quiz: Question[] = [
    { id: 'q-next-dele', kind: 'next', before: { proto: 'pop3', dir: 'C', text: '^DELE 1$' }, question: '?', answers: ['QUIT', 'DELE 1', 'RETR 1'], correct: 1, explain: 'e' },
    { id: 'q-next-quit2', kind: 'next', before: { proto: 'pop3', dir: 'C', text: '^QUIT$', nth: 2 }, question: '?', answers: ['a', 'b'], correct: 0, explain: 'e' },
    { id: 'q-why', kind: 'choice', question: '?', answers: ['a', 'b', 'c', 'd'], correct: 2, explain: 'e' },
    { id: 'q-where', kind: 'choice', question: '?', answers: ['a', 'b'], correct: 0, explain: 'e' },
  ];

  it('asks a "next" question before the line it is about, and only then', () => {
    const log = run();
    const gate = new QuizGate(quiz);
    const answers = new Map<string, number>();
    const released: MailEvent[] = [];
    const asked: string[] = [];
    for (const e of log) {
      // Step: the line that waits is e; ask first if a question fits.
      const q = gate.questionBefore(e, answers);
      if (q) {
        asked.push(`${q.id}@${e.text}`);
        expect(gate.questionBefore(e, answers)).toBe(q); // Step again: the same question, still unanswered
        answers.set(q.id, 0);
        expect(gate.questionBefore(e, answers)).toBeUndefined(); // answered: Step releases
      }
      gate.add(e);
      released.push(e);
    }
    expect(asked).toEqual(['q-next-dele@DELE 1', 'q-next-quit2@QUIT']);
    expect(asked[1]).toBe('q-next-quit2@QUIT');
    expect(gate.open(answers)).toBe(false);
  });

  it('does not ask about the first QUIT when the question is about the second', () => {
    const log = run();
    const gate = new QuizGate(quiz);
    const none = new Map<string, number>();
    const firstQuit = log.find((e) => e.text === 'QUIT')!;
    for (const e of log) {
      if (e === firstQuit) {
        expect(gate.questionBefore(e, none)?.id).toBeUndefined();
        break;
      }
      gate.add(e);
    }
    expect(gate.open(none)).toBe(true);
  });

  it('stops asking when the line has passed unanswered (played through)', () => {
    const log = run();
    const gate = new QuizGate(quiz);
    log.forEach((e) => gate.add(e));
    expect(gate.open(new Map())).toBe(false);
    expect(gate.questionBefore(log.find((e) => e.text === 'DELE 1'), new Map())).toBeUndefined();
    expect(gate.passed('q-next-dele')).toBe(true);
    expect(gate.passed('q-why')).toBe(false); // not a "next" question
    gate.reset();
    expect(gate.passed('q-next-dele')).toBe(false);
  });

  it('counts the score and finds the next end-of-lesson question', () => {
    const a = new Map<string, number>();
    expect(score(quiz, a)).toEqual({ correct: 0, answered: 0, total: 4 });
    expect(firstUnanswered(quiz, a)?.id).toBe('q-next-dele');
    a.set('q-next-dele', 1); // right
    a.set('q-next-quit2', 1); // wrong
    a.set('q-why', 0); // wrong
    expect(score(quiz, a)).toEqual({ correct: 1, answered: 3, total: 4 });
    expect(firstUnanswered(quiz, a)?.id).toBe('q-where');
    a.set('q-where', 0);
    expect(score(quiz, a)).toEqual({ correct: 2, answered: 4, total: 4 });
    expect(firstUnanswered(quiz, a)).toBeUndefined();
  });
});
