// Keyboard moves in a tree view (the WAI-ARIA tree pattern), on the items
// as they are shown: a flat list in document order, each with its level and
// whether it is expanded (undefined for a leaf). No DOM here: the component
// reads the items and carries out the move.

export interface TreeItem {
  /** 1 for a top item, 2 for its children, … */
  level: number;
  /** true or false for an item with children, undefined for a leaf */
  expanded?: boolean;
}

/** What a key does: focus another item, or expand/collapse this one. */
export type TreeMove = { focus: number } | { toggle: number } | { none: true };

/**
 * treeMove says what key does on item i; null for a key the tree leaves
 * alone (Space steps the run, Tab moves on). ↓ ↑ go to the next and the
 * previous item, Home and End to the first and the last, → opens a closed
 * item or goes to its first child, ← closes an open item or goes to its
 * parent, Enter opens or closes.
 */
export function treeMove(items: readonly TreeItem[], i: number, key: string): TreeMove | null {
  const it = items[i];
  if (!it) return null;
  const stay: TreeMove = { none: true };
  switch (key) {
    case 'ArrowDown':
      return i + 1 < items.length ? { focus: i + 1 } : stay;
    case 'ArrowUp':
      return i > 0 ? { focus: i - 1 } : stay;
    case 'Home':
      return { focus: 0 };
    case 'End':
      return { focus: items.length - 1 };
    case 'ArrowRight':
      if (it.expanded === false) return { toggle: i };
      if (it.expanded && items[i + 1]?.level > it.level) return { focus: i + 1 };
      return stay;
    case 'ArrowLeft': {
      if (it.expanded) return { toggle: i };
      for (let j = i - 1; j >= 0; j--) if (items[j].level < it.level) return { focus: j };
      return stay;
    }
    case 'Enter':
      return it.expanded === undefined ? null : { toggle: i };
    default:
      return null;
  }
}
