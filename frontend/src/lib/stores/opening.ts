// Opening a file a link names (?world=URL, ?challenge=URL), the same way
// for world files and challenge files: a file that never arrived is said
// to be unreachable, not wrong.

import { errorText } from '../bridge';
import type { FileStatus } from '../core/savefile';
import { fetchWorld, WorldTooBig } from '../core/worldfile';

/** LinkError: the file a link names could not be fetched (as opposed to a file that is wrong). */
export class LinkError extends Error {}

/** fetchLinked fetches the file a link names; a failure is a LinkError saying why (tooBig: the words for a file over the limit). */
export async function fetchLinked(url: string, f: typeof fetch | undefined, tooBig: string): Promise<string> {
  try {
    return await fetchWorld(url, f);
  } catch (e) {
    throw new LinkError(e instanceof WorldTooBig ? tooBig : errorText(e));
  }
}

/** openFailed is what a failed opening says: the link unreachable (linkKey) or the file refused (failKey), and why. */
export function openFailed(e: unknown, keys: { fail: string; link: string }, url: string, tooBig: string): FileStatus {
  const detail = e instanceof WorldTooBig ? tooBig : e instanceof LinkError ? e.message : errorText(e);
  return { kind: 'bad', key: e instanceof LinkError ? keys.link : keys.fail, params: { url }, detail };
}
