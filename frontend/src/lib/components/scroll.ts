// A scroll position set from code forces a layout: the browser must know
// how far the element can scroll. Set while the interface updates (in an
// effect), each write forces one, and the rows the new position shows
// change the page again before it is drawn. scrollLater keeps the writes
// until the updates are done and makes them together, before the frame is
// drawn: one layout for all of them.

const pending = new Map<Element, { top?: number; left?: number }>();
let scheduled = false;

/** scrollLater scrolls el to top and/or left once the current updates are done (a microtask later). */
export function scrollLater(el: Element, to: { top?: number; left?: number }): void {
  pending.set(el, { ...pending.get(el), ...to });
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    for (const [e, p] of pending) {
      if (p.top !== undefined) e.scrollTop = p.top;
      if (p.left !== undefined) e.scrollLeft = p.left;
    }
    pending.clear();
  });
}
