// Lesson 1 with the keyboard alone, against the real `maillab serve`: from a
// fresh start, Tab to the lesson menu and pick lesson 1, Tab to Step, step
// the whole run with Space and →, answer the "what comes next" question with
// its number key and go on with Enter, answer the end-of-lesson quiz with
// 1–4. After every key the focused element shows a focus ring (drawn, not
// cut off, enough contrast), and the live region says the current line
// with its explanation. No mouse: no click, no hover.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { catalog, closeSession, openApp, openSession, position, wait } from './browser.mjs';
import { focusRing, scan, shoot } from './a11y.mjs';

const lessonId = 'how-email-travels';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession({ firstRun: true })));
after(() => closeSession(srv, browser));

async function api(method, ...args) {
  return srv.result(method, args, '');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const activeTestid = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');

/** press presses a key and checks that the focus is still on a control that shows it. */
let presses = 0;
async function press(key, what) {
  await page.keyboard.press(key);
  presses++;
  const ring = await focusRing(page);
  assert.ok(ring.ok, `after ${key} (${what}): focus ring on ${ring.who}: ${ring.why}`);
  return ring;
}

/** tabTo presses Tab until the control with this test id has the focus (each stop shows its ring). */
async function tabTo(testid, max = 20) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    const ring = await press('Tab', `Tab towards ${testid}`);
    seen.push(ring.who);
    if ((await activeTestid()) === testid) return seen;
  }
  throw new Error(`Tab never reached ${testid}; stops: ${seen.join(', ')}`);
}

/** The calls a key press makes, as the page sees them. */
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

const openQuestion = () => page.locator('[data-testid=quiz-next][data-answered=false]');

/**
 * stepKey presses a step key and waits for what it did: 'released' (a new
 * line is on screen), 'question' (a "next" question stopped the step) or
 * 'nothing' (no line waits yet).
 */
async function stepKey(calls, key) {
  const before = await position(page);
  const n0 = calls.length;
  await press(key, 'step');
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
  throw new Error(`${key} did nothing visible within 30 s`);
}

/** said is what the live region says once it has caught up with the current line. */
async function saidFor(text) {
  await page.waitForFunction((t) => document.querySelector('[data-testid=announcer]')?.textContent?.includes(t), text, wait);
  return page.getByTestId('announcer').textContent();
}

