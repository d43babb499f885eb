import { describe, expect, it } from 'vitest';
import { pairKey, type PairNeed } from '../../core/sequence';
import { geometry, sameGeometry, type Fonts, type Texts } from './draw';

const fonts: Fonts = { nameSize: 13.6, labelSize: 12.8, sans: 'sans-serif', mono: 'monospace' };
const texts: Texts = { name: (id) => id, role: () => 'MTA', note: () => '', fold: (n) => `message (${n} lines)` };
const measure = (text: string) => text.length * 7;
const lanes = ['external', 'mx.example.net', 'mda.example.net'];

describe('sameGeometry (the diagram keeps its geometry while a batch does not move the lanes)', () => {
  it('is true for the geometry of the same lanes and labels, false once a lane moves', () => {
    const pairs = new Map<string, PairNeed>([[pairKey('external', 'mx.example.net'), { chars: 8, foldLines: 0 }]]);
    const a = geometry(lanes, pairs, texts, fonts, measure, 600);
    // A flood: more lines in the fold, but no wider label.
    pairs.set(pairKey('mx.example.net', 'mda.example.net'), { chars: 4, foldLines: 9 });
    const b = geometry(lanes, pairs, texts, fonts, measure, 600);
    expect(sameGeometry(a, b)).toBe(false); // a fold label now crosses the second gap
    pairs.get(pairKey('mx.example.net', 'mda.example.net'))!.foldLines = 10;
    expect(sameGeometry(b, geometry(lanes, pairs, texts, fonts, measure, 600))).toBe(false); // 10 lines: a longer label
    const d = geometry(lanes, pairs, texts, fonts, measure, 600);
    expect(sameGeometry(d, geometry(lanes, pairs, texts, fonts, measure, 600))).toBe(true);
    expect(sameGeometry(d, geometry(lanes, pairs, texts, fonts, measure, 900))).toBe(false); // a wider panel
    expect(sameGeometry(d, geometry(lanes.slice(0, 2), pairs, texts, fonts, measure, 600))).toBe(false);
    expect(sameGeometry(d, geometry(lanes, pairs, texts, { ...fonts }, measure, 600))).toBe(false); // other fonts: drawn anew
  });
});
