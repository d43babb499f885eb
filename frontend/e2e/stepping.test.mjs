// A lesson run in the browser against the real `maillab serve`: pick
// send-pop3, step through SMTP and POP3, check the transcript, the sequence
// diagram and the topology agree; back, reset and the language switch.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSession, openSession } from './browser.mjs';
import {
  assertNoPageScroll,
  blur,
  catalog,
  openApp,
  panelKeys,
  panelTitles,
  position,
  screenshot,
  selectedLine,
  stepAtHead,
  wait,
} from './browser.mjs';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

// What must show up, in this order, with the label on the arrow and the
// envelope, and the two nodes the topology highlights.
const targets = [
  { name: 'greeting', re: /^220 smtp\.example\.org /, label: '220', nodes: ['alice-laptop', 'smtp.example.org'] },
  { name: 'EHLO', re: /^EHLO /, label: 'EHLO', nodes: ['alice-laptop', 'smtp.example.org'] },
  { name: 'MAIL FROM', re: /^MAIL FROM:</, label: 'MAIL FROM', nodes: ['alice-laptop', 'smtp.example.org'] },
  { name: 'DATA', re: /^DATA$/, label: 'DATA', nodes: ['alice-laptop', 'smtp.example.org'], shot: 'data' },
  { name: 'RETR', re: /^RETR 1$/, label: 'RETR 1', nodes: ['bob-laptop', 'mail.example.net'], shot: 'retr' },
];

async function checkCurrentLine(line, t) {
  // The transcript row is the selected (current) one and reads as sent.
  const row = page.locator(`[data-testid=transcript] [data-testid=line][data-seq="${line.seq}"]`);
  assert.equal(await row.getAttribute('aria-selected'), 'true');
  assert.match(await row.locator('.text').textContent(), t.re);

  // The sequence diagram has an arrow for the same line, labelled.
  const arrow = page.locator(`[data-testid=sequence] [data-testid=seq-row][data-seq="${line.seq}"]`);
  await arrow.waitFor(wait);
  assert.equal(await arrow.locator('.arrow text').textContent(), t.label, `arrow label for ${t.name}`);
  assert.equal(await arrow.evaluate((el) => el.classList.contains('cursor')), true, 'the arrow is the current step');

  // The topology: one highlighted edge, its two nodes, and the travelling
  // envelope with the label (or, on a TLS connection, opaque blocks and a lock).
  const topo = page.getByTestId('topology');
  assert.equal(await topo.locator('.edge.active').count(), 1, `one highlighted edge for ${t.name}`);
  const active = await topo.locator('.node.active').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')).sort());
  assert.deepEqual(active, [...t.nodes].sort(), `highlighted nodes for ${t.name}`);
  const envelope = topo.getByTestId('envelope');
  const envText = await envelope.locator(':scope > text').textContent();
  if (line.encrypted) {
    assert.equal(envText, '▮▮▮▮▮▮', `the wire hides ${t.name} under TLS`);
    assert.equal(await envelope.locator('.lock').count(), 1);
  } else {
    assert.equal(envText, t.label, `envelope label for ${t.name}`);
  }
}