test('lesson 1 and its quiz with the keyboard alone, the focus always visible', async () => {
  const en = catalog('en');
  const lesson = await api('lesson', lessonId, 'en');
  const correct = Object.fromEntries(lesson.quiz.map((q) => [q.id, q.correct]));
  const next = lesson.quiz.filter((q) => q.kind === 'next');
  assert.ok(next.length >= 1, 'lesson 1 asks a "what comes next" question');

  await openApp(page, srv.controlUrl);
  const calls = watchCalls();

  // A first start: the welcome view's button has the focus; Enter opens lesson 1.
  await page.getByTestId('welcome').waitFor(wait);
  assert.equal(await activeTestid(), 'welcome-start', 'the welcome button has the focus');
  await press('Enter', 'start lesson 1');
  const heading = en['ui.lesson.heading'].replace('{number}', '1').replace('{title}', lesson.title);
  await page.getByTestId('lesson').locator('h2').filter({ hasText: heading }).waitFor(wait);
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  assert.equal((await api('run')).scenario, lesson.scenario);

  // The welcome view handed the focus to Step (else: Tab on to it).
  if ((await activeTestid()) !== 'step') await tabTo('step');
  await shoot(page, 'keyboard-step-focused');

  // Space (the focused Step button) and → (the shortcut) in turn, to the end of the run.
  let asked = 0;
  let released = 0;
  let idle = 0;
  for (let i = 0; i < 2000 && !(await page.getByTestId('app').getAttribute('data-finished')).includes('true'); i++) {
    const what = await stepKey(calls, i % 2 ? 'ArrowRight' : ' ');
    if (what === 'released') {
      released++;
      idle = 0;
      if (released === 3) {
        // The live region says the new line, who sent it to whom, and what it means.
        const line = await page.locator('[data-testid=transcript] [data-testid=line][aria-current=step] .text').textContent();
        const said = await saidFor(line);
        assert.match(said, /^Step 3\. .+ to .+: /, `announcement: ${said}`);
        assert.ok(said.length > line.length + 20, `the announcement explains the line: ${said}`);
      }
      continue;
    }
    if (what === 'nothing') {
      assert.ok(++idle < 400, 'the run goes on');
      await sleep(50);
      continue;
    }
    // A "what comes next" question: the live region reads it, a number key answers it.
    asked++;
    const card = page.getByTestId('quiz-next');
    const id = await card.getAttribute('data-question');
    const q = next.find((x) => x.id === id);
    assert.ok(q, `the question ${id} is one of the lesson's "next" questions`);
    const said = await saidFor(q.question);
    assert.ok(said.includes(`1: ${q.answers[0]}`), `the question is read with its answers: ${said}`);
    await shoot(page, 'keyboard-question');
    await press(String(correct[id] + 1), 'answer the question');
    await page.locator(`[data-testid=quiz-next][data-answered=true] [data-testid=quiz-feedback][data-correct=true]`).waitFor(wait);
    // Enter goes on: the line the question was about is released.
    const before = await position(page);
    await press('Enter', 'continue after the answer');
    await page.waitForFunction((b) => document.querySelector('[data-testid=position]')?.textContent !== b, before, wait);
  }
  assert.equal(asked, next.length, 'every "what comes next" question was asked');
  assert.ok(released > 50, `the whole run was stepped (${released} lines)`);
  await page.locator('[data-testid=app][data-finished=true]').waitFor(wait);

  // The end-of-lesson quiz: each number key answers the next open question.
  const choice = lesson.quiz.filter((q) => q.kind !== 'next');
  for (const q of choice) {
    await page.locator(`[data-testid=quiz-question][data-question="${q.id}"]`).waitFor(wait);
    await press(String(correct[q.id] + 1), `answer ${q.id}`);
    await page.locator(`[data-testid=quiz-question][data-question="${q.id}"][data-answered=true] [data-testid=quiz-feedback][data-correct=true]`).waitFor(wait);
  }
  const done = en['ui.lesson.quiz-done'].replace('{correct}', String(lesson.quiz.length)).replace(/\{total, plural.*$/, '');
  await page.getByTestId('quiz-done').filter({ hasText: done }).waitFor(wait);
  assert.equal(await page.getByTestId('lesson-score').textContent().then((t) => t.trim()), en['ui.lesson.score'].replace('{correct}', String(lesson.quiz.length)).replace('{total}', String(lesson.quiz.length)));
  await shoot(page, 'keyboard-quiz-done');
  assert.ok(presses > released, `${presses} key presses`);

  // Every control is a Tab stop that shows its ring: once round the whole page.
  const stops = [];
  const problems = [];
  for (let i = 0; i < 300; i++) {
    await page.keyboard.press('Tab');
    const ring = await focusRing(page);
    if (ring.who === 'body') continue; // past the last control: the browser's own stop, then round again
    if (!ring.ok) problems.push(`${ring.who}: ${ring.why}`);
    if (stops.includes(ring.who) && ring.who === stops[0]) break;
    stops.push(ring.who);
  }
  assert.deepEqual(problems, [], `Tab stops without a visible ring (stops: ${stops.join(', ')})`);
  for (const id of ['scenario', 'back', 'step', 'play', 'speed', 'reset', 'scrubber', 'lang-de', 'theme', 'presenter', 'connect', 'terminal-toggle', 'export-open', 'help', 'lesson-close', 'lesson-body', 'tab-inspector'])
    assert.ok(stops.some((w) => w.includes(`[data-testid=${id}]`)), `${id} is a Tab stop (stops: ${stops.join(', ')})`);
  for (const role of ['grid', 'listbox'])
    assert.ok(await page.evaluate((r) => [...document.querySelectorAll(`[role=${r}]`)].every((e) => e.tabIndex === 0), role), `every ${role} is a Tab stop`);

  // The finished lesson passes the scan too.
  assert.deepEqual(await scan(page), [], 'axe: no serious or critical violations at the end of lesson 1');
  assert.deepEqual(page.errors, []);
});
