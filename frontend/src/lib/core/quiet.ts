// Work the page can do later (the topology's label searches) should not
// take a CPU from the frames while a flood of events scrolls by: on a
// machine with two cores the search, and the compiler that makes its code
// fast once it runs hot, take time the frames need. whenQuiet holds such
// work until the page is idle and no event came in since it last looked
// (the flood is over; after a Step that is the first idle moment), or until
// `most` ms have passed, so a flood that never ends still gets its labels.

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
 * events taken in) stayed the same from one look to the next, looking at
 * each idle moment (idle), or once most ms (now) have passed since f was given.
 */
export function whenQuiet(stamp: () => number, most = 2000, idle: Later = idleOrSoon(), now: () => number = Date.now): Later {
  return (f) => {
    const since = now();
    let last = stamp();
    const look = () => {
      const s = stamp();
      if (s === last || now() - since >= most) f();
      else {
        last = s;
        idle(look);
      }
    };
    idle(look);
  };
}
