import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { sampleEvents } from './lib/core/testdata';
import type { ClientSettings } from './lib/core/types';
import { clientSettingsFixture } from './lib/testing/client-settings';
import { FakeBridge } from './lib/testing/fake-bridge';
import { freshStorage } from './lib/testing/storage';

async function boot(b = new FakeBridge(sampleEvents)) {
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

const page = () => screen.getByTestId('connect-page');
const shownPorts = () => [...page().querySelectorAll('[data-testid="connect-port"]')].map((e) => e.textContent);

describe('Connect your own mail client', () => {
  beforeEach(() => freshStorage());

  it('opens with C, shows the ports of the picked provider, closes with Esc', async () => {
    const b = await boot();
    expect(page().hasAttribute('open')).toBe(false);
    await fireEvent.keyDown(window, { key: 'c' });
    await tick();
    expect(page().hasAttribute('open')).toBe(true);
    await waitFor(() => expect(shownPorts()).toEqual(['10993', '10143', '10995', '10110', '10465', '10587']));
    expect(b.calls).toContain('clientSettings:en');
    expect(screen.getByTestId('connect-account').textContent).toContain('wonderland');

    await fireEvent.click(screen.getByTestId('connect-provider-example.net'));
    expect(shownPorts()).toEqual(['20993', '20143', '20995', '20110', '20465', '20587']);
    const text = page().textContent ?? '';
    expect(text).toContain('ui.connect.security.SSL');
    expect(text).toContain('openssl s_client -connect 127.0.0.1:20993 -CAfile /tmp/maillab-ca.pem');
    expect(text).toContain('curl --url imaps://127.0.0.1:20993/INBOX --cacert /tmp/maillab-ca.pem --user bob@example.net:builder');
    expect(screen.getByTestId('connect-ispdb').textContent).toContain('http://127.0.0.1:8025/v1.1/');
    expect(screen.getByTestId('connect-autoconfig').getAttribute('href')).toContain('emailaddress=bob@example.net');

    // Step keys do nothing while the page is open.
    const steps = b.calls.filter((c) => c === 'step').length;
    await fireEvent.keyDown(window, { key: ' ' });
    expect(b.calls.filter((c) => c === 'step').length).toBe(steps);

    await fireEvent.keyDown(window, { key: 'Escape' });
    await tick();
    expect(page().hasAttribute('open')).toBe(false);
  });

  it('opens from the toolbar and says when there is no port map', async () => {
    const b = new FakeBridge(sampleEvents);
    const none: ClientSettings = { ...clientSettingsFixture, portMap: false, providers: [], note: 'no servers for you' };
    b.clientSettings = async () => none;
    await boot(b);
    await fireEvent.click(screen.getByTestId('connect'));
    await waitFor(() => expect(screen.getByTestId('connect-note').textContent).toBe('no servers for you'));
    expect(page().querySelector('[data-testid="connect-servers"]')).toBeNull();
  });

  it('shows settings text literally, never as HTML', async () => {
    const b = new FakeBridge(sampleEvents);
    const evil = structuredClone(clientSettingsFixture);
    evil.providers[0].title = '<img src=x onerror=alert(1)>';
    evil.caFile = '/tmp/<b>ca</b>.pem';
    b.clientSettings = async () => evil;
    await boot(b);
    await fireEvent.click(screen.getByTestId('connect'));
    await waitFor(() => expect(page().textContent).toContain('<img src=x onerror=alert(1)>'));
    expect(page().querySelector('img')).toBeNull();
    expect(screen.getByTestId('connect-ca-file').textContent).toBe('/tmp/<b>ca</b>.pem');
  });
});
