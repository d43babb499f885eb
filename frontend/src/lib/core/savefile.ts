// Saving a file the Go side makes (a world file, a challenge file): the
// desktop app asks where through its own dialog; a browser downloads it.

import { download } from './export';
import type { ExportBlob } from './types';

/** FileStatus: what came of saving or opening, a catalogue key (translated when shown) and the Go side's error as it is. */
export interface FileStatus {
  kind: 'ok' | 'bad';
  key: string;
  params?: Record<string, string>;
  detail?: string;
}

/**
 * saveFile saves through viaDialog when the desktop has one (it answers
 * the path it wrote, '' when the user cancelled), else downloads the file
 * make builds; keys are the dialog's catalogue keys for the three
 * outcomes. A failure is the caller's to report.
 */
export async function saveFile(
  keys: { saved: string; notSaved: string; downloaded: string },
  viaDialog: (() => Promise<string>) | undefined,
  make: () => Promise<ExportBlob>,
  save: (file: ExportBlob) => void = download,
): Promise<FileStatus> {
  if (viaDialog) {
    const path = await viaDialog();
    return path ? { kind: 'ok', key: keys.saved, params: { path } } : { kind: 'ok', key: keys.notSaved };
  }
  const file = await make();
  save(file);
  return { kind: 'ok', key: keys.downloaded, params: { name: file.name } };
}