test('send-pop3: step through SMTP and POP3, back, reset, language switch', async () => {
  const en = catalog('en');
  await openApp(page, srv.controlUrl);
  assert.deepEqual(page.errors, []);

  // Pick the lesson; a fresh run waits at step 0.
  await page.getByTestId('scenario').selectOption('send-pop3');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  await page.getByText(en['ui.transcript.empty']).waitFor(wait);
  assert.equal(await page.getByTestId('scenario').inputValue(), 'send-pop3');
  await blur(page);

  const found = [];
  let next = 0;
  let presses = 0;
  for (; presses < 400 && next < targets.length; presses++) {
    // Mostly Space, as at the projector; every seventh press the button, every fifth →.
    const press =
      presses % 7 === 6
        ? () => page.getByTestId('step').click()
        : presses % 5 === 4
          ? () => page.keyboard.press('ArrowRight')
          : () => page.keyboard.press(' ');
    if (!(await stepAtHead(page, press))) continue;
    const line = await selectedLine(page);
    const t = targets[next];
    if (!line || !t.re.test(line.text)) continue;
    await checkCurrentLine(line, t);
    found.push({ ...line, name: t.name });
    if (t.shot) {
      await assertNoPageScroll(page);
      await screenshot(page, t.shot);
    }
    next++;
  }
  assert.equal(next, targets.length, `after ${presses} presses only saw ${found.map((f) => f.name).join(', ')}`);
  assert.deepEqual(page.errors, []);
  console.log(`# send-pop3: RETR 1 after ${presses} presses (${await position(page)})`);

  // The seqs grow in the order of the lesson.
  assert.deepEqual(
    found.map((f) => f.seq),
    [...found.map((f) => f.seq)].sort((a, b) => a - b),
  );
  assert.equal(found[0].dir, 'S:');
  assert.equal(found[1].dir, 'C:');

  // Back with ← and with the button: the view moves back, the head stays.
  await blur(page);
  const head = await position(page);
  const [, n] = /^Step (\d+) of (\d+)$/.exec(head).map(Number);
  const retr = await selectedLine(page);
  await page.keyboard.press('ArrowLeft');
  await page.getByTestId('position').filter({ hasText: `Step ${n - 1} of ${n} · ${en['ui.controls.history']}` }).waitFor(wait);
  const back1 = await selectedLine(page);
  assert.ok(back1 && back1.seq < retr.seq, `← selects an earlier line (${back1?.seq} < ${retr.seq})`);
  await page.getByTestId('back').click();
  await page.getByTestId('position').filter({ hasText: `Step ${n - 2} of ${n} · ${en['ui.controls.history']}` }).waitFor(wait);
  const back2 = await selectedLine(page);
  assert.ok(back2 && back2.seq < back1.seq, `Back selects an earlier line (${back2?.seq} < ${back1.seq})`);
  assert.equal(await page.locator('[data-testid=seq-row].cursor').getAttribute('data-seq'), String(back2.seq));
  // The RETR line is beyond the view now: it is not in the transcript.
  assert.equal(await page.locator(`[data-testid=line][data-seq="${retr.seq}"]`).count(), 0);

  // Reset (R): the same lesson again, from nothing.
  await page.keyboard.press('r');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  await page.getByText(en['ui.transcript.empty']).waitFor(wait);
  assert.equal(await page.locator('[data-testid=transcript] [data-testid=line]').count(), 0);
  assert.equal(await page.getByTestId('seq-row').count(), 0);
  assert.equal(await page.getByTestId('scenario').inputValue(), 'send-pop3');

  // One step after the reset brings the greeting back.
  await blur(page);
  for (let i = 0; i < 20; i++) {
    await stepAtHead(page, () => page.keyboard.press(' '));
    const line = await selectedLine(page);
    if (line) {
      assert.match(line.text, /^220 smtp\.example\.org /);
      break;
    }
  }

  // Language: DE and PL change the interface, EN brings it back.
  for (const lang of ['de', 'pl', 'en']) {
    const cat = catalog(lang);
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('topology').locator('h2').filter({ hasText: new RegExp(`^${cat['ui.topology.title']}$`) }).waitFor(wait);
    const titles = await panelTitles(page);
    for (const [id, key] of Object.entries(panelKeys)) assert.equal(titles[id], cat[key], `${lang}: title of ${id}`);
    assert.equal((await page.getByTestId('step').textContent()).trim(), `${cat['ui.controls.step']} ▶`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    await page
      .getByTestId('scenario')
      .locator('option[value=send-pop3]')
      .filter({ hasText: cat['scenario.send-pop3.title'] })
      .waitFor({ state: 'attached', ...wait });
    assert.equal(await page.getByTestId('lang-' + lang).getAttribute('aria-pressed'), 'true');
    if (lang !== 'en') {
      assert.notEqual(titles.transcript, en['ui.transcript.title']);
      await assertNoPageScroll(page);
      await screenshot(page, lang);
    }
  }
  assert.deepEqual(page.errors, []);
});
