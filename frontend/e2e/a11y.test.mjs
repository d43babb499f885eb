// axe-core on the main views against the real `maillab serve`, in both
// themes and all three languages: the first screen, a stepped scenario (every panel, the
// mailboxes tree full, a line picked in the history), lesson 1 with its
// "what comes next" question answered, the terminal (T), the export dialog
// (E), the client setup (C), the keyboard help (?) and the room screen's form. Zero violations of impact serious or
// critical; a screenshot of each view, theme and language in /tmp/a11y.
// Also: the tabs, the mailboxes tree and the transcript grid work with the
// keys their roles promise.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { blur, catalog, closeSession, openApp, openSession, position, stepAtHead, wait } from './browser.mjs';
import { focusRing, scan, shoot } from './a11y.mjs';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

const langs = ['en', 'de', 'pl'];
const themes = ['light', 'dark'];

async function setLang(lang) {
  await page.getByTestId(`lang-${lang}`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang, wait);
  const title = catalog(lang)['ui.transcript.title'];
  await page.getByTestId('transcript').locator('h2').filter({ hasText: title }).waitFor(wait);
}

async function setTheme(theme) {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) await page.getByTestId('theme').click();
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme, wait);
  // The colours fade over a moment: scan and photograph the settled ones.
  await page.waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'), null, wait);
}

/**
 * scanAll runs axe on the view in every language and theme; open() brings
 * the view back after a language switch (which needs the controls).
 */
async function scanAll(view, open = async () => {}, close = async () => {}) {
  const found = [];
  for (const lang of langs) {
    for (const theme of themes) {
      await close();
      await setLang(lang);
      await setTheme(theme);
      await open();
      await shoot(page, `${view}-${theme}-${lang}`);
      for (const v of await scan(page)) found.push(`${view} ${theme} ${lang}: ${v}`);
    }
  }
  await close();
  assert.deepEqual(found, [], `axe: serious or critical violations in ${view}`);
}

const key = async (k) => {
  await blur(page);
  await page.keyboard.press(k);
};

test('axe: main views in both themes and three languages, no serious or critical violations', async () => {
  await openApp(page, srv.controlUrl);
  await scanAll('first-run');
  await setLang('en');

  // A stepped scenario: some lines by Space, the rest played, then two steps back.
  await page.getByTestId('scenario').selectOption('send-pop3');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  await blur(page);
  for (let i = 0; i < 8; i++) await stepAtHead(page, () => page.keyboard.press(' '));
  await page.getByTestId('speed').fill('3000'); // fastest
  await key('p');
  await page.locator('[data-testid=app][data-finished=true]').waitFor({ timeout: 120_000 });
  if ((await page.getByTestId('play').getAttribute('aria-pressed')) === 'true') await key('p');
  await key('ArrowLeft');
  await key('ArrowLeft');
  await page.getByTestId('mailbox-tree').locator('[role=treeitem][aria-level="3"]').first().waitFor(wait);
  await scanAll('stepped');

  // The terminal, the export dialog and the help on top of it.
  await scanAll(
    'terminal',
    async () => {
      await key('t');
      await page.getByTestId('terminal').waitFor(wait);
    },
    async () => {
      if (await page.getByTestId('terminal').count()) await key('t');
      await page.getByTestId('terminal').waitFor({ state: 'detached' });
    },
  );
  await scanAll(
    'export',
    async () => {
      await key('e');
      await page.locator('[data-testid=export-dialog][open]').waitFor(wait);
    },
    async () => {
      if (await page.locator('[data-testid=export-dialog][open]').count()) await page.keyboard.press('Escape');
      await page.locator('[data-testid=export-dialog][open]').waitFor({ state: 'detached' });
    },
  );
  await scanAll(
    'connect',
    async () => {
      await key('c');
      await page.locator('[data-testid=connect-page][open]').waitFor(wait);
    },
    async () => {
      if (await page.locator('[data-testid=connect-page][open]').count()) await page.keyboard.press('Escape');
      await page.locator('[data-testid=connect-page][open]').waitFor({ state: 'detached' });
    },
  );
  await scanAll(
    'help',
    async () => {
      await key('?');
      await page.locator('[data-testid=help-overlay][open]').waitFor(wait);
    },
    async () => {
      if (await page.locator('[data-testid=help-overlay][open]').count()) await page.keyboard.press('Escape');
      await page.locator('[data-testid=help-overlay][open]').waitFor({ state: 'detached' });
    },
  );
  // The room screen (#19): the form that opens a classroom (room.test.mjs scans an open room).
  await scanAll(
    'room',
    async () => {
      await page.getByTestId('room-open').click();
      await page.getByTestId('room-form').waitFor(wait);
    },
    async () => {
      if (await page.getByTestId('room').count()) await page.keyboard.press('Escape');
      await page.getByTestId('room').waitFor({ state: 'detached' });
    },
  );

  // Lesson 1, stepped to its "what comes next" question, answered.
  await setLang('en');
  await page.getByTestId('scenario').selectOption('lesson:how-email-travels');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  await blur(page);
  for (let i = 0; i < 400 && !(await page.getByTestId('quiz-next').count()); i++) {
    // Space steps, or stops for the question (then no line is released).
    const before = await position(page);
    await page.keyboard.press(' ');
    const moved = await page
      .waitForFunction((b) => document.querySelector('[data-testid=position]')?.textContent !== b || !!document.querySelector('[data-testid=quiz-next]'), before, { timeout: 2000 })
      .then(() => true, () => false);
    if (!moved) await new Promise((r) => setTimeout(r, 100)); // no line waits yet
  }
  await page.getByTestId('quiz-next').waitFor(wait);
  await scanAll('lesson-question');
  await key('2');
  await page.locator('[data-testid=quiz-next] [data-testid=quiz-feedback]').waitFor(wait);
  await scanAll('lesson-answered');
  assert.deepEqual(page.errors, []);
});

