import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../../App.svelte';
import type { GoalChoices } from '../../core/chedit';
import { sampleEvents } from '../../core/testdata';
import { FakeBridge } from '../../testing/fake-bridge';
import { freshStorage } from '../../testing/storage';

const goals: GoalChoices = {
  facts: [
    {
      key: 'delivered',
      name: 'A mail arrives',
      params: [
        { key: 'to', name: 'Recipient', options: [{ value: 'alice@example.org', label: 'alice@example.org' }, { value: 'bob@example.net', label: 'bob@example.net' }] },
        { key: 'from', name: 'Sender', options: [{ value: 'alice@example.org', label: 'alice@example.org' }, { value: 'bob@example.net', label: 'bob@example.net' }] },
        { key: 'dmarc', name: 'DMARC result', options: [{ value: 'pass', label: 'pass' }], optional: true },
      ],
    },
    { key: 'queue-empty', name: 'No mail waits', params: [] },
  ],
  devices: [
    { value: 'alice-laptop', label: 'alice-laptop (alice@example.org)' },
    { value: 'bob-phone', label: 'bob-phone (bob@example.net)' },
  ],
  accounts: [
    { value: 'alice@example.org', label: 'alice@example.org' },
    { value: 'bob@example.net', label: 'bob@example.net' },
  ],
  routes: [{ value: '587', label: 'submission' }],
};

const picked = (name: string, text: string) => Object.assign(new File([text], name), { text: async () => text });

async function boot() {
  const b = new FakeBridge(sampleEvents);
  b.catalogs = { en: { 'ui.chedit.hint': 'Hint {n}', 'ui.chedit.downloaded': 'Downloaded as {name}.', 'ui.chedit.opened': 'Opened: {title}' } };
  b.goals = goals;
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  await fireEvent.click(screen.getByTestId('challenge-open'));
  return b;
}

const field = (id: string) => screen.getByTestId(id) as HTMLInputElement;

describe('Make a challenge', () => {
  let clicked: HTMLAnchorElement[];
  beforeEach(() => {
    freshStorage();
    clicked = [];
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes texts, hints in order and a goal, and downloads the file', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('challenge-make'));
    await waitFor(() => expect(screen.getByTestId('chedit')).toBeTruthy());
    expect(document.activeElement).toBe(field('chedit-title-input'));
    await fireEvent.input(field('chedit-title-input'), { target: { value: 'Signed?' } });
    await fireEvent.input(field('chedit-task'), { target: { value: 'Make it arrive.' } });
    await fireEvent.input(field('chedit-explanation'), { target: { value: 'The key.' } });
    await fireEvent.input(field('chedit-hint-text-0'), { target: { value: 'second' } });
    await fireEvent.click(screen.getByTestId('chedit-hint-add'));
    await fireEvent.input(field('chedit-hint-text-1'), { target: { value: 'first' } });
    await fireEvent.click(screen.getByTestId('chedit-hint-up-1'));
    expect(field('chedit-hint-text-0').value).toBe('first');
    expect(screen.getByText('Hint 2')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('chedit-hint-add'));
    await fireEvent.click(screen.getByTestId('chedit-hint-remove-2'));
    await fireEvent.change(field('chedit-delivered-dmarc'), { target: { value: 'pass' } });
    await fireEvent.click(screen.getByTestId('chedit-fact-queue-empty'));

    await fireEvent.click(screen.getByTestId('chedit-save'));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0].download).toBe('maillab-challenge.yaml');
    expect(b.drafts[0]).toEqual({
      title: 'Signed?',
      task: 'Make it arrive.',
      explanation: 'The key.',
      hints: ['first', 'second'],
      test: { device: 'alice-laptop', to: 'bob@example.net' },
      goal: { delivered: { to: 'bob@example.net', from: 'alice@example.org', dmarc: 'pass' }, queueEmpty: true },
    });
    expect(screen.getByTestId('chedit-status').textContent).toContain('Downloaded as maillab-challenge.yaml.');

    await fireEvent.click(screen.getByTestId('chedit-back'));
    expect(screen.queryByTestId('chedit')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('challenge-make'));
  });

  it('tries the draft at once: the play view shows it, or the editor keeps the error', async () => {
    const b = await boot();
    await fireEvent.click(screen.getByTestId('challenge-make'));
    await waitFor(() => expect(screen.getByTestId('chedit')).toBeTruthy());
    b.openChallengeError = 'hints[0]: is empty';
    await fireEvent.click(screen.getByTestId('chedit-try'));
    await waitFor(() => expect(screen.getByTestId('chedit-error').textContent).toBe('hints[0]: is empty'));
    expect(screen.getByTestId('chedit')).toBeTruthy();

    b.openChallengeError = '';
    b.challenge = { id: 'file', own: true, title: 'Mine', task: 't', goal: [], checked: false, met: false, solved: false, hints: [], hintsTotal: 1 };
    await fireEvent.click(screen.getByTestId('chedit-try'));
    await waitFor(() => expect(screen.getByTestId('challenge-name').textContent).toBe('Mine'));
    expect(screen.queryByTestId('chedit')).toBeNull();
    expect(b.calls.filter((c) => c.startsWith('challengeFile') || c.startsWith('openChallenge'))).toEqual(['challengeFile:en', 'openChallenge:en', 'challengeFile:en', 'openChallenge:en']);
  });

  it('opens a picked challenge file and shows it; a refused one shows the error', async () => {
    const b = await boot();
    b.openChallengeError = 'task: is missing (line 1)';
    const input = field('challenge-file-input');
    expect(input.tabIndex).toBe(-1);
    await fireEvent.change(input, { target: { files: [picked('c.yaml', 'maillab-challenge: 1\n')] } });
    await waitFor(() => expect(screen.getByTestId('challenge-open-error').textContent).toBe('task: is missing (line 1)'));

    b.openChallengeError = '';
    b.challenge = { id: 'file', own: true, title: 'Signed?', task: 'Make it arrive.', goal: [], checked: false, met: false, solved: false, hints: [], hintsTotal: 2 };
    await fireEvent.change(input, { target: { files: [picked('c.yaml', 'maillab-challenge: 1\n')] } });
    await waitFor(() => expect(screen.getByTestId('challenge-name').textContent).toBe('Signed?'));
    expect(screen.getByTestId('challenge-open-status').textContent).toContain('Opened: Signed?');
    expect(screen.getByTestId('challenge-own')).toBeTruthy();
    expect(b.calls).toContain('openChallenge:en');
  });
});
