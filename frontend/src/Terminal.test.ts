import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { TerminalPushed } from './lib/bridge/events';
import { authPlain } from './lib/core/terminal';
import { sampleEvents } from './lib/core/testdata';
import { FakeBridge } from './lib/testing/fake-bridge';
import { freshStorage } from './lib/testing/storage';

/** A pretend MX: just enough SMTP for the panel's tests. */
function mx(line: string): string[] {
  const verb = line.split(' ')[0].toUpperCase();
  if (verb === 'EHLO') return ['250-mx.example.net Hello', '250 STARTTLS'];
  if (verb === 'RCPT' && !line.includes('bob')) return ['503 5.5.1 Missing MAIL FROM command.'];
  if (verb === 'QUIT') return ['221 2.0.0 Bye'];
  if (verb === 'VRFY') return ['252 <b>bold</b> <img src=x onerror=alert(1)>'];
  return [];
}

async function boot(b = new FakeBridge(sampleEvents)) {
  b.terminal.answer = mx;
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

async function openTerminal() {
  await fireEvent.keyDown(window, { key: 't' });
  await waitFor(() => expect(screen.getByTestId('terminal-panel')).toBeTruthy());
  await waitFor(() => expect(screen.getByTestId('terminal-target').querySelectorAll('option').length).toBe(14));
}

async function connect(target = 'mx.example.net:25') {
  const select = screen.getByTestId('terminal-target') as HTMLSelectElement;
  await fireEvent.change(select, { target: { value: target } });
  await fireEvent.click(screen.getByTestId('terminal-connect'));
  await waitFor(() => expect((screen.getByTestId('terminal-input') as HTMLInputElement).disabled).toBe(false));
}

const input = () => screen.getByTestId('terminal-input') as HTMLInputElement;
const hintKey = () => screen.getByTestId('terminal-hint').getAttribute('data-key');
const lines = () => [...document.querySelectorAll('[data-testid="terminal-line"]')].map((e) => e.textContent?.replace(/\s+/g, ' ').trim());

async function type(text: string) {
  await fireEvent.input(input(), { target: { value: text } });
  await tick();
}

async function send(text: string) {
  await type(text);
  await fireEvent.keyDown(input(), { key: 'Enter' });
  await tick();
  await waitFor(() => expect(input().value).toBe(''));
}

describe('type it yourself', () => {
  beforeEach(() => {
    freshStorage();
    sessionStorage.clear();
  });

  it('opens with T and lists the servers by provider with their real addresses', async () => {
    const b = new FakeBridge(sampleEvents);
    b.catalogs = { en: { 'ui.terminal.target': '{host} — {proto}, port {port}, {security} — here {addr}' } };
    await boot(b);
    expect(screen.queryByTestId('terminal-panel')).toBeNull();
    await openTerminal();
    const groups = screen.getByTestId('terminal-target').querySelectorAll('optgroup');
    expect(groups.length).toBe(2);
    const option = screen.getByTestId('terminal-target').querySelector('option[value="mx.example.net:25"]')!;
    expect(option.textContent).toBe('mx.example.net — SMTP, port 25, ui.terminal.security.starttls — here 127.0.0.1:20025');
    expect(screen.getByTestId('terminal-toggle').getAttribute('aria-pressed')).toBe('true');
    // The side column keeps the inspector, mailboxes and message as tabs.
    expect(screen.getByTestId('side')).toBeTruthy();
  });

  it('connects, sends lines as typed and shows the replies', async () => {
    const b = await boot();
    await openTerminal();
    await connect();
    expect(b.calls).toContain('terminalOpen:mx.example.net:25');
    await waitFor(() => expect(lines()).toContain('S: 220 mx.example.net ESMTP Maillab'));
    expect(hintKey()).toBe('terminal.hint.smtp.next.ehlo');
    await send('EHLO student.example.com');
    await waitFor(() => expect(lines()).toContain('S: 250 STARTTLS'));
    expect(b.terminal.sent).toEqual(['EHLO student.example.com']);
    expect(lines()).toContain('C: EHLO student.example.com');
  });

  it('warns before an out-of-order command, and sends it anyway', async () => {
    const b = await boot();
    await openTerminal();
    await connect();
    await send('EHLO student.example.com');
    await type('RCPT TO:<x>');
    expect(hintKey()).toBe('terminal.hint.smtp.rcpt-before-mail');
    await fireEvent.keyDown(input(), { key: 'Enter' });
    await waitFor(() => expect(lines()).toContain('S: 503 5.5.1 Missing MAIL FROM command.'));
    expect(b.terminal.sent).toContain('RCPT TO:<x>');
  });

  it('completes the verb with Tab and walks the list with the arrows', async () => {
    await boot();
    await openTerminal();
    await connect();
    await type('ma');
    expect(screen.getAllByTestId('terminal-suggestion').length).toBe(1);
    expect(input().getAttribute('aria-expanded')).toBe('true');
    await fireEvent.keyDown(input(), { key: 'Tab' });
    expect(input().value).toBe('MAIL FROM:<');
    await type('AUTH');
    expect(screen.getAllByTestId('terminal-suggestion').length).toBe(2);
    await fireEvent.keyDown(input(), { key: 'ArrowDown' });
    await fireEvent.keyDown(input(), { key: 'Enter' });
    expect(input().value).toBe('AUTH LOGIN');
    await type('NO');
    await fireEvent.keyDown(input(), { key: 'Escape' });
    expect(screen.queryByTestId('terminal-suggestions')).toBeNull();
  });

  it('recalls sent lines with the up arrow', async () => {
    await boot();
    await openTerminal();
    await connect();
    await send('EHLO a.example');
    await send('NOOP');
    await fireEvent.keyDown(input(), { key: 'ArrowUp' });
    expect(input().value).toBe('NOOP');
    await fireEvent.keyDown(input(), { key: 'ArrowUp' });
    expect(input().value).toBe('EHLO a.example');
    await fireEvent.keyDown(input(), { key: 'ArrowDown' });
    expect(input().value).toBe('NOOP');
  });

  it('shows what the server sends as text, never as HTML', async () => {
    await boot();
    await openTerminal();
    await connect();
    await send('VRFY bob');
    await waitFor(() => expect(lines().some((l) => l?.includes('<img src=x onerror=alert(1)>'))).toBe(true));
    expect(screen.getByTestId('terminal-output').querySelector('img, b')).toBeNull();
  });

  it('builds AUTH PLAIN into the input without sending it, and hides the password line', async () => {
    const b = await boot();
    await openTerminal();
    await connect('smtp.example.org:587');
    expect((screen.getByTestId('terminal-auth-user') as HTMLInputElement).value).toBe('alice@example.org');
    await fireEvent.click(screen.getByTestId('terminal-auth-insert'));
    const line = `AUTH PLAIN ${authPlain('alice@example.org', 'wonderland')}`;
    expect(input().value).toBe(line);
    expect(b.terminal.sent).toEqual([]);
    await fireEvent.keyDown(input(), { key: 'Enter' });
    await waitFor(() => expect(lines()).toContain('C: AUTH PLAIN ******** show'.replace(' show', ' ui.transcript.show')));
    expect(document.body.textContent).not.toContain(authPlain('alice@example.org', 'wonderland'));
    await fireEvent.click(screen.getByTestId('terminal-reveal'));
    expect(screen.getByTestId('terminal-output').textContent).toContain(line);
  });

  it('is read-only for a viewer, who follows the newest terminal', async () => {
    const b = new FakeBridge(sampleEvents);
    b.canControl = false;
    await boot(b);
    await fireEvent.click(screen.getByTestId('terminal-toggle'));
    await waitFor(() => expect(screen.getByTestId('terminal-viewer')).toBeTruthy());
    expect(screen.queryByTestId('terminal-input')).toBeNull();
    expect(screen.queryByTestId('terminal-connect')).toBeNull();
    b.emit(TerminalPushed, [{ term: 3, n: 0, kind: 'received', text: '+OK POP3 ready', time: '' }]);
    await waitFor(() => expect(lines()).toEqual(['S: +OK POP3 ready']));
  });

  it('comes back after a reload with the same connection', async () => {
    const b = await boot();
    await openTerminal();
    await connect();
    await send('EHLO student.example.com');
    document.body.innerHTML = '';
    render(App, { props: { bridge: b } });
    await waitFor(() => expect(screen.getByTestId('terminal-panel')).toBeTruthy());
    await waitFor(() => expect(lines()).toContain('C: EHLO student.example.com'));
    expect(hintKey()).toBe('terminal.hint.smtp.next.mail');
  });
  it('keeps a line typed while the previous one is still being sent', async () => {
    const b = await boot();
    await openTerminal();
    await connect();
    // The next send takes its time, as it may in the web edition's worker.
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const send = b.terminalSend.bind(b);
    b.terminalSend = async (id: number, line: string) => {
      await slow;
      return send(id, line);
    };
    await type('EHLO me.example');
    await fireEvent.keyDown(input(), { key: 'Enter' });
    await type('MAIL FROM:<me@example.org>');
    release();
    await waitFor(() => expect(lines().some((l) => l?.includes('EHLO me.example'))).toBe(true));
    await tick();
    expect(input().value).toBe('MAIL FROM:<me@example.org>');
  });
});
