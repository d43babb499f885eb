import { describe, expect, it } from 'vitest';
import { treeMove, type TreeItem } from './tree';

// alice (open) › INBOX (open) › message; alice › Sent (leaf); bob (closed)
const items: TreeItem[] = [
  { level: 1, expanded: true },
  { level: 2, expanded: true },
  { level: 3 },
  { level: 2 },
  { level: 1, expanded: false },
];

describe('treeMove', () => {
  it('walks the shown items with ↑ ↓ Home End', () => {
    expect(treeMove(items, 0, 'ArrowDown')).toEqual({ focus: 1 });
    expect(treeMove(items, 4, 'ArrowDown')).toEqual({ none: true });
    expect(treeMove(items, 3, 'ArrowUp')).toEqual({ focus: 2 });
    expect(treeMove(items, 0, 'ArrowUp')).toEqual({ none: true });
    expect(treeMove(items, 2, 'Home')).toEqual({ focus: 0 });
    expect(treeMove(items, 2, 'End')).toEqual({ focus: 4 });
  });

  it('opens with →, then goes to the first child', () => {
    expect(treeMove(items, 4, 'ArrowRight')).toEqual({ toggle: 4 });
    expect(treeMove(items, 1, 'ArrowRight')).toEqual({ focus: 2 });
    expect(treeMove(items, 2, 'ArrowRight')).toEqual({ none: true });
  });

  it('closes with ←, then goes to the parent', () => {
    expect(treeMove(items, 1, 'ArrowLeft')).toEqual({ toggle: 1 });
    expect(treeMove(items, 2, 'ArrowLeft')).toEqual({ focus: 1 });
    expect(treeMove(items, 3, 'ArrowLeft')).toEqual({ focus: 0 });
    expect(treeMove(items, 4, 'ArrowLeft')).toEqual({ none: true });
  });

  it('toggles with Enter and leaves other keys alone', () => {
    expect(treeMove(items, 0, 'Enter')).toEqual({ toggle: 0 });
    expect(treeMove(items, 2, 'Enter')).toBeNull();
    expect(treeMove(items, 0, ' ')).toBeNull();
    expect(treeMove(items, 0, 'Tab')).toBeNull();
    expect(treeMove([], 0, 'ArrowDown')).toBeNull();
  });
});
