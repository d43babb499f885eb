// Exports of the current run: what the dialog may ask for, the download
// URL of browser mode, and turning a response into a file to save.

import { decodeBase64 } from './bytes';
import type { ExportBlob, ExportFile, ExportKind, ExportRequest } from './types';

export const exportKinds: readonly ExportKind[] = ['pcapng', 'text', 'markdown'];

const extensions: Record<ExportKind, string> = { pcapng: 'pcapng', text: 'txt', markdown: 'md' };

/**
 * effectiveRequest is what is really asked for: keys exist only in a
 * capture, keys imply secrets (Wireshark decrypts the passwords sent inside
 * TLS), and a viewer without control gets neither.
 */
export function effectiveRequest(req: ExportRequest, canControl: boolean): ExportRequest {
  const keys = canControl && req.kind === 'pcapng' && req.keys;
  return { ...req, keys, secrets: canControl && (req.secrets || keys) };
}

/** exportPath is the download route of browser mode: GET /api/export/{kind}?lang=…&keys=1&secrets=1. */
export function exportPath(req: ExportRequest): string {
  const q = new URLSearchParams({ lang: req.lang });
  if (req.keys) q.set('keys', '1');
  if (req.secrets) q.set('secrets', '1');
  return `/api/export/${encodeURIComponent(req.kind)}?${q}`;
}

/** fallbackName is the file name when the server named none: maillab-<scenario>-<yyyymmdd-hhmmss>.<ext>. */
export function fallbackName(kind: ExportKind, scenario: string, now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `maillab-${scenario || 'run'}-${stamp}.${extensions[kind]}`;
}

/** filenameFrom reads the file name of a Content-Disposition header, keeping only a plain base name. */
export function filenameFrom(disposition: string | null, fallback: string): string {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  if (!m) return fallback;
  let name = m[1];
  try {
    name = decodeURIComponent(name);
  } catch {
    // not percent-encoded
  }
  name = name.split(/[\\/]/).pop() ?? '';
  return /^[\w.-]+$/.test(name) ? name : fallback;
}

/** fileBlob turns the JSON form of an export into a file to save. */
export function fileBlob(f: ExportFile): ExportBlob {
  const bytes = decodeBase64(f.base64);
  return { name: f.name, blob: new Blob([bytes as BlobPart], { type: f.mime }) };
}

/** download hands a file to the browser: an object URL on a link with download set, clicked once. */
export function download(file: ExportBlob, doc: Document = document): void {
  const url = URL.createObjectURL(file.blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = file.name;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
