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

/** scrollToShow returns the scrollTop that brings row i into view, or null when it is visible already. */
export function scrollToShow(i: number, scrollTop: number, height: number, rowH: number, margin = 1): number | null {
  const top = i * rowH;
  const bottom = top + rowH;
  if (top < scrollTop + margin * rowH) return Math.max(0, top - margin * rowH);
  if (bottom > scrollTop + height - margin * rowH) return Math.max(0, bottom - height + margin * rowH);
  return null;
}
