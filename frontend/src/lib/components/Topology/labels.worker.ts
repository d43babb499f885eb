// The topology's label searches, off the page's main thread: each message
// is a job (core/labeljobs.ts), each answer what the same call gives in the page.

import { runJob, type FromLabeller, type ToLabeller } from '../../core/labeljobs';

// The few parts of a worker's global scope used here (the webworker lib
// would clash with the DOM types of the rest of the program).
interface WorkerScope {
  postMessage(m: FromLabeller): void;
  onmessage: ((e: MessageEvent<ToLabeller>) => void) | null;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  const { id, job } = e.data;
  let out: FromLabeller;
  try {
    out = { id, result: runJob(job) };
  } catch (err) {
    out = { id, error: String(err) };
  }
  scope.postMessage(out);
};
