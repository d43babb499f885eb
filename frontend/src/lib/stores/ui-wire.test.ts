import { describe, expect, it } from 'vitest';
import type { MailEvent } from '../core/types';
import { FakeBridge } from '../testing/fake-bridge';
import { freshStorage } from '../testing/storage';
import { sequenceTexts } from '../components/Sequence/picture';
import { RunStore } from './run.svelte';
import { UiStore } from './ui.svelte';

const line = (text: string, key: string): MailEvent => ({ seq: 1, kind: 'line', conn: 1, dir: 'C', text, explain: { key, params: { n: '3' } } });

describe('words asked for on every frame are worded once, in the language of the moment', () => {
  it('wireText: the same line gives the same text; another catalog or language words it anew', () => {
    freshStorage();
    const ui = new UiStore(new FakeBridge([]));
    ui.catalog = { 'explain.x': 'en {n}' };
    const a = line('line 1', 'explain.x');
    expect(ui.wireText(a)).toBe('en 3');
    expect(ui.wireText(a)).toBe('en 3');
    expect(ui.hoverText('line 1', a)).toBe('line 1\n\nen 3');
    expect(ui.wireText(line('x', 'explain.none'))).toBe('explain.none');
    expect(ui.wireText({ seq: 2, kind: 'line' })).toBe('');
    ui.catalog = { 'explain.x': 'de {n}' };
    expect(ui.wireText(a)).toBe('de 3');
    ui.lang = ui.lang === 'pl' ? 'de' : 'pl';
    expect(ui.wireText(a)).toBe('de 3');
  });

  it("the sequence diagram's fold label: each count once, as the catalog says it", () => {
    freshStorage();
    const bridge = new FakeBridge([]);
    const ui = new UiStore(bridge);
    ui.catalog = { 'ui.sequence.message': 'message ({n, plural, one {# line} other {# lines}})' };
    const texts = sequenceTexts(new RunStore(bridge), ui);
    expect(texts.fold(1)).toBe('message (1 line)');
    expect(texts.fold(10000)).toBe('message (10000 lines)');
    for (let n = 0; n < 3000; n++) expect(texts.fold(n)).toBe(`message (${n} ${n === 1 ? 'line' : 'lines'})`);
  });
});