test('keys: tabs, the mailboxes tree and the transcript grid', async () => {
  await setLang('en');
  await setTheme('light');

  // Tabs: one tab stop, → and ← move and select, Home and End too; the run does not move.
  const pos = await page.getByTestId('position').textContent();
  await page.getByTestId('tab-inspector').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'tab-where');
  assert.equal(await page.getByTestId('tab-where').getAttribute('aria-selected'), 'true');
  const panel = page.locator('[data-testid=side] [role=tabpanel]');
  assert.equal(await panel.getAttribute('aria-labelledby'), await page.getByTestId('tab-where').getAttribute('id'));
  await page.keyboard.press('End');
  assert.equal(await page.getByTestId('tab-message').getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Home');
  assert.equal(await page.getByTestId('tab-inspector').getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getByTestId('tab-message').getAttribute('aria-selected'), 'true', '← wraps to the last tab');
  assert.equal(await page.getByTestId('position').textContent(), pos, 'the arrows in the tabs do not step the run');
  assert.equal(await page.locator('[data-testid=side] [role=tab][tabindex="0"]').count(), 1, 'one tab stop');

  // The mailboxes tree: one tab stop, ↓ ↑ walk, ← closes and goes up, → opens.
  await page.getByTestId('tab-where').click();
  const tree = page.getByTestId('mailbox-tree');
  assert.equal(await tree.locator('[role=treeitem][tabindex="0"]').count(), 1, 'one tab stop in the tree');
  await tree.locator('[role=treeitem][tabindex="0"]').focus();
  const focusedKey = () => page.evaluate(() => document.activeElement?.getAttribute('data-key'));
  const first = await focusedKey();
  assert.match(first, /^u:/, 'the first item is a user');
  await page.keyboard.press('ArrowDown');
  assert.match(await focusedKey(), /^m:.*\/INBOX$/, '↓ goes to the first mailbox');
  assert.ok((await focusRing(page)).ok, 'the tree item shows its focus ring');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focusedKey(), first, '← goes up to the user');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await tree.locator(`[data-key="${first}"]`).getAttribute('aria-expanded'), 'false', '← closes the user');
  assert.equal(await tree.locator(`[data-key="${first}"] [role=group]`).count(), 0);
  await page.keyboard.press('ArrowRight');
  assert.equal(await tree.locator(`[data-key="${first}"]`).getAttribute('aria-expanded'), 'true', '→ opens it again');
  assert.equal(await page.getByTestId('position').textContent(), pos, 'the arrows in the tree do not step the run');

  // The transcript: a grid, ↑ picks the line above; the line at the cursor stays aria-current.
  const grid = page.locator('[data-testid=transcript] [role=grid]');
  await grid.focus();
  const current = await grid.locator('[role=row][aria-current=step]').getAttribute('data-seq');
  const selected = await grid.locator('[role=row][aria-selected=true]').getAttribute('data-seq');
  await page.keyboard.press('ArrowUp');
  const picked = await grid.locator('[role=row][aria-selected=true]').getAttribute('data-seq');
  assert.ok(Number(picked) < Number(selected), `↑ picks an earlier line (${selected} → ${picked})`);
  assert.equal(await grid.getAttribute('aria-activedescendant'), `transcript-line-${picked}`);
  assert.equal(await grid.locator('[role=row][aria-current=step]').getAttribute('data-seq'), current, 'the current line stays current');
  const ring = await focusRing(page);
  assert.ok(ring.ok, `the transcript shows its focus ring: ${ring.why}`);
});
