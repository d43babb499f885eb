// Pictures for slides and handouts: the sequence diagram and the topology
// as SVG or PNG, in the interface language, saved as
// maillab-<scenario>-<sequence|topology>.<svg|png>. Used by the panel's
// own button and by the Export dialog.

import { download } from '../../core/export';
import { SequenceModel } from '../../core/sequence';
import { pictureName, sequenceSvg, standaloneSvg, svgToPng, textMeasurer } from '../../core/svgexport';
import type { MailEvent } from '../../core/types';
import type { RunStore } from '../../stores/run.svelte';
import type { UiStore } from '../../stores/ui.svelte';
import { cssColors, cssFonts, geometry, picture, pictureRows, type Geometry, type Measure, type Texts } from './draw';

export type PictureWhat = 'sequence' | 'topology';
export type PictureFormat = 'svg' | 'png';

export interface Picture {
  svg: string;
  width: number;
  height: number;
}

/** sequenceTexts is what the diagram says, in the interface language. */
export function sequenceTexts(run: RunStore, ui: UiStore): Texts {
  // A fold's label is asked for on every batch of a flood (the lanes are
  // laid out for it): each count is worded once.
  const folds = new Map<number, string>();
  return {
    name: (id) => ui.nodeName(run.nodeInfo(id), id),
    role: (id) => run.nodeInfo(id)?.role ?? '',
    note: (ev: MailEvent) => ui.t(ev.code ?? '', { ...ev.params, actor: ui.nodeName(run.nodeInfo(ev.actor), ev.actor) }),
    fold: (n) => {
      let s = folds.get(n);
      if (s === undefined) {
        if (folds.size >= 1000) folds.clear();
        folds.set(n, (s = ui.t('ui.sequence.message', { n })));
      }
      return s;
    },
  };
}

/** gutterWidth is the width of the step numbers' column (it also holds the picture button). */
export function gutterWidth(steps: number, labelSize: number): number {
  return Math.max(34, Math.ceil(String(Math.max(1, steps)).length * labelSize * 0.85 * 0.62) + 12);
}

/** pictureTitle names what a picture shows: "Sequence diagram — Send a mail, fetch it with POP3". */
function pictureTitle(run: RunStore, ui: UiStore, key: string): string {
  const id = run.run?.scenario;
  const s = run.scenarios.find((x) => x.id === id)?.title ?? id ?? '';
  return s ? `${ui.t(key)} — ${s}` : ui.t(key);
}

/** themeElement is where the theme's variables are read: the app, or the document. */
const themeElement = (): Element => document.querySelector('[data-testid=app]') ?? document.documentElement;

/**
 * sequencePicture draws the diagram at the view's cursor as one SVG. From
 * the panel it takes the panel's model, open folds and geometry; from the
 * Export dialog it builds them from the run (folds closed, lanes at their
 * narrowest).
 */
export function sequencePicture(
  run: RunStore,
  ui: UiStore,
  view?: { model: SequenceModel; open: ReadonlySet<number>; g: Geometry; rowH: number; measure: Measure },
): Picture {
  const texts = sequenceTexts(run, ui);
  const measure = view?.measure ?? textMeasurer();
  const model = view?.model ?? new SequenceModel().addAll(run.events);
  const g = view?.g ?? geometry(run.lanes, model.pairs, texts, cssFonts(themeElement()), measure, 0);
  const rowH = view?.rowH ?? (ui.presenter ? 30 : 22);
  const rows = pictureRows(g, model, run.cursor, texts, measure, view?.open, (i) => run.stepsIn(i, i + 1)[0]);
  const p = picture(g, rows, texts, pictureTitle(run, ui, 'ui.sequence.title'), rowH, gutterWidth(run.cursor, g.fonts.labelSize));
  const svg = sequenceSvg(p, cssColors(themeElement()));
  return { svg, width: p.gutter + p.width, height: p.headerH + rows.length * rowH + 6 };
}

/** topologyPicture makes the topology's drawing standalone (null when it is not on the page). */
export function topologyPicture(run: RunStore, ui: UiStore): Picture | null {
  const svg = document.querySelector<SVGSVGElement>('[data-testid=topology] svg');
  if (!svg) return null;
  const c = cssColors(themeElement());
  return standaloneSvg(svg, { title: pictureTitle(run, ui, 'ui.topology.title'), bg: c.bg });
}

/** blobBase64 is a blob's bytes in base64, for the desktop's Go side. */
async function blobBase64(b: Blob): Promise<string> {
  const bytes = new Uint8Array(await b.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** savePicture downloads a picture (the desktop app: asks where to save it) and returns its file name or path. */
export async function savePicture(
  what: PictureWhat,
  format: PictureFormat,
  run: RunStore,
  ui: UiStore,
  view?: Parameters<typeof sequencePicture>[2],
): Promise<string> {
  const p = what === 'sequence' ? sequencePicture(run, ui, view) : topologyPicture(run, ui);
  if (!p) throw new Error('the topology is not on screen');
  const name = pictureName(run.run?.scenario, what, format);
  const blob = format === 'svg' ? new Blob([p.svg], { type: 'image/svg+xml' }) : await svgToPng(p.svg, p.width, p.height, 2);
  if (ui.bridge.savePicture) return ui.bridge.savePicture(name, format, await blobBase64(blob), ui.lang);
  download({ name, blob });
  return name;
}
