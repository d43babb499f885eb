// The handout in the browser against the real `maillab serve`: lesson 1
// opens at start, a few lines are stepped, the Export dialog opens the
// print view; it shows the lesson and the transcript with explanations,
// prints black on white with only itself on the page, and Chromium turns it
// into an A4 (and a Letter) PDF of several pages. Screenshots of the view
// on screen and as printed go to /tmp/handout/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { blur, catalog, closeSession, openApp, openSession, selectedLine, stepAtHead, wait } from './browser.mjs';

const shots = process.env.HANDOUT_SHOTS ?? '/tmp/handout';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

async function api(method, ...args) {
  return srv.result(method, args, '');
}

/** pdfPages reads a PDF's page objects: how many, and the size of the first (in points). */
function pdfPages(pdf) {
  const s = pdf.toString('latin1');
  assert.ok(s.startsWith('%PDF-'), 'page.pdf() returns a PDF');
  const pages = s.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? [];
  const box = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(s);
  return { count: pages.length, width: box ? Number(box[3]) - Number(box[1]) : 0, height: box ? Number(box[4]) - Number(box[2]) : 0 };
}

async function openHandout() {
  await blur(page);
  await page.keyboard.press('e');
  await page.getByTestId('export-dialog').waitFor({ state: 'visible', ...wait });
  await page.getByTestId('handout-open').click();
  const view = page.getByTestId('handout');
  await view.waitFor({ state: 'visible', ...wait });
  return view;
}

