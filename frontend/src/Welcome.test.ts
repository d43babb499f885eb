import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { sampleEvents } from './lib/core/testdata';
import { loadWhere, saveWhere } from './lib/core/where';
import { FakeBridge } from './lib/testing/fake-bridge';
import { lessonEn } from './lib/testing/lesson-fixture';

function bridge(running = false): FakeBridge {
  const b = new FakeBridge(sampleEvents);
  b.lessonsByLang = { en: [lessonEn] };
  if (running) void b.start('live'); // as desktop and serve start: the live world already runs
  return b;
}

async function boot(b: FakeBridge) {
  render(App, { props: { bridge: b } });
  await waitFor(() => expect(document.querySelector('[data-ready="true"]')).not.toBeNull());
  return b;
}

async function key(k: string) {
  await fireEvent.keyDown(window, { key: k });
  await tick();
}

describe('first start and where the learner left off', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('greets a first start with one button into lesson 1; the keys wait for the answer', async () => {
    const b = await boot(bridge(true));
    const start = await screen.findByTestId('welcome-start');
    expect(screen.getByTestId('welcome').hasAttribute('open')).toBe(true);
    expect(start.textContent).toContain('ui.welcome.start');
    expect(b.calls).not.toContain(`lesson:${lessonEn.id}:en`);
    await key(' '); // not a step while the welcome view is open
    expect(b.calls.filter((c) => c === 'step')).toHaveLength(0);
    await fireEvent.click(start);
    await waitFor(() => expect(b.calls).toContain(`lesson:${lessonEn.id}:en`));
    expect(screen.getByTestId('welcome').hasAttribute('open')).toBe(false);
    await waitFor(() => expect(loadWhere(localStorage)).toEqual({ welcomed: true, lesson: lessonEn.id, scenario: undefined }));
  });

  it('"look around" closes it for good and stays on the running world', async () => {
    const b = await boot(bridge(true));
    await fireEvent.click(await screen.findByTestId('welcome-explore'));
    await waitFor(() => expect(loadWhere(localStorage).welcomed).toBe(true));
    expect(b.calls).not.toContain(`lesson:${lessonEn.id}:en`);
  });

  it('opens the lesson of last time, without the welcome view', async () => {
    saveWhere(localStorage, { welcomed: true, lesson: lessonEn.id });
    const b = await boot(bridge(true));
    await waitFor(() => expect(b.calls).toContain(`lesson:${lessonEn.id}:en`));
    expect(screen.getByTestId('welcome').hasAttribute('open')).toBe(false);
  });

  it('F toggles presenter mode: the sequence diagram folds into the tabs, the current line shows its meaning', async () => {
    saveWhere(localStorage, { welcomed: true });
    await boot(bridge());
    expect(screen.getByTestId('sequence').closest('[data-testid="side"]')).toBeNull();
    await key('f');
    expect(document.documentElement.dataset.presenter).toBe('true');
    expect(screen.getByTestId('current-line')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('tab-sequence'));
    expect(screen.getByTestId('sequence').closest('[data-testid="side"]')).not.toBeNull();
    await key('F');
    expect(document.documentElement.dataset.presenter).toBe('false');
    expect(screen.queryByTestId('current-line')).toBeNull();
  });
});
