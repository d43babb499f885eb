import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from '../../../App.svelte';
import { sampleEvents } from '../../core/testdata';
import { FakeBridge } from '../../testing/fake-bridge';
import { freshStorage } from '../../testing/storage';

async function boot() {
  const b = new FakeBridge(sampleEvents);
  b.catalogs = { en: { 'ui.announce.line': 'Step {step}. {from} to {to}: {line}. {meaning}', 'ui.controls.position': 'Step {step} of {total}' } };
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

async function press(key: string) {
  await fireEvent.keyDown(window, { key });
  await tick();
}

const region = () => screen.getByTestId('announcer');

describe('Announcer', () => {
  beforeEach(() => freshStorage());

  it('is a polite live region that says the current line, who sent it to whom, and what it means', async () => {
    await boot();
    expect(region().getAttribute('aria-live')).toBe('polite');
    expect(region().getAttribute('aria-atomic')).toBe('true');
    expect(region().textContent).toBe('');
    for (let i = 0; i < 3; i++) await press(' ');
    await waitFor(() => expect(screen.getByTestId('position').textContent).toBe('Step 3 of 3'));
    const line = document.querySelector('[data-testid=transcript] [aria-current=step] .text')?.textContent ?? '';
    expect(line).not.toBe('');
    await waitFor(() => expect(region().textContent).toContain(`: ${line}. `));
    expect(region().textContent).toMatch(/^Step 3\. \S.* to \S.*: /);
    // The meaning follows the line: the Inspector's explanation.
    const meaning = [...screen.getByTestId('inspector').querySelectorAll('[data-testid=meaning]')].map((e) => e.textContent).join(' ');
    expect(region().textContent?.endsWith(meaning)).toBe(true);

    // Back: the line now at the cursor is said instead.
    await press('ArrowLeft');
    await waitFor(() => expect(region().textContent).toMatch(/^Step 2\. /));
  });
});
