import { describe, expect, it } from 'vitest';
import { emptyForm, moveHint, removeHint, senderOf, toDraft, type GoalChoices } from './chedit';

const choices: GoalChoices = {
  facts: [
    {
      key: 'delivered',
      name: 'A mail arrives',
      params: [
        { key: 'to', name: 'Recipient', options: [{ value: 'alice@example.org', label: 'alice@example.org' }, { value: 'bob@example.net', label: 'bob@example.net' }] },
        { key: 'from', name: 'Sender', options: [{ value: 'alice@example.org', label: 'alice@example.org' }, { value: 'bob@example.net', label: 'bob@example.net' }] },
        { key: 'folder', name: 'Folder', options: [], optional: true },
        { key: 'dkim', name: 'DKIM result', options: [{ value: 'pass', label: 'pass' }], optional: true },
      ],
    },
    { key: 'queue-empty', name: 'No mail waits', params: [] },
    { key: 'fetched-by', name: 'Devices have fetched the mail', params: [{ key: 'devices', name: 'Devices', options: [{ value: 'bob-phone', label: 'bob-phone (bob@example.net)' }], many: true }] },
  ],
  devices: [
    { value: 'alice-laptop', label: 'alice-laptop (alice@example.org)' },
    { value: 'bob-phone', label: 'bob-phone (bob@example.net)' },
  ],
  accounts: [
    { value: 'alice@example.org', label: 'alice@example.org' },
    { value: 'bob@example.net', label: 'bob@example.net' },
  ],
  routes: [{ value: '587', label: 'submission' }, { value: '25', label: 'MX' }],
};

describe('challenge editor form', () => {
  it('starts with Alice writing to Bob and a mail that must arrive', () => {
    const f = emptyForm(choices);
    expect(f.device).toBe('alice-laptop');
    expect(f.to).toBe('bob@example.net');
    expect(f.facts.delivered.on).toBe(true);
    expect(f.facts.delivered.values).toEqual({ to: 'bob@example.net', from: 'alice@example.org', folder: '', dkim: '' });
    expect(f.facts['queue-empty'].on).toBe(false);
    expect(f.hints).toEqual(['']);
  });

  it('turns the form into the draft, leaving out what is not asked for', () => {
    const f = emptyForm(choices);
    f.title = 'T';
    f.hints = ['one', 'two'];
    f.facts.delivered.values.dkim = 'pass';
    f.facts['fetched-by'].on = true;
    f.facts['fetched-by'].values.devices = ['bob-phone'];
    const d = toDraft(f);
    expect(d.goal).toEqual({ delivered: { to: 'bob@example.net', from: 'alice@example.org', dkim: 'pass' }, fetchedBy: ['bob-phone'] });
    expect(d.test).toEqual({ device: 'alice-laptop', to: 'bob@example.net' });
    expect(d.hints).toEqual(['one', 'two']);
    f.route = '25';
    f.facts.delivered.on = false;
    f.facts['queue-empty'].on = true;
    expect(toDraft(f).goal).toEqual({ queueEmpty: true, fetchedBy: ['bob-phone'] });
    expect(toDraft(f).test.route).toBe('25');
  });

  it('moves and removes hints', () => {
    expect(moveHint(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveHint(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveHint(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(removeHint(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
  });

  it('knows whose account a device sends as', () => {
    expect(senderOf(choices, 'bob-phone')).toBe('bob@example.net');
    expect(senderOf(choices, 'nope')).toBe('');
  });
});
