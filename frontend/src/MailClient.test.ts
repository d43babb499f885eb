import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { sampleEvents } from './lib/core/testdata';
import type { DeviceInfo } from './lib/core/types';
import { FakeBridge } from './lib/testing/fake-bridge';
import { freshStorage } from './lib/testing/storage';

const devices = (): DeviceInfo[] => [
  {
    id: 'alice-laptop',
    account: 'alice@example.org',
    protocol: 'imap',
    folders: ['INBOX', 'Sent'],
    busy: false,
    messages: [
      { key: 'imap:7', subject: 'Lunch?', from: 'bob@example.net', size: 900, seen: false, via: 'imap', onServer: true, whole: false, attachments: [], body: '' },
    ],
  },
  {
    id: 'bob-laptop',
    account: 'bob@example.net',
    protocol: 'pop3',
    folders: [],
    busy: false,
    messages: [
      {
        key: 'pop3:1',
        subject: '<script>window.__pwned=1</script><b>bold</b>',
        from: 'alice@example.org',
        size: 1234,
        seen: false,
        via: 'pop3',
        onServer: false,
        whole: true,
        attachments: ['report.pdf'],
        body: '<img src=x onerror=alert(1)>',
      },
    ],
  },
];

async function boot() {
  const b = new FakeBridge(sampleEvents);
  b.catalogs = { en: { 'ui.mailclient.folders': 'Folders: {folders}', 'ui.mailclient.open-message-label': 'Open “{subject}”' } };
  b.deviceList = devices();
  b.samples = [{ name: 'report.pdf', type: 'application/pdf', size: 599 }];
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

const dialog = () => screen.getByTestId('mailclient');

describe('the mail client', () => {
  beforeEach(() => freshStorage());

  it('composes from the device’s account with lists, a sample file and the route', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('mailclient-open'));
    await waitFor(() => expect(screen.getByTestId('mailclient-device')).toBeTruthy());
    expect(dialog().hasAttribute('open')).toBe(true);
    expect((screen.getByTestId('mailclient-to') as HTMLInputElement).value).toBe('bob@example.net');
    await fireEvent.input(screen.getByTestId('mailclient-cc'), { target: { value: 'carol@example.net; dave@example.net' } });
    await fireEvent.input(screen.getByTestId('mailclient-subject'), { target: { value: 'Hi' } });
    await waitFor(() => expect(screen.getByTestId('mailclient-sample-report.pdf')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('mailclient-sample-report.pdf'));
    await fireEvent.click(screen.getByTestId('mailclient-route-25'));
    await fireEvent.click(screen.getByTestId('mailclient-send'));
    await waitFor(() => expect(b.composed).toHaveLength(1));
    expect(b.composed[0]).toMatchObject({
      device: 'alice-laptop',
      to: ['bob@example.net'],
      cc: ['carol@example.net', 'dave@example.net'],
      bcc: [],
      subject: 'Hi',
      samples: ['report.pdf'],
      route: '25',
      lang: 'en',
    });
    await waitFor(() => expect(screen.getByTestId('mailclient-notice')).toBeTruthy());
  });

  it('shows a device’s inbox as text and checks mail with leave-on-server', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('mailclient-open'));
    await waitFor(() => expect(screen.getByTestId('mailclient-device')).toBeTruthy());
    await fireEvent.change(screen.getByTestId('mailclient-device'), { target: { value: 'bob-laptop' } });
    await fireEvent.click(screen.getByTestId('mailclient-tab-inbox'));
    const row = await screen.findByTestId('mailclient-message');
    expect(row.querySelector('.subject')?.textContent).toBe('<script>window.__pwned=1</script><b>bold</b>');
    expect(dialog().querySelector('script, b, img')).toBeNull();
    expect(screen.getByTestId('mailclient-attachments').textContent).toContain('report.pdf');
    await fireEvent.click(screen.getByTestId('mailclient-leave'));
    await fireEvent.click(screen.getByTestId('mailclient-check'));
    await waitFor(() => expect(b.checked).toEqual([{ lang: 'en', device: 'bob-laptop', leaveOnServer: true }]));
  });

  it('opens an IMAP message: the client fetches it whole', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('mailclient-open'));
    await waitFor(() => expect(screen.getByTestId('mailclient-device')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('mailclient-tab-inbox'));
    expect(screen.getByTestId('mailclient-folders').textContent).toBe('Folders: INBOX, Sent');
    const open = await screen.findByTestId('mailclient-open-message');
    expect(open.getAttribute('aria-label')).toContain('Lunch?');
    await fireEvent.click(open);
    await waitFor(() => expect(b.opened).toEqual([{ lang: 'en', device: 'alice-laptop', key: 'imap:7' }]));
  });

  it('keeps the step keys out while open; Esc closes it', async () => {
    // (the topology's device buttons need a laid-out page: e2e/mailclient.test.mjs)
    const b = await boot();
    await fireEvent.click(screen.getByTestId('mailclient-open'));
    await waitFor(() => expect(dialog().hasAttribute('open')).toBe(true));
    const steps = b.calls.filter((c) => c === 'step').length;
    await fireEvent.keyDown(window, { key: ' ' });
    expect(b.calls.filter((c) => c === 'step').length).toBe(steps);
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(dialog().hasAttribute('open')).toBe(false));
  });
});
