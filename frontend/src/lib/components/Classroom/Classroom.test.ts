import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from '../../../App.svelte';
import { OpenPushed } from '../../bridge/events';
import { sampleEvents } from '../../core/testdata';
import { FakeBridge } from '../../testing/fake-bridge';
import { freshStorage } from '../../testing/storage';

const en = {
  'ui.classroom.you-are': 'You are the mail provider {domain}. Your mail goes only to the providers of {zone}.',
  'ui.classroom.devices': 'Send and read with: {devices}.',
};

async function boot(b = new FakeBridge(sampleEvents)) {
  b.catalogs = { en };
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const dialogOpen = () => screen.getByTestId('classroom-dialog').hasAttribute('open');

async function fill(address: string, code: string, name: string) {
  await fireEvent.input(input('classroom-address-input'), { target: { value: address } });
  await fireEvent.input(input('classroom-code-input'), { target: { value: code } });
  await fireEvent.input(input('classroom-name-input'), { target: { value: name } });
}

describe('Classroom dialog', () => {
  beforeEach(() => freshStorage());

  it('joins from the toolbar: the live world runs, the dialog shows the domain, account and password, and Leave leaves', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('classroom-open'));
    await tick();
    expect(dialogOpen()).toBe(true);
    await waitFor(() => expect(b.calls).toContain('roomStatus:en'));
    const steps = b.calls.filter((c) => c === 'step').length;
    await fireEvent.keyDown(window, { key: ' ' });
    expect(b.calls.filter((c) => c === 'step').length).toBe(steps); // the dialog has the keys

    await fill(' 10.0.0.5 ', 'k7q-m4p', 'anna');
    await fireEvent.click(screen.getByTestId('classroom-join'));
    await waitFor(() => expect(screen.getByTestId('classroom-domain').textContent).toBe('anna.room42.test'));
    expect(b.calls).toContain('joinRoom:10.0.0.5:k7q-m4p:anna:en');
    expect(b.calls).toContain('start:live');
    expect(screen.getByTestId('classroom-account').textContent).toBe('anna@anna.room42.test');
    expect(screen.getByTestId('classroom-password').textContent).toBe('cdef-ghjk-mnpq');
    expect(screen.getByTestId('classroom-address').textContent).toBe('10.0.0.7');
    expect(screen.getByTestId('classroom-summary').textContent).toBe('You are the mail provider anna.room42.test. Your mail goes only to the providers of room42.test.');
    expect(screen.getByTestId('classroom-dialog').textContent).toContain('Send and read with: anna-laptop, anna-phone.');
    expect(screen.queryByTestId('classroom-error')).toBeNull();

    await waitFor(() => expect((screen.getByTestId('classroom-leave') as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(screen.getByTestId('classroom-leave'));
    await waitFor(() => expect(screen.queryByTestId('classroom-domain')).toBeNull());
    expect(b.calls).toContain('leaveRoom');
    expect(input('classroom-name-input').value).toBe('anna'); // joining again needs no retyping

    await fireEvent.keyDown(window, { key: 'Escape' });
    await tick();
    expect(dialogOpen()).toBe(false);
  });

  it("shows the host's refusal as the Go side said it, as text, and stays out of the room", async () => {
    const b = await boot();
    b.joinError = 'Wrong room code. Type the code your teacher shows. <b>not markup</b>';
    await fireEvent.click(screen.getByTestId('classroom-open'));
    const starts = b.calls.filter((c) => c === 'start:live').length;
    await fill('10.0.0.5', 'WRONG', 'anna');
    await fireEvent.click(screen.getByTestId('classroom-join'));
    const err = await screen.findByTestId('classroom-error');
    expect(err.textContent).toBe(b.joinError);
    expect(err.querySelector('b')).toBeNull();
    expect(screen.getByTestId('classroom-status').classList.contains('bad')).toBe(true);
    expect(screen.queryByTestId('classroom-domain')).toBeNull();
    expect(b.calls.filter((c) => c === 'start:live').length).toBe(starts);

    b.joinError = '';
    await fireEvent.click(screen.getByTestId('classroom-join'));
    await waitFor(() => expect(screen.getByTestId('classroom-domain').textContent).toBe('anna.room42.test'));
    expect(screen.queryByTestId('classroom-error')).toBeNull();
  });

  it('a viewer without control cannot join', async () => {
    const b = new FakeBridge(sampleEvents);
    b.canControl = false;
    await boot(b);
    await fireEvent.click(screen.getByTestId('classroom-open'));
    expect((screen.getByTestId('classroom-join') as HTMLButtonElement).disabled).toBe(true);
    expect(b.calls.some((c) => c.startsWith('roomStatus'))).toBe(false);
  });
});

describe('Classroom from the desktop menu', () => {
  beforeEach(() => freshStorage());

  it('opens when the menu asks through the push', async () => {
    const b = await boot();
    expect(dialogOpen()).toBe(false);
    b.emit(OpenPushed, 'classroom');
    await tick();
    expect(dialogOpen()).toBe(true);
  });
});
