import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from '../../../App.svelte';
import { checksOf, zoneOf, zoneText } from '../../core/settings';
import { sampleEvents } from '../../core/testdata';
import { FakeBridge } from '../../testing/fake-bridge';
import { freshStorage } from '../../testing/storage';

const en = {
  'ui.settings.saved': 'Done. The transcript shows the change.',
  'ui.settings.dns-line': 'line {n}: {message}',
  'ui.settings.failed': 'That did not work:',
  'ui.settings.up': 'up',
  'ui.settings.down': 'down',
  'ui.settings.server-mx': 'MX, port 25',
  'ui.settings.devices': 'Devices',
  'ui.settings.security-starttls': 'STARTTLS on port {port}',
  'ui.settings.security-implicit': 'Implicit TLS on port {port}',
  'ui.settings.security-plain': 'Plain, no TLS, on port {port}',
};

async function boot(b = new FakeBridge(sampleEvents)) {
  b.catalogs = { en };
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

async function open(b: FakeBridge) {
  await fireEvent.click(screen.getByTestId('settings-open'));
  const dialog = screen.getByTestId('settings-dialog');
  await waitFor(() => expect(within(dialog).getAllByTestId('settings-account').length).toBeGreaterThan(0));
  expect(dialog.hasAttribute('open')).toBe(true);
  expect(b.calls).toContain('worldSettings');
  return dialog;
}

const row = (address: string) => document.querySelector(`[data-testid=settings-account][data-address="${address}"]`) as HTMLElement;
const statusText = () => screen.getByTestId('settings-status').textContent?.trim() ?? '';

describe('World settings dialog', () => {
  beforeEach(() => freshStorage());

  it('has a tab per provider, moved along with the arrow keys', async () => {
    const b = await boot();
    const dialog = await open(b);
    const tabs = within(dialog).getAllByRole('tab').filter((t) => t.dataset.testid?.startsWith('settings-provider-'));
    expect(tabs.map((t) => t.textContent?.trim())).toEqual(['example.org', 'example.net']);
    expect(tabs[0].getAttribute('aria-selected')).toBe('true');
    expect(row('alice@example.org')).not.toBeNull();
    await fireEvent.keyDown(tabs[0], { key: 'ArrowRight' });
    await waitFor(() => expect(screen.getByTestId('settings-provider-example.net').getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByTestId('settings-provider-example.net'));
    expect(row('bob@example.net')).not.toBeNull();
    expect(row('alice@example.org')).toBeNull();
  });

  it('changes a password, a quota, adds and removes an account', async () => {
    const b = await boot();
    await open(b);
    await fireEvent.click(screen.getByTestId('settings-provider-example.net'));
    const bob = row('bob@example.net');
    await fireEvent.input(within(bob).getByTestId('settings-password'), { target: { value: 'geheim-2' } });
    await fireEvent.click(within(bob).getByTestId('settings-set-password'));
    await waitFor(() => expect(statusText()).toBe(en['ui.settings.saved']));
    expect(b.calls).toContain('setPassword:bob@example.net:geheim-2');
    expect(b.settings.providers[1].accounts[0].password).toBe('geheim-2');

    await fireEvent.input(within(row('bob@example.net')).getByTestId('settings-quota'), { target: { value: '10MiB' } });
    await fireEvent.click(within(row('bob@example.net')).getByTestId('settings-set-quota'));
    await waitFor(() => expect(b.calls).toContain('setAccountQuota:bob@example.net:10MiB'));

    // An account a device reads cannot be removed; one no device reads can.
    expect((within(row('bob@example.net')).getByTestId('settings-remove') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(within(row('carol@example.net')).getByTestId('settings-remove'));
    await waitFor(() => expect(row('carol@example.net')).toBeNull());

    await fireEvent.input(screen.getByTestId('settings-new-address'), { target: { value: 'erin@example.net' } });
    await fireEvent.input(screen.getByTestId('settings-new-password'), { target: { value: 'erin-pw' } });
    await fireEvent.click(screen.getByTestId('settings-add'));
    await waitFor(() => expect(row('erin@example.net')).not.toBeNull());
    expect((screen.getByTestId('settings-new-address') as HTMLInputElement).value).toBe('');
  });

  it('shows what the Go side refused, as it says it', async () => {
    const b = await boot();
    await open(b);
    b.settingsError = 'Das Passwort fehlt.';
    await fireEvent.click(within(row('alice@example.org')).getByTestId('settings-set-password'));
    await waitFor(() => expect(statusText()).toContain('Das Passwort fehlt.'));
    expect(screen.getByTestId('settings-status').classList.contains('bad')).toBe(true);
  });

  it('checks each DNS record as it is typed and shows the problem beside the field', async () => {
    const b = await boot();
    await open(b);
    b.badRecords['v=spf1 ip4:300.1.1.1 -all'] = 'ip4:300.1.1.1 is not an IPv4 address';
    b.badRecords['10 127.77.2.25'] = '127.77.2.25 is an address; an MX names a host';
    await fireEvent.click(screen.getByTestId('settings-section-dns'));
    const spf = screen.getByTestId('settings-dns-spf') as HTMLInputElement;
    expect(spf.value).toBe('v=spf1 ip4:127.77.1.20 -all');
    await fireEvent.input(spf, { target: { value: 'v=spf1 ip4:300.1.1.1 -all' } });
    await waitFor(() => expect(screen.getByTestId('settings-dns-spf-problem').textContent).toContain('ip4:300.1.1.1 is not an IPv4 address'));
    expect(spf.getAttribute('aria-invalid')).toBe('true');
    expect(b.calls).toContain('checkRecord:spf:v=spf1 ip4:300.1.1.1 -all');

    await fireEvent.input(screen.getByTestId('settings-dns-mx'), { target: { value: '10 mx.example.org\n10 127.77.2.25' } });
    await waitFor(() => expect(screen.getByTestId('settings-dns-mx-problem').textContent).toBe('line 2: 127.77.2.25 is an address; an MX names a host'));

    // Save is refused while a record is marked; fixed, it sends the zone.
    await fireEvent.click(screen.getByTestId('settings-save-dns'));
    expect(b.calls.some((c) => c.startsWith('setDNS'))).toBe(false);
    await fireEvent.input(spf, { target: { value: 'v=spf1 mx -all' } });
    await fireEvent.input(screen.getByTestId('settings-dns-mx'), { target: { value: '10 mx.example.org\n20 backup.example.org' } });
    await waitFor(() => expect(spf.getAttribute('aria-invalid')).toBe('false'));
    await waitFor(() => expect(screen.getByTestId('settings-dns-mx-problem').textContent).toBe(''));
    await fireEvent.click(screen.getByTestId('settings-save-dns'));
    await waitFor(() => expect(b.calls).toContain('setDNS:example.org'));
    expect(b.settings.providers[0].dns).toEqual({
      mx: [
        { preference: 10, host: 'mx.example.org' },
        { preference: 20, host: 'backup.example.org' },
      ],
      spf: 'v=spf1 mx -all',
      dkim: { selector: 'mail', algorithm: 'ed25519' },
      dmarc: 'v=DMARC1; p=reject',
    });
  });

  it('saves the server policy and switches a server down and up', async () => {
    const b = await boot();
    await open(b);
    await fireEvent.click(screen.getByTestId('settings-section-policy'));
    await fireEvent.click(screen.getByTestId('settings-starttls-required'));
    await fireEvent.click(screen.getByTestId('settings-greylisting'));
    await fireEvent.input(screen.getByTestId('settings-relay'), { target: { value: '192.0.2.0/24\n\n198.51.100.7' } });
    await fireEvent.click(screen.getByTestId('settings-plaintext-auth'));
    await fireEvent.input(screen.getByTestId('settings-mx-size-limit'), { target: { value: '1MiB' } });
    expect((screen.getByTestId('settings-outgoing-opportunistic') as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByTestId('settings-outgoing-required'));
    await fireEvent.input(screen.getByTestId('settings-queue-lifetime'), { target: { value: '2d' } });
    await fireEvent.click(screen.getByTestId('settings-save-policy'));
    await waitFor(() => expect(b.calls).toContain('setPolicy:example.org'));
    expect(b.settings.providers[0].policy).toMatchObject({
      starttls: 'required',
      greylisting: true,
      relayNetworks: ['192.0.2.0/24', '198.51.100.7'],
      plaintextAuth: true,
      mxSizeLimit: '1MiB',
      outgoingTLS: 'required',
      queueLifetime: '2d',
    });

    await fireEvent.click(screen.getByTestId('settings-section-servers'));
    const mx = screen.getByTestId('settings-server-mx');
    expect(mx.getAttribute('role')).toBe('switch');
    expect(mx.getAttribute('aria-checked')).toBe('true');
    await fireEvent.click(mx);
    await waitFor(() => expect(screen.getByTestId('settings-server-mx').getAttribute('aria-checked')).toBe('false'));
    expect(b.calls).toContain('setServerUp:example.org:mx:false');
    expect(screen.getByTestId('settings-server-mx').textContent).toContain('down');
    await fireEvent.click(screen.getByTestId('settings-server-mx'));
    await waitFor(() => expect(screen.getByTestId('settings-server-mx').getAttribute('aria-checked')).toBe('true'));
  });

  it("shows a room provider's policy without relay networks: the room's rule", async () => {
    const b = new FakeBridge(sampleEvents);
    b.catalogs = { en: { ...en, 'ui.settings.room-relay': '{domain} relays for nobody.' } };
    const room = { ...structuredClone(b.settings.providers[0]), domain: 'anna.room42.test', room: true };
    b.settings.providers.push(room);
    render(App, { props: { bridge: b } });
    await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
    await open(b);
    await fireEvent.click(screen.getByTestId('settings-provider-anna.room42.test'));
    await fireEvent.click(screen.getByTestId('settings-section-policy'));
    expect(screen.getByTestId('settings-room-relay').textContent).toBe('anna.room42.test relays for nobody.');
    expect(screen.queryByTestId('settings-relay')).toBeNull();
    await fireEvent.click(screen.getByTestId('settings-starttls-off'));
    await fireEvent.click(screen.getByTestId('settings-save-policy'));
    await waitFor(() => expect(b.calls).toContain('setPolicy:anna.room42.test'));
    expect(b.settings.providers[2].policy).toMatchObject({ starttls: 'off', relayNetworks: [] });
  });

  it('has a Devices tab: protocol, security with its port, leave a copy (POP3 only)', async () => {
    const b = await boot();
    const dialog = await open(b);
    const tab = screen.getByTestId('settings-tab-devices');
    expect(tab.textContent?.trim()).toBe('Devices');
    await fireEvent.keyDown(screen.getByTestId('settings-provider-example.org'), { key: 'End' });
    await waitFor(() => expect(tab.getAttribute('aria-selected')).toBe('true'));
    expect(within(dialog).queryAllByTestId('settings-account')).toHaveLength(0);
    const dev = (name: string) => document.querySelector(`[data-testid=settings-device][data-device="${name}"]`) as HTMLElement;
    const bob = dev('bob-laptop');
    const sec = within(bob).getByTestId('settings-device-security') as HTMLSelectElement;
    const leave = within(bob).getByTestId('settings-device-leave') as HTMLInputElement;
    expect((within(bob).getByTestId('settings-device-protocol-pop3') as HTMLInputElement).checked).toBe(true);
    expect([...sec.options].map((o) => o.textContent)).toEqual(['STARTTLS on port 110', 'Implicit TLS on port 995', 'Plain, no TLS, on port 110']);
    expect(leave.disabled).toBe(false);
    expect((within(dev('alice-laptop')).getByTestId('settings-device-leave') as HTMLInputElement).disabled).toBe(true);

    expect(within(bob).queryByTestId('settings-device-delete-after')).toBeNull();
    await fireEvent.click(leave);
    const days = (await within(bob).findByTestId('settings-device-delete-after')) as HTMLInputElement;
    expect(days.value).toBe('0');
    await fireEvent.input(days, { target: { value: '14' } });
    await fireEvent.click(within(bob).getByTestId('settings-save-device'));
    await waitFor(() => expect(b.calls).toContain('setDevice:bob-laptop:pop3:starttls:true'));
    expect(b.settings.devices?.[1]).toMatchObject({ leaveOnServer: true, deleteAfterDays: 14 });

    await fireEvent.click(within(dev('bob-laptop')).getByTestId('settings-device-protocol-imap'));
    const sec2 = within(dev('bob-laptop')).getByTestId('settings-device-security') as HTMLSelectElement;
    await waitFor(() => expect(sec2.options[1].textContent).toBe('Implicit TLS on port 993'));
    expect((within(dev('bob-laptop')).getByTestId('settings-device-leave') as HTMLInputElement).disabled).toBe(true);
    await fireEvent.change(sec2, { target: { value: 'implicit' } });
    await fireEvent.click(within(dev('bob-laptop')).getByTestId('settings-save-device'));
    await waitFor(() => expect(b.calls).toContain('setDevice:bob-laptop:imap:implicit:false'));
    await waitFor(() => expect(statusText()).toContain('Done.'));
    expect(b.settings.devices?.[1]).toMatchObject({ protocol: 'imap', security: 'implicit', port: 993, leaveOnServer: false });
    expect(screen.getByTestId('settings-tab-devices').getAttribute('aria-selected')).toBe('true');
  });

  it('shows a viewer everything read-only, without passwords, and why', async () => {
    const b = new FakeBridge(sampleEvents);
    b.canControl = false;
    await boot(b);
    await open(b);
    expect(screen.getByTestId('settings-viewer')).toBeTruthy();
    const pw = within(row('alice@example.org')).getByTestId('settings-password') as HTMLInputElement;
    expect(pw.placeholder).not.toContain('alice');
    expect(pw.closest('fieldset')?.disabled).toBe(true);
    expect(pw.closest('fieldset')?.getAttribute('aria-describedby')).toBe('settings-viewer');
    await fireEvent.click(screen.getByTestId('settings-section-servers'));
    await fireEvent.click(screen.getByTestId('settings-server-mx'));
    expect(b.calls.some((c) => c.startsWith('setServerUp'))).toBe(false);
  });
});

describe('zone text', () => {
  it('round-trips a zone through the fields', () => {
    const z = {
      mx: [
        { preference: 10, host: 'mx.example.net' },
        { preference: 20, host: 'mx2.example.net' },
      ],
      a: [{ name: 'mx.example.net', address: '127.77.2.25' }],
      spf: 'v=spf1 -all',
      dkim: { selector: 'mail', algorithm: 'rsa', key: 'v=DKIM1; p=' },
      dmarc: 'v=DMARC1; p=none',
    };
    expect(zoneOf(zoneText(z))).toEqual(z);
    expect(zoneOf({ mx: ' \nten mx\n', a: '', spf: '', dkimSelector: '', dkimAlgorithm: 'ed25519', dkimKey: '', dmarc: '' })).toEqual({ mx: [{ preference: -1, host: 'mx' }] });
  });
  it('checks an A line as a host and an address, with its line number', () => {
    expect(checksOf('a', '\nmx.example.net 127.77.2.25')).toEqual([
      { n: 2, kind: 'host', text: 'mx.example.net' },
      { n: 2, kind: 'a', text: '127.77.2.25' },
    ]);
    expect(checksOf('dkimKey', ' ')).toEqual([]);
  });
});
