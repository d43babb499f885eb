// A lesson in the browser against the real `maillab serve`: open lesson 5
// (POP3 vs IMAP on two devices), step through it, check that each linked
// note shows exactly when its event is the current step (and goes away when
// stepping back), answer the "what comes next" question before DELE 1, and
// switch the language: lesson text, notes and interface change together
// while the run goes on.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSession, eventsSince, openSession } from './browser.mjs';
import { assertNoPageScroll, blur, catalog, openApp, position, screenshot, wait } from './browser.mjs';

const lessonId = 'pop3-vs-imap';
// The notes this test walks to (in run order), and the question on the way.
const walkTo = ['laptop-dele', 'laptop-quit', 'phone-empty', 'switch-imap'];
const questionId = 'q-next-dele';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

/** api calls a read-only method of `maillab serve`, as any viewer may. */
async function api(method, ...args) {
  return srv.result(method, args, '');
}

// The same matching as lessons/lesson/match.go (and src/lib/core/lesson.ts).
function matches(p, ev) {
  if (!ev || ev.kind !== (p.kind || 'line')) return false;
  for (const f of ['proto', 'dir', 'client', 'server', 'code']) if (p[f] && p[f] !== (ev[f] ?? '')) return false;
  return !p.text || new RegExp(p.text).test(ev.text ?? '');
}

/** log follows the run's released events through the API. */
function runLog() {
  const events = [];
  return {
    events,
    async update() {
      const since = events.length ? events[events.length - 1].seq : 0;
      events.push(...(await eventsSince(srv, since)));
      return events;
    },
    /** the seq of the event p picks (its nth match), 0 if not yet released */
    seqOf(p) {
      let n = p.nth > 0 ? p.nth : 1;
      for (const ev of events) if (matches(p, ev) && --n === 0) return ev.seq;
      return 0;
    },
    lastStep() {
      for (let i = events.length - 1; i >= 0; i--) if (['line', 'packet', 'action'].includes(events[i].kind)) return events[i];
      return undefined;
    },
  };
}

/** The calls a Space press makes, as the page sees them. */
function watchCalls() {
  const seen = [];
  page.on('response', async (r) => {
    const m = /\/api\/call\/(step|waiting)$/.exec(r.url());
    if (!m) return;
    const entry = { method: m[1], done: false, result: undefined };
    seen.push(entry);
    try {
      entry.result = (await r.json()).result;
    } finally {
      entry.done = true;
    }
  });
  return seen;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const openQuestion = () => page.locator('[data-testid=quiz-next][data-answered=false]');

/**
 * press presses Space once and waits for what it did: 'released' (a new
 * line is on screen), 'question' (a "next" question stopped the step) or
 * 'nothing' (no line waits yet).
 */
async function press(calls) {
  const before = await position(page);
  const n0 = calls.length;
  await page.keyboard.press(' ');
  for (let i = 0; i < 1500; i++) {
    const mine = calls.slice(n0);
    const step = mine.find((c) => c.method === 'step' && c.done);
    if (step) {
      if (step.result !== true) return 'nothing';
      await page.waitForFunction((b) => document.querySelector('[data-testid=position]')?.textContent !== b, before, wait);
      return 'released';
    }
    const w = mine.find((c) => c.method === 'waiting' && c.done);
    if (w && !mine.some((c) => c.method === 'step')) {
      if (Array.isArray(w.result) && w.result.length === 0) return 'nothing';
      if (await openQuestion().count()) return 'question';
    }
    await sleep(20);
  }
  throw new Error('a Space press did nothing visible within 30 s');
}

const currentNotes = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=lesson-current-note]')].map((e) => ({
      id: e.getAttribute('data-note'),
      text: e.querySelector('p')?.textContent ?? '',
      atStep: e.classList.contains('at-step'),
    })),
  );
const inlineNotes = () => page.evaluate(() => [...document.querySelectorAll('[data-testid=lesson-note]')].map((e) => e.getAttribute('data-note')));
const activeSection = () => page.evaluate(() => document.querySelector('[data-testid=lesson-section].active')?.getAttribute('data-section') ?? '');
const firstHeading = (body) => /^##\s+(.*?)\s*(\{#[^}]*\})?\s*$/m.exec(body)[1];

