// "Connect your own mail client": the page shows the ports `maillab serve`
// really listens on, the autoconfig XML it serves names the same ports,
// and the CA it hands out lets curl verify the IMAPS server as 127.0.0.1.
// The port base is random (serve.mjs), so the expected ports are computed
// from it: base + 993 for example.org, base + 10000 + 993 for example.net
// (with the default base 10000 that is 10993 and 20993).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { closeSession, openSession } from './browser.mjs';
import { blur, catalog, openApp, screenshot, wait } from './browser.mjs';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

const shownPorts = () => page.getByTestId('connect-page').getByTestId('connect-port').allTextContents();
const wellKnown = [993, 143, 995, 110, 465, 587];

/** autoconfig fetches an autoconfig document in the page and reads it with the browser's XML parser. */
function autoconfig(path) {
  return page.evaluate(async (path) => {
    const res = await fetch(path);
    const text = await res.text();
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const server = (el) => ({
      type: el.getAttribute('type'),
      hostname: el.querySelector('hostname')?.textContent,
      port: Number(el.querySelector('port')?.textContent),
      socketType: el.querySelector('socketType')?.textContent,
      authentication: el.querySelector('authentication')?.textContent,
      username: el.querySelector('username')?.textContent,
    });
    return {
      status: res.status,
      type: res.headers.get('Content-Type'),
      wellFormed: doc.querySelector('parsererror') === null,
      root: doc.documentElement.nodeName,
      version: doc.documentElement.getAttribute('version'),
      id: doc.querySelector('emailProvider')?.getAttribute('id'),
      incoming: [...doc.querySelectorAll('incomingServer')].map(server),
      outgoing: [...doc.querySelectorAll('outgoingServer')].map(server),
      text,
    };
  }, path);
}

test('the connect page shows the port map serve listens on', async () => {
  const en = catalog('en');
  await openApp(page, srv.controlUrl);
  await page.getByTestId('connect').click();
  const dialog = page.getByTestId('connect-page');
  await dialog.getByRole('heading', { name: en['ui.connect.title'] }).waitFor(wait);

  await page.waitForFunction(() => document.querySelectorAll('[data-testid=connect-port]').length === 6, null, wait);
  assert.deepEqual(await shownPorts(), wellKnown.map((p) => String(srv.base + p)), 'Alice first');
  await dialog.getByTestId('connect-provider-example.net').click();
  assert.deepEqual(await shownPorts(), wellKnown.map((p) => String(srv.base + 10000 + p)), 'then Bob');
  const bobImaps = `127.0.0.1:${srv.base + 10000 + 993}`;
  const firstRow = await dialog.getByTestId('connect-row').first().textContent();
  assert.ok(firstRow.includes(`IMAP, port 993 — here ${bobImaps}`), firstRow);
  assert.ok(firstRow.includes('SSL/TLS') && firstRow.includes('Normal password'), firstRow);

  // The CA file serve printed, and the addresses for Thunderbird on the serve port.
  const printed = /Its certificate is in (\S+?) \(/.exec(srv.output())?.[1];
  assert.equal(await dialog.getByTestId('connect-ca-file').textContent(), printed);
  assert.equal(await dialog.getByTestId('connect-ispdb').textContent(), `mailnews.auto_config_url = ${srv.origin}/v1.1/`);
  assert.equal(
    await dialog.getByTestId('connect-autoconfig').getAttribute('href'),
    `${srv.origin}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=bob@example.net`,
  );
  const tryText = await dialog.getByTestId('connect-try').textContent();
  assert.ok(tryText.includes(`openssl s_client -connect ${bobImaps} -CAfile ${printed}`), tryText);
  assert.ok(tryText.includes(`telnet 127.0.0.1 ${srv.mxNetPort}`), tryText);

  await page.screenshot({ path: '/tmp/connect.png' });
  await screenshot(page, 'connect');
  await dialog.evaluate((d) => (d.scrollTop = d.scrollHeight));
  await page.screenshot({ path: '/tmp/connect-bottom.png' });

  // Esc closes it; C opens it again; the German page uses Thunderbird's words.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', ...wait });
  await page.getByTestId('lang-de').click();
  await blur(page);
  await page.keyboard.press('c');
  await dialog.getByText('Passwort, normal').first().waitFor(wait);
  await dialog.getByText('Verbindungssicherheit').first().waitFor(wait);
  await page.screenshot({ path: '/tmp/connect-de.png' });
  await page.keyboard.press('Escape');
  assert.deepEqual(page.errors, []);
});

test('serve hands out autoconfig XML that names the right ports', async () => {
  await openApp(page, srv.viewerUrl); // no token: read-only addresses
  const net = srv.base + 10000;
  for (const path of [
    '/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=bob@example.net',
    '/mail/config-v1.1.xml?emailaddress=bob@example.net',
    '/v1.1/example.net',
  ]) {
    const c = await autoconfig(path);
    assert.equal(c.status, 200, `${path}: ${c.text}`);
    assert.match(c.type, /^application\/xml/);
    assert.ok(c.wellFormed, c.text);
    assert.equal(c.root, 'clientConfig');
    assert.equal(c.version, '1.1');
    assert.equal(c.id, 'example.net');
    const rows = (list) => list.map((s) => `${s.type} ${s.socketType} ${s.hostname}:${s.port} ${s.authentication} ${s.username}`);
    assert.deepEqual(rows(c.incoming), [
      `imap SSL 127.0.0.1:${net + 993} password-cleartext %EMAILADDRESS%`,
      `imap STARTTLS 127.0.0.1:${net + 143} password-cleartext %EMAILADDRESS%`,
      `pop3 SSL 127.0.0.1:${net + 995} password-cleartext %EMAILADDRESS%`,
      `pop3 STARTTLS 127.0.0.1:${net + 110} password-cleartext %EMAILADDRESS%`,
    ]);
    assert.deepEqual(rows(c.outgoing), [
      `smtp SSL 127.0.0.1:${net + 465} password-cleartext %EMAILADDRESS%`,
      `smtp STARTTLS 127.0.0.1:${net + 587} password-cleartext %EMAILADDRESS%`,
    ]);
  }
  const alice = await autoconfig('/v1.1/example.org');
  assert.equal(alice.incoming[0].port, srv.base + 993);
  const unknown = await autoconfig('/v1.1/example.com');
  assert.equal(unknown.status, 404);
  assert.match(unknown.text, /example\.com/);
});

test('the downloaded CA lets curl verify IMAPS at 127.0.0.1', async () => {
  const res = await fetch(`${srv.origin}/maillab-ca.pem`);
  assert.equal(res.status, 200);
  const pem = await res.text();
  assert.match(pem, /^-----BEGIN CERTIFICATE-----\n/);
  const dir = mkdtempSync(join(tmpdir(), 'maillab-connect-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, pem);
  const { stdout } = await promisify(execFile)(
    'curl',
    ['--silent', '--show-error', '--url', `imaps://127.0.0.1:${srv.base + 10000 + 993}/INBOX`, '--cacert', ca, '--user', 'bob@example.net:builder', '--request', 'EXAMINE INBOX'],
    { timeout: 20_000 },
  );
  assert.match(stdout, /EXISTS/);
});
