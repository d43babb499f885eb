// Virtual list arithmetic: which rows of a fixed-height list are on screen.

export interface Window {
  start: number; // first row to render
  end: number; // one past the last row to render
}

export function visibleWindow(scrollTop: number, height: number, rowH: number, count: number, overscan = 5): Window {
  if (rowH <= 0 || count === 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowH);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, height)) / rowH);
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) };
}

/**
 * scrollToShow returns the scrollTop that brings row i of count into view, or
 * null when it is visible already. It never goes past the end of the list
 * (count rows; height is what shows of them): the browser would stop there
 * and its scroll event would move the window again, a second render of every
 * row (the newest line of a flood is the last row, and its margin below does
 * not exist).
 */
export function scrollToShow(i: number, scrollTop: number, height: number, rowH: number, count = Infinity, margin = 1): number | null {
  const top = i * rowH;
  const bottom = top + rowH;
  const max = Math.max(0, count * rowH - height);
  let to: number;
  if (top < scrollTop + margin * rowH) to = top - margin * rowH;
  else if (bottom > scrollTop + height - margin * rowH) to = bottom - height + margin * rowH;
  else return null;
  to = Math.max(0, Math.min(max, to));
  return to === scrollTop ? null : to;
}