test('lesson 5: notes at their steps, a "next" question, three languages', async () => {
  const en = catalog('en');
  const lessons = await api('lessons', 'en');
  const summary = lessons.find((l) => l.id === lessonId);
  assert.ok(summary, `lesson ${lessonId} is in the menu (${lessons.map((l) => l.id).join(', ')})`);
  assert.equal(summary.number, 5);
  const lesson = await api('lesson', lessonId, 'en');
  const notes = Object.fromEntries(lesson.notes.map((n) => [n.id, n]));
  const question = lesson.quiz.find((q) => q.id === questionId);
  for (const id of walkTo) assert.ok(notes[id], `note ${id}`);
  assert.equal(question?.kind, 'next');

  await openApp(page, srv.controlUrl);
  const calls = watchCalls();
  const log = runLog();

  // The menu lists the lesson by number and title; picking it starts its scenario.
  const option = page.getByTestId('scenario').locator(`option[value="lesson:${lessonId}"]`);
  assert.equal((await option.textContent()).trim(), `5. ${summary.title}`);
  await page.getByTestId('scenario').selectOption(`lesson:${lessonId}`);
  const heading = en['ui.lesson.heading'].replace('{number}', '5').replace('{title}', summary.title);
  await page.getByTestId('lesson').locator('h2').filter({ hasText: heading }).waitFor(wait);
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  assert.equal((await api('run')).scenario, 'pop3-vs-imap');
  await page.getByTestId('lesson-body').getByText(firstHeading(lesson.body)).waitFor(wait);
  await assertNoPageScroll(page);
  await screenshot(page, 'lesson-start');
  await blur(page);

  const checked = [];
  let asked = false;
  let presses = 0;
  while (checked.length < walkTo.length && presses++ < 600) {
    const what = await press(calls);
    if (what === 'nothing') {
      await sleep(60); // the agents are still working towards their next line
      continue;
    }
    if (what === 'question') {
      // Asked before the line it is about: that line waits at the gate, unreleased.
      const card = page.getByTestId('quiz-next');
      assert.equal(await card.getAttribute('data-question'), questionId);
      assert.equal(asked, false, 'the question is asked once');
      asked = true;
      const waiting = await api('waiting');
      assert.ok(matches(question.before, waiting[0]), `waiting()[0] is the line the question is about: ${waiting[0]?.text}`);
      await log.update();
      assert.equal(log.seqOf(question.before), 0, 'the line is not released yet');
      assert.ok((await card.textContent()).includes(question.question));
      // Space again does not release it.
      const n = calls.length;
      await page.keyboard.press(' ');
      await page.getByTestId('status').filter({ hasText: en['ui.lesson.answer-first'] }).waitFor(wait);
      assert.equal(calls.slice(n).filter((c) => c.method === 'step').length, 0);
      await assertNoPageScroll(page);
      await screenshot(page, 'lesson-question');
      // Answer with the number key: right, with the explanation.
      await page.keyboard.press(String(question.correct + 1));
      const fb = page.getByTestId('quiz-feedback');
      await fb.waitFor(wait);
      assert.equal(await fb.getAttribute('data-correct'), 'true');
      assert.ok((await fb.textContent()).includes(question.explain));
      assert.ok((await page.getByTestId('lesson-score').textContent()).includes(`1 of ${lesson.quiz.length}`));
      await screenshot(page, 'lesson-feedback');
      // Enter continues: now the line is released.
      const before = await position(page);
      await page.keyboard.press('Enter');
      await page.waitForFunction((b) => document.querySelector('[data-testid=position]')?.textContent !== b, before, wait);
      await log.update();
      assert.ok(log.seqOf(question.before) > 0, 'Enter released the line');
      assert.equal(await openQuestion().count(), 0);
    }
    await log.update();
    const cur = log.lastStep();
    const due = walkTo.filter((id) => !checked.includes(id) && log.seqOf(notes[id].at) === cur.seq);
    const shown = await currentNotes();
    // A note marked "at this step" belongs to this step's event; others are earlier ones.
    for (const s of shown) if (s.atStep) assert.equal(log.seqOf(notes[s.id].at), cur.seq, `note ${s.id} is not this step's`);
    if (due.length === 0) continue;
    for (const id of due) {
      const n = shown.find((s) => s.id === id);
      assert.ok(n, `note ${id} shows when its step (${cur.text ?? cur.code}) is current: ${JSON.stringify(shown)}`);
      assert.equal(n.text, notes[id].text);
      assert.equal(n.atStep, true);
      if (notes[id].section) assert.equal(await activeSection(), notes[id].section);
      checked.push(id);
    }
    if (checked.length === 1) {
      // Back: the note goes away (it belongs to the step we left); forward brings it back.
      await assertNoPageScroll(page);
      await screenshot(page, 'lesson-note');
      await page.keyboard.press('ArrowLeft');
      await page.getByTestId('position').filter({ hasText: en['ui.controls.history'] }).waitFor(wait);
      assert.ok(!(await currentNotes()).some((s) => s.id === due[0]), 'stepping back hides the note');
      assert.ok(!(await inlineNotes()).includes(due[0]), 'and takes it out of the lesson text');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((id) => [...document.querySelectorAll('[data-testid=lesson-current-note]')].some((e) => e.getAttribute('data-note') === id), due[0], wait);
    }
  }
  assert.deepEqual(checked, walkTo, `after ${presses} presses`);
  assert.ok(asked, 'the "next" question was asked');
  assert.deepEqual(page.errors, []);

  // Languages: the lesson text, the current note and the interface change; the run stays.
  const runBefore = await api('run');
  const pos = await position(page);
  const current = walkTo[walkTo.length - 1];
  for (const lang of ['de', 'pl', 'en']) {
    const cat = catalog(lang);
    const l = await api('lesson', lessonId, lang);
    await page.getByTestId(`lang-${lang}`).click();
    const h = cat['ui.lesson.heading'].replace('{number}', '5').replace('{title}', l.title);
    await page.getByTestId('lesson').locator('h2').filter({ hasText: h }).waitFor(wait);
    await page.getByTestId('lesson-body').getByText(firstHeading(l.body)).waitFor(wait);
    const note = l.notes.find((n) => n.id === current);
    await page.getByTestId('lesson-current-note').filter({ hasText: note.text }).waitFor(wait);
    assert.equal((await page.getByTestId('step').textContent()).trim(), `${cat['ui.controls.step']} ▶`);
    if (lang !== 'en') {
      assert.notEqual(firstHeading(l.body), firstHeading(lesson.body), `${lang}: the lesson is translated`);
      await assertNoPageScroll(page);
      await screenshot(page, `lesson-${lang}`);
    }
  }
  assert.equal((await api('run')).runId, runBefore.runId, 'the language switch does not restart the run');
  assert.equal(await position(page), pos);

  // Presenter mode at the projector: larger text, still no page scroll.
  await page.getByTestId('presenter').click();
  await page.waitForFunction(() => document.documentElement.dataset.presenter === 'true');
  await sleep(700); // the lesson text scrolls (smoothly) back to the section of the step
  await assertNoPageScroll(page);
  await screenshot(page, 'lesson-presenter');
  await page.getByTestId('presenter').click();
  assert.deepEqual(page.errors, []);
});
