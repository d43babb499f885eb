// Work the page can do later (the topology's label searches) should not
// take a CPU from the frames while a flood of events scrolls by: on a
// machine with two cores the search, and the compiler that makes its code
// fast once it runs hot, take time the frames need. whenQuiet holds such
// work until no event has come in for `calm` ms (looking at the page's idle
// moments: the gaps between frames, or between the network's batches, are
// not the end of a flood), or until `most` ms have passed, so a flood that
// never ends still gets its labels.

export type Later = (f: () => void) => void;

/** idleOrSoon runs f when the page is idle (at most `within` ms later), or after `within` ms where there is no requestIdleCallback (WebKitGTK). */
export function idleOrSoon(within = 250): Later {
  return (f) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => f(), { timeout: within });
    else setTimeout(f, Math.min(within, 50));
  };
}

/**
 * whenQuiet gives a scheduler that runs f once stamp() (a count of the
 * events taken in) has stayed the same for calm ms, looking at each idle
 * moment (idle), or once most ms (now) have passed since f was given.
 */
export function whenQuiet(stamp: () => number, calm = 150, most = 2000, idle: Later = idleOrSoon(), now: () => number = Date.now): Later {
  return (f) => {
    const start = now();
    let last = stamp();
    let since = start;
    const look = () => {
      const s = stamp();
      const t = now();
      if (s !== last) [last, since] = [s, t];
      if (t - since >= calm || t - start >= most) f();
      else idle(look);
    };
    idle(look);
  };
}
