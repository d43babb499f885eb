import { describe, expect, it } from 'vitest';
import { saveFile } from './savefile';
import type { ExportBlob } from './types';

const keys = (p: string) => ({ saved: `${p}.saved`, notSaved: `${p}.not-saved`, downloaded: `${p}.downloaded` });
const file: ExportBlob = { name: 'maillab-world.yaml', blob: new Blob(['x']) };

describe('saveFile', () => {
  it('saves through the desktop dialog: the path, or nothing when cancelled', async () => {
    let made = 0;
    const make = async () => (made++, file);
    expect(await saveFile(keys('ui.world'), async () => '/home/t/w.yaml', make)).toEqual({ kind: 'ok', key: 'ui.world.saved', params: { path: '/home/t/w.yaml' } });
    expect(await saveFile(keys('ui.chedit'), async () => '', make)).toEqual({ kind: 'ok', key: 'ui.chedit.not-saved' });
    expect(made).toBe(0);
  });
  it('downloads the file the Go side made when there is no dialog', async () => {
    const saved: ExportBlob[] = [];
    const st = await saveFile(keys('ui.chedit'), undefined, async () => file, (f) => saved.push(f));
    expect(st).toEqual({ kind: 'ok', key: 'ui.chedit.downloaded', params: { name: 'maillab-world.yaml' } });
    expect(saved).toEqual([file]);
  });
  it('leaves a failure to the caller', async () => {
    await expect(saveFile(keys('ui.world'), undefined, async () => Promise.reject(new Error('no run')))).rejects.toThrow('no run');
  });
});
