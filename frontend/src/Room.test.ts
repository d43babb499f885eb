import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { RoomPushed, ShowRoomPushed } from './lib/bridge/events';
import { sampleEvents } from './lib/core/testdata';
import { FakeBridge } from './lib/testing/fake-bridge';
import { freshStorage } from './lib/testing/storage';

async function boot(b = new FakeBridge(sampleEvents)) {
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

describe('the room screen', () => {
  beforeEach(() => freshStorage());

  it('opens a room from its form, draws the QR code from booleans and follows the pushes', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('room-open'));
    await waitFor(() => expect(screen.getByTestId('room-form')).toBeTruthy());
    expect((screen.getByTestId('room-bind') as HTMLInputElement).value).toBe('10.0.0.5');
    expect(document.querySelector('main')?.inert).toBe(true);
    await fireEvent.input(screen.getByTestId('room-name'), { target: { value: 'room42' } });
    await fireEvent.submit(screen.getByTestId('room-form'));
    await waitFor(() => expect(screen.getByTestId('room-code').textContent).toBe('K7Q-M4P'));
    expect(b.calls).toContain('hostRoom:room42:10.0.0.5');
    expect(screen.getByTestId('room-command').textContent).toBe('maillab classroom join 10.0.0.5:7625 --code K7Q-M4P --name YOUR-NAME');
    // [[true, false], [false, true]]: two dark modules, inside the quiet zone, on white.
    const rects = [...screen.getByTestId('room-qr').querySelectorAll('rect')].map((r) => [r.getAttribute('x'), r.getAttribute('y'), r.getAttribute('fill')]);
    expect(rects).toEqual([
      [null, null, '#fff'],
      ['4', '4', '#000'],
      ['5', '5', '#000'],
    ]);

    // A student joins, another, a delivery: the map, the list and the live region follow.
    const now = new Date().toISOString();
    b.room = {
      ...b.room,
      nodes: ['anna', 'ben'].map((n) => ({ name: n, domain: `${n}.room42.test`, address: '10.0.0.9', online: true, joined: now, sent: 0, received: 0 })),
      counts: { deliveries: 1, delivered: 0, deferred: 0, bounced: 0, refused: 1, online: 2 },
      entries: [
        { seq: 1, kind: 'joined', time: now, domain: 'anna.room42.test' },
        { seq: 2, kind: 'joined', time: now, domain: 'ben.room42.test' },
        { seq: 3, kind: 'delivery', time: now, from: 'anna.room42.test', to: 'ben.room42.test', outcome: 'refused', status: '5.7.26' },
      ],
      last: 3,
    };
    b.emit(RoomPushed, { open: true, last: 3 });
    await waitFor(() => expect(screen.getAllByTestId('room-node')).toHaveLength(2));
    await waitFor(() => expect(screen.getAllByTestId('room-flight')).toHaveLength(1));
    expect(screen.getByTestId('room-flight').getAttribute('data-outcome')).toBe('refused');
    expect(screen.getByTestId('room-events').querySelectorAll('li')).toHaveLength(3);
    expect(screen.getByTestId('room-live').textContent).toContain('ui.room.announce.many');
    expect(b.calls).toContain('roomScreen:0');

    // Escape leaves the screen; the menu's push brings it back; closing the room.
    await fireEvent.keyDown(screen.getByTestId('room'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('room')).toBeNull());
    b.emit(ShowRoomPushed, null);
    await waitFor(() => expect(screen.getByTestId('room')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('room-close-room'));
    await waitFor(() => expect(screen.getByTestId('room-form')).toBeTruthy());
    expect(b.calls).toContain('closeRoom');
  });

  it("hands out a shipped challenge, shows who solved it in words and a sign, and withdraws it", async () => {
    const b = new FakeBridge(sampleEvents);
    b.challengeList = ['mx-nowhere', 'spf-missing-mta'].map((id) => ({ id, title: `title of ${id}`, task: '', hints: 1 }));
    await boot(b);
    await fireEvent.click(screen.getByTestId('room-open'));
    await fireEvent.submit(await screen.findByTestId('room-form'));
    await waitFor(() => expect((screen.getByTestId('room-challenge-select') as HTMLSelectElement).options.length).toBeGreaterThan(0));
    const select = screen.getByTestId('room-challenge-select') as HTMLSelectElement;
    const id = select.options[1].value;
    await fireEvent.change(select, { target: { value: id } });
    await fireEvent.click(screen.getByTestId('room-challenge-hand-out'));
    await waitFor(() => expect(b.calls).toContain(`handOutChallenge:${id}`));
    await screen.findByTestId('room-challenge-title');
    expect(screen.queryByTestId('room-challenge-select')).toBeNull();

    const now = new Date().toISOString();
    b.room = {
      ...b.room,
      nodes: ['anna', 'ben'].map((n) => ({ name: n, domain: `${n}.room42.test`, address: '10.0.0.9', online: true, joined: now, sent: 0, received: 0, solved: n === 'anna' })),
      challenge: { ...b.room.challenge!, solved: 1, of: 2, solvedLine: '1 of 2 solved' },
      entries: [{ seq: 1, kind: 'solved', time: now, domain: 'anna.room42.test', title: 'MX' }],
      last: 1,
    };
    b.emit(RoomPushed, { open: true, last: 1 });
    await waitFor(() => expect(screen.getByTestId('room-solved-count').textContent).toContain('1 of 2 solved'));
    expect(screen.getByTestId('room-solved-count').textContent).toContain('★');
    const badges = screen.getAllByTestId('room-node-solved');
    expect(badges).toHaveLength(1);
    expect(badges[0].textContent).toContain('★');
    expect(badges[0].closest('[data-testid=room-node]')?.getAttribute('aria-label')).toContain('ui.room.node-solved');
    expect(screen.getByTestId('room-events').querySelector('li.solved')?.textContent).toContain('★');

    await fireEvent.click(screen.getByTestId('room-challenge-withdraw'));
    await waitFor(() => expect(b.calls).toContain('withdrawChallenge'));
    await waitFor(() => expect(screen.getByTestId('room-challenge-select')).toBeTruthy());
  });

  it('a viewer sees that no room is open and has no form', async () => {
    const b = new FakeBridge(sampleEvents);
    b.canControl = false;
    await boot(b);
    await fireEvent.click(screen.getByTestId('room-open'));
    await waitFor(() => expect(screen.getByTestId('room-none')).toBeTruthy());
    expect(screen.queryByTestId('room-form')).toBeNull();
  });
});
