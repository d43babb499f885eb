import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from '../../../App.svelte';
import { OpenPushed } from '../../bridge/events';
import { sampleEvents } from '../../core/testdata';
import type { ChallengeStatus } from '../../core/types';
import { FakeBridge } from '../../testing/fake-bridge';
import { freshStorage } from '../../testing/storage';

const en = {
  'ui.challenge.solved': 'Solved!',
  'ui.challenge.unsolved': 'Not solved yet.',
  'ui.challenge.got': 'Found: {got}',
  'ui.challenge.none': 'No challenge is running. Pick one from the list.',
};

async function boot() {
  const b = new FakeBridge(sampleEvents);
  b.catalogs = { en };
  b.challengeList = [
    { id: 'mx-nowhere', title: 'The MX that is not there', task: 'Fix the MX.', hints: 3 },
    { id: 'mailbox-full', title: 'Bob’s mailbox is full', task: 'Make room.', hints: 3 },
  ];
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

const status = (over: Partial<ChallengeStatus>): ChallengeStatus => ({
  id: 'mailbox-full',
  title: 'Bob’s mailbox is full',
  task: 'Make room.',
  goal: [{ key: 'delivered', text: 'A mail from alice is in the inbox of bob', met: false }],
  checked: false,
  met: false,
  solved: false,
  hints: [],
  hintsTotal: 2,
  ...over,
});

describe('Challenges dialog', () => {
  beforeEach(() => freshStorage());

  it("opens with the room's challenge when the classroom's host hands one out, and says when the room map knows it is solved", async () => {
    const b = await boot();
    b.challenge = status({ room: true });
    b.emit(OpenPushed, 'challenges');
    await waitFor(() => expect(screen.getByTestId('challenge-dialog').hasAttribute('open')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('challenge-room').textContent).toContain('ui.challenge.room'));
    expect(screen.queryByTestId('challenge-reported')).toBeNull();

    b.challenge = status({ room: true, checked: true, met: true, solved: true, reported: true, goal: [{ key: 'delivered', text: 'A mail …', met: true }] });
    await fireEvent.click(screen.getByTestId('challenge-check'));
    await waitFor(() => expect(screen.getByTestId('challenge-reported').textContent).toContain('ui.challenge.reported'));

    // Withdrawn: the open dialog asks again and shows that none runs.
    b.challenge = { id: '', goal: [], checked: false, met: false, solved: false, hints: [], hintsTotal: 0 };
    b.emit(OpenPushed, 'challenges-changed');
    await waitFor(() => expect(screen.queryByTestId('challenge-room')).toBeNull());
    expect(screen.getByTestId('challenge-detail').textContent).toContain(en['ui.challenge.none']);
  });

  it('lists the challenges, starts one, shows the result, hints one at a time and the explanation when solved', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('challenge-open'));
    expect(screen.getByTestId('challenge-dialog').hasAttribute('open')).toBe(true);
    await waitFor(() => expect(screen.getByTestId('challenge-list').querySelectorAll('li')).toHaveLength(2));
    expect(screen.getByTestId('challenge-detail').textContent).toContain(en['ui.challenge.none']);

    b.challenge = status({});
    await fireEvent.click(screen.getByTestId('challenge-start-mailbox-full'));
    await waitFor(() => expect(screen.getByTestId('challenge-name').textContent).toBe('Bob’s mailbox is full'));
    expect(b.calls).toContain('startChallenge:mailbox-full:en');
    expect(screen.getByTestId('challenge-start-mailbox-full').getAttribute('aria-current')).toBe('true');
    expect(screen.getByTestId('challenge-result').textContent?.trim()).toBe('');

    b.challenge = status({ checked: true, goal: [{ key: 'delivered', text: 'A mail …', met: false, got: 'bounced: 552 5.2.2' }] });
    await fireEvent.click(screen.getByTestId('challenge-check'));
    await waitFor(() => expect(screen.getByTestId('challenge-result').textContent).toContain('Not solved yet.'));
    expect(screen.getByTestId('challenge-goal').textContent).toContain('Found: bounced: 552 5.2.2');
    expect(screen.getByTestId('challenge-goal').querySelector('.mark')?.textContent).toBe('✗');
    expect(screen.queryByTestId('challenge-explanation')).toBeNull();

    b.challenge = status({ checked: true, hints: ['first'] });
    await fireEvent.click(screen.getByTestId('challenge-hint'));
    await waitFor(() => expect(screen.getByTestId('challenge-hints').querySelectorAll('li')).toHaveLength(1));
    b.challenge = status({ checked: true, hints: ['first', 'second'] });
    await fireEvent.click(screen.getByTestId('challenge-hint'));
    await waitFor(() => expect(screen.getByTestId('challenge-hints').querySelectorAll('li')).toHaveLength(2));
    expect((screen.getByTestId('challenge-hint') as HTMLButtonElement).disabled, 'no more hints').toBe(true);

    b.challenge = status({ checked: true, met: true, solved: true, hints: ['first', 'second'], explanation: 'Because.', goal: [{ key: 'delivered', text: 'A mail …', met: true }] });
    await fireEvent.click(screen.getByTestId('challenge-check'));
    await waitFor(() => expect(screen.getByTestId('challenge-result').textContent).toContain('Solved!'));
    expect(screen.getByTestId('challenge-explanation').textContent).toBe('Because.');
    expect(screen.getByTestId('challenge-goal').querySelector('.mark')?.textContent).toBe('✓');

    await fireEvent.click(screen.getByTestId('challenge-close'));
    expect(screen.getByTestId('challenge-dialog').hasAttribute('open')).toBe(false);
  });

  it('leads to the World file dialog', async () => {
    const b = await boot();
    b.challenge = status({});
    await fireEvent.click(screen.getByTestId('challenge-open'));
    await waitFor(() => expect(screen.getByTestId('challenge-name')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('challenge-world'));
    expect(screen.getByTestId('challenge-dialog').hasAttribute('open')).toBe(false);
    expect(screen.getByTestId('world-dialog').hasAttribute('open')).toBe(true);
  });
});
