import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { sampleEvents } from './lib/core/testdata';
import { isStepped } from './lib/core/timeline';
import { FakeBridge } from './lib/testing/fake-bridge';
import { freshStorage } from './lib/testing/storage';

const panels = ['controls', 'topology', 'sequence', 'transcript', 'inspector', 'mailboxes', 'message'];

async function boot(b = new FakeBridge(sampleEvents)) {
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

async function press(key: string, times = 1) {
  for (let i = 0; i < times; i++) {
    await fireEvent.keyDown(window, { key });
    await tick();
  }
  await tick();
}

describe('App', () => {
  beforeEach(() => freshStorage());

  it('renders every panel and starts the first scenario', async () => {
    const b = await boot();
    for (const p of panels) expect(screen.getByTestId(p)).toBeTruthy();
    expect(b.calls).toContain('start');
    expect(b.calls).toContain('ready');
    for (const id of ['step', 'back', 'play', 'reset', 'lang-en', 'lang-de', 'lang-pl', 'theme', 'presenter', 'help'])
      expect(screen.getByTestId(id)).toBeTruthy();
  });

  it('steps with Space and goes back with ←, without releasing again', async () => {
    const b = await boot();
    await press(' ', 3);
    await waitFor(() => expect(screen.getByTestId('transcript').querySelectorAll('[data-seq]').length).toBeGreaterThan(2));
    const steps = b.calls.filter((c) => c === 'step').length;
    expect(screen.getByTestId('position').textContent).toContain('ui.controls.position');
    await press('ArrowLeft');
    const last = [...document.querySelectorAll('[data-testid="line"]')].map((e) => e.getAttribute('data-seq'));
    expect(last).not.toContain(String(b.released.filter(isStepped)[2].seq));
    await press('ArrowRight');
    expect(b.calls.filter((c) => c === 'step').length).toBe(steps); // history, not a new release
  });

  it('shows wire text literally, never as HTML', async () => {
    const b = await boot();
    const subjectIdx = sampleEvents.filter(isStepped).findIndex((e) => e.text?.startsWith('Subject:'));
    for (let i = 0; i <= subjectIdx; i++) await b.step();
    await tick();
    await waitFor(() => expect(document.body.textContent).toContain('Subject: <img src=x onerror=alert(1)>'));
    expect(document.querySelector('img')).toBeNull();
    // The message panel shows the DATA being sent, as text too.
    expect(screen.getByTestId('message').textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('shows a recipient given twice (RCPT TO repeated by a hand-typed session) twice, without failing', async () => {
    // A raw client may repeat RCPT TO for one address; the panels key their lists by position, not address.
    const events = [];
    let shift = 0;
    for (const e of sampleEvents) {
      events.push({ ...e, seq: e.seq + shift });
      if (shift === 0 && e.text?.startsWith('RCPT TO:')) {
        const reply = sampleEvents.find((r) => r.seq > e.seq && r.conn === e.conn && r.dir !== e.dir);
        shift = 2;
        events.push({ ...e, seq: e.seq + 1 });
        if (reply) events.push({ ...reply, seq: e.seq + 2 });
      }
    }
    const b = await boot(new FakeBridge(events));
    const subjectIdx = events.filter(isStepped).findIndex((e) => e.text?.startsWith('Subject:'));
    for (let i = 0; i <= subjectIdx; i++) await b.step();
    await tick();
    await waitFor(() => expect(screen.getByTestId('message').textContent).toContain('RCPT TO'));
    expect(screen.getByTestId('message').textContent?.match(/RCPT TO/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('hides credentials until "show" is clicked', async () => {
    const b = await boot();
    const idx = sampleEvents.filter(isStepped).findIndex((e) => e.credential);
    for (let i = 0; i <= idx; i++) await b.step();
    await tick();
    // The credential line is the current one: the inspector shows it hidden.
    const reveal = await screen.findByTestId('inspector-reveal');
    expect(screen.getByTestId('inspector-text').textContent).toContain('AUTH PLAIN ********');
    expect(document.body.textContent).not.toContain('AGFsaWNl');
    await fireEvent.click(reveal);
    expect(screen.getByTestId('inspector-text').textContent).toContain('AUTH PLAIN AGFsaWNl');
  });

  it('keeps the chosen speed when a new run starts paused', async () => {
    const b = await boot();
    const speed = screen.getByTestId('speed') as HTMLInputElement;
    const before = speed.value;
    await fireEvent.input(speed, { target: { value: speed.max } });
    await tick();
    const chosen = speed.value;
    expect(chosen).not.toBe(before);
    await fireEvent.click(screen.getByTestId('reset'));
    await waitFor(() => expect(b.calls.filter((c) => c === 'reset').length).toBe(1));
    await tick();
    expect((screen.getByTestId('speed') as HTMLInputElement).value).toBe(chosen);
  });

  it('joins the run that is going on after a reload', async () => {
    const b = new FakeBridge(sampleEvents);
    await b.start();
    for (let i = 0; i < 4; i++) await b.step();
    b.calls = [];
    await boot(b);
    expect(b.calls).toContain('run');
    expect(b.calls).not.toContain('start');
    expect(screen.getByTestId('position').textContent).toContain('ui.controls.position');
    expect(screen.getByTestId('transcript').querySelectorAll('[data-testid="line"]').length).toBe(3);
  });

  it('is a read-only viewer without the token', async () => {
    const b = new FakeBridge(sampleEvents);
    b.canControl = false;
    await boot(b);
    expect(screen.queryByTestId('play')).toBeNull();
    expect(screen.queryByTestId('reset')).toBeNull();
    expect(screen.getByTestId('viewer-notice')).toBeTruthy();
    expect(b.calls).not.toContain('start');
  });

  it('switches language at run time', async () => {
    const b = new FakeBridge(sampleEvents);
    b.catalogs = { en: { 'ui.controls.step': 'Step' }, de: { 'ui.controls.step': 'Schritt' } };
    await boot(b);
    expect(screen.getByTestId('step').textContent).toContain('Step');
    await fireEvent.click(screen.getByTestId('lang-de'));
    await waitFor(() => expect(screen.getByTestId('step').textContent).toContain('Schritt'));
    expect(document.documentElement.lang).toBe('de');
  });

  it('explains a line with the Go side\'s text: inspector and hover, in the interface language', async () => {
    const events = sampleEvents.map((e) =>
      e.text === 'EHLO alice-laptop' ? { ...e, explain: { key: 'explain.smtp.ehlo', params: { host: 'alice-laptop' }, rfc: 'RFC 5321 §4.1.1.1' } } : e,
    );
    const b = new FakeBridge(events);
    b.catalogs = { en: { 'explain.smtp.ehlo': 'The client greets the server as {host}.' }, de: { 'explain.smtp.ehlo': 'Der Client grüßt den Server als {host}.' } };
    await boot(b);
    await press(' ', 3); // Alice clicks Send, 220, EHLO
    const ehlo = events.find((e) => e.text === 'EHLO alice-laptop')!;
    await waitFor(() => expect(screen.getByTestId('inspector').textContent).toContain('The client greets the server as alice-laptop.'));
    expect(screen.getByTestId('inspector').textContent).toContain('RFC 5321 §4.1.1.1');
    const row = document.querySelector(`[data-testid="transcript"] [data-testid="line"][data-seq="${ehlo.seq}"]`)!;
    expect(row.getAttribute('title')).toBe('EHLO alice-laptop\n\nThe client greets the server as alice-laptop.');
    const arrow = document.querySelector(`[data-testid="seq-row"][data-seq="${ehlo.seq}"]`)!;
    expect(arrow.getAttribute('title')).toContain('The client greets the server as alice-laptop.');
    // A line without an explanation from Go: the stub, and a plain tooltip.
    const greeting = document.querySelector('[data-testid="transcript"] [data-testid="line"]')!;
    expect(greeting.getAttribute('title')).toBe('220 smtp.example.org ESMTP Service Ready');
    await fireEvent.click(screen.getByTestId('lang-de'));
    await waitFor(() => expect(screen.getByTestId('inspector').textContent).toContain('Der Client grüßt den Server als alice-laptop.'));
  });

  it('opens the help with ? and shows the mail on the devices', async () => {
    const b = await boot();
    await press('?');
    expect(screen.getByTestId('help-overlay').hasAttribute('open')).toBe(true);
    await press('Escape');
    b.pushSnapshot({
      queue: [{ id: 'q1', from: 'alice@example.org', to: ['bob@example.net'], state: 'sent', attempts: 1 }],
      mailboxes: [{ domain: 'example.net', users: [{ address: 'bob@example.net', mailboxes: [{ name: 'INBOX', uidValidity: 1, uidNext: 2, count: 0, unseen: 0, messages: [] }] }] }],
      devices: [{ node: 'bob-laptop', messages: [{ key: 'k', subject: '<b>hi</b>', from: 'alice@example.org', size: 10, seen: false, via: 'pop3', onServer: false }] }],
    });
    await tick();
    const where = screen.getByTestId('mailboxes');
    expect(where.textContent).toContain('ui.where.pop3-gone');
    expect(where.textContent).toContain('<b>hi</b>');
    expect(where.querySelector('b')).toBeNull();
  });

  it('names \\Flagged on the server and on a device that synced it', async () => {
    const b = await boot();
    const msg = { uid: 2, subject: 'Photos', from: 'alice@example.org', size: 10, flags: ['\\Flagged'], internalDate: '' };
    b.pushSnapshot({
      queue: [],
      mailboxes: [{ domain: 'example.net', users: [{ address: 'bob@example.net', mailboxes: [{ name: 'INBOX', uidValidity: 1, uidNext: 3, count: 1, unseen: 1, messages: [msg] }] }] }],
      devices: [{ node: 'bob-phone', messages: [
        { key: 'imap:2', subject: 'Photos', from: 'alice@example.org', size: 10, seen: false, flagged: true, via: 'imap', onServer: true },
        { key: 'imap:1', subject: 'Train', from: 'alice@example.org', size: 10, seen: true, via: 'imap', onServer: true },
      ] }],
    });
    await tick();
    const where = screen.getByTestId('mailboxes');
    expect(where.textContent?.match(/ui\.where\.flag-flagged/g)).toHaveLength(2);
  });

  it("shows each account's storage against its quota, and says when a mailbox is full", async () => {
    const b = await boot();
    const box = { name: 'INBOX', uidValidity: 1, uidNext: 2, count: 0, unseen: 0, messages: [] };
    b.pushSnapshot({
      queue: [],
      mailboxes: [
        {
          domain: 'example.net',
          users: [
            { address: 'bob@example.net', mailboxes: [box], usage: { used: (50 << 20) - 1000, quota: 50 << 20 } },
            { address: 'carol@example.net', mailboxes: [box], usage: { used: 5 << 20, quota: 50 << 20 } },
            { address: 'dave@example.net', mailboxes: [box], usage: { used: 2048, quota: 0 } },
          ],
        },
      ],
      devices: [],
    });
    await tick();
    const [bob, carol, dave] = screen.getAllByTestId('quota');
    expect(bob.dataset.level).toBe('full');
    expect(bob.textContent).toContain('ui.where.quota-full');
    expect(bob.querySelector<HTMLElement>('.fill')?.style.width).toBe('99%');
    expect(carol.dataset.level).toBe('ok');
    expect(carol.textContent).not.toContain('ui.where.quota-full');
    expect(carol.querySelector<HTMLElement>('.fill')?.style.width).toBe('10%');
    expect(dave.textContent).toContain('ui.where.quota-unlimited');
    expect(dave.querySelector('.bar')).toBeNull();
  });
});
