// World files (issue #18): the whole set-up of a world as one YAML file.
// The Go side writes and checks them (app.WorldFile, app.OpenWorld); the
// page only moves the text: a download, a file the learner picks, or the
// file a link names (?world=URL).

/** the name a saved world file is offered under, as the desktop app's dialog offers it */
export const worldFileName = 'maillab-world.yaml';

/** the largest world file the Go side takes (worldspec.MaxFileBytes): larger ones are not even read */
export const maxWorldBytes = 16 << 20;

/** the query parameter of a link that opens a world file on start */
export const worldParam = 'world';

/** WorldTooBig: a file over maxWorldBytes, refused before it is read. */
export class WorldTooBig extends Error {
  constructor() {
    super('the file is larger than 16MiB, more than a world file needs');
  }
}

/** worldBlob is a world file's text, ready for download(). */
export function worldBlob(text: string): { name: string; blob: Blob } {
  return { name: worldFileName, blob: new Blob([text], { type: 'application/yaml; charset=utf-8' }) };
}

/** readWorldFile reads a picked file as text (UTF-8), refusing one over the limit before reading it. */
export async function readWorldFile(file: Pick<Blob, 'size' | 'text'>): Promise<string> {
  if (file.size > maxWorldBytes) throw new WorldTooBig();
  return file.text();
}

/** worldLink is the world file a page address names (?world=URL, or another param), resolved against it; '' when none. */
export function worldLink(href: string, param = worldParam): string {
  const url = new URL(href);
  const w = url.searchParams.get(param);
  if (!w) return '';
  try {
    return new URL(w, url).href;
  } catch {
    return w; // fetching it fails with a message that names it
  }
}

/** withoutWorldLink is the page address without ?world= (path, query and hash, for history.replaceState). */
export function withoutWorldLink(href: string, param = worldParam): string {
  const url = new URL(href);
  url.searchParams.delete(param);
  return url.pathname + url.search + url.hash;
}

/**
 * fetchWorld fetches the world file a link names: its text, or an error
 * that says what went wrong (the status, a body over the limit).
 */
export async function fetchWorld(url: string, f: typeof fetch = fetch): Promise<string> {
  const res = await f(url, { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
  const length = Number(res.headers.get('Content-Length') ?? '0');
  if (length > maxWorldBytes) throw new WorldTooBig();
  const text = await res.text();
  if (text.length > maxWorldBytes) throw new WorldTooBig();
  return text;
}