test('handout: lesson 1 stepped, then printed on A4 and Letter', async () => {
  mkdirSync(shots, { recursive: true });
  const en = catalog('en');
  const lesson = await api('lesson', 'how-email-travels', 'en');
  await openApp(page, srv.controlUrl);
  await page.getByTestId('scenario').selectOption('lesson:how-email-travels');
  const heading = en['ui.lesson.heading'].replace('{number}', '1').replace('{title}', lesson.title);
  await page.getByTestId('lesson').locator('h2', { hasText: heading }).waitFor(wait);
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);

  await blur(page);
  let stepped = 0;
  for (let i = 0; i < 40 && stepped < 12; i++) if (await stepAtHead(page, () => page.keyboard.press('Space'))) stepped++;
  assert.equal(stepped, 12, 'twelve lines released');
  const current = await selectedLine(page);
  assert.ok(current?.text, 'a line is selected in the transcript');

  await page.evaluate(() => {
    window.__printed = 0;
    window.print = () => void window.__printed++;
  });
  const view = await openHandout();
  await page.getByTestId('handout-paper').selectOption('a4');

  // What it says: the lesson's head and text, and the transcript so far with the meanings.
  assert.equal(await page.getByTestId('handout-heading').textContent(), heading);
  assert.ok((await view.textContent()).includes(lesson.summary), 'the summary');
  const texts = await page.getByTestId('handout-text').locator('h3, h4').allTextContents();
  assert.ok(texts.length >= 3, `the lesson's sections: ${texts}`);
  const rows = await view.locator('[data-testid=handout-line]').evaluateAll((trs) =>
    trs.map((tr) => ({ seq: Number(tr.dataset.seq), dir: tr.cells[1].textContent, text: tr.cells[2].textContent, meaning: tr.cells[3].textContent })),
  );
  const row = rows.find((r) => r.seq === current.seq);
  assert.ok(row, `the transcript line ${current.seq} is in the handout`);
  assert.equal(row.text, current.text);
  assert.ok(rows.every((r) => r.meaning.trim().length > 10), 'every line has its meaning');
  assert.ok(rows.every((r) => !r.meaning.includes('ui.') && !r.meaning.includes('explain.')), 'meanings are translated');
  await page.screenshot({ path: `${shots}/handout-screen.png` });

  // Print asks the browser.
  await page.getByTestId('handout-print').click();
  assert.equal(await page.evaluate(() => window.__printed), 1);

  // As printed: only the handout, black on white, rows kept whole, links with their address.
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const sheet = document.querySelector('[data-testid=handout-sheet]');
    const cs = (el, pseudo) => getComputedStyle(el, pseudo);
    const link = document.querySelector('[data-testid=handout-refs] a');
    return {
      main: cs(document.querySelector('main')).display,
      toolbar: cs(document.querySelector('[data-testid=handout] .toolbar')).display,
      dialogs: [...document.querySelectorAll('#app > dialog')].map((d) => cs(d).display),
      color: cs(sheet).color,
      background: cs(sheet).backgroundColor,
      body: cs(document.body).backgroundColor,
      rowBreak: cs(sheet.querySelector('tbody tr')).breakInside,
      headGroup: cs(sheet.querySelector('thead')).display,
      link: link ? cs(link, '::after').content : '',
      href: link?.getAttribute('href') ?? '',
      position: cs(document.querySelector('[data-testid=handout]')).position,
    };
  });
  assert.equal(printed.main, 'none', 'the app does not print');
  assert.equal(printed.toolbar, 'none', 'the view bar does not print');
  assert.ok(printed.dialogs.every((d) => d === 'none'), 'dialogs do not print');
  assert.equal(printed.color, 'rgb(0, 0, 0)');
  assert.equal(printed.background, 'rgb(255, 255, 255)');
  assert.equal(printed.body, 'rgb(255, 255, 255)');
  assert.equal(printed.rowBreak, 'avoid', 'a page break never cuts a table row');
  assert.equal(printed.headGroup, 'table-header-group', 'column heads repeat on each page');
  assert.equal(printed.position, 'static', 'the view flows over pages');
  assert.match(printed.href, /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+$/);
  assert.ok(printed.link.includes(printed.href), `the link prints its address: ${printed.link}`);
  await page.screenshot({ path: `${shots}/handout-print.png`, fullPage: true });
  await page.emulateMedia({ media: null });

  // Chromium's PDF: A4 by the page's own @page rule, several pages.
  const a4pdf = await page.pdf({ preferCSSPageSize: true });
  writeFileSync(`${shots}/handout-a4.pdf`, a4pdf);
  const a4 = pdfPages(a4pdf);
  assert.ok(a4.count > 1, `A4 handout has ${a4.count} pages`);
  assert.ok(Math.abs(a4.width - 595.3) < 2 && Math.abs(a4.height - 841.9) < 2, `A4 page is ${a4.width}×${a4.height} pt`);
  await page.getByTestId('handout-paper').selectOption('letter');
  const letter = pdfPages(await page.pdf({ preferCSSPageSize: true }));
  assert.ok(letter.count > 1, `Letter handout has ${letter.count} pages`);
  assert.ok(Math.abs(letter.width - 612) < 2 && Math.abs(letter.height - 792) < 2, `Letter page is ${letter.width}×${letter.height} pt`);

  // Esc closes it; the app is usable again.
  await page.keyboard.press('Escape');
  await view.waitFor({ state: 'detached', ...wait });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.handout ?? ''), '');
  assert.equal(await page.evaluate(() => document.querySelector('main').inert), false);

  // In German, the handout is German.
  const de = catalog('de');
  const deLesson = await api('lesson', 'how-email-travels', 'de');
  await page.getByTestId('lang-de').click();
  await page.getByTestId('lesson').locator('h2', { hasText: deLesson.title }).waitFor(wait);
  await openHandout();
  assert.equal(await page.getByTestId('handout-heading').textContent(), de['ui.lesson.heading'].replace('{number}', '1').replace('{title}', deLesson.title));
  assert.equal(await page.locator('[data-testid=handout-transcript] th[scope=col]').first().textContent(), de['export.col.step']);
  await page.screenshot({ path: `${shots}/handout-screen-de.png` });
  assert.deepEqual(page.errors, []);
});
