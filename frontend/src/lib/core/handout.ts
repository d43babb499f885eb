// The printable handout of a lesson: its head and text, the transcript of
// the run so far with what each line means (the texts the transcript and
// the inspector show), the sequence diagram, and the RFCs cited. The
// builder returns plain strings; the component renders them as text, never
// as HTML, so whatever came from the wire prints literally.

import { allVisible, connectionsOf, transcriptRows, type ConnInfo, type TranscriptFilter } from './connections';
import { explain } from './explain';
import { lineText } from './label';
import { sections, parseMarkdown, type Block } from './markdown';
import { protoName } from './nodes';
import { lineRoles, type LineRole } from './protocol';
import { isStepped } from './timeline';
import type { Lesson, LessonNote, MailEvent } from './types';

export type Paper = 'a4' | 'letter';
export const papers: readonly Paper[] = ['a4', 'letter'];

/** Regions that print on Letter paper (the US and its neighbours, the Philippines); elsewhere A4. */
const letterRegions = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'PR', 'GT', 'CR', 'PA', 'SV', 'DO', 'NI']);

/** defaultPaper guesses the paper of a locale ("en-US": Letter, "de-DE", "pl", "en-GB": A4). */
export function defaultPaper(locale: string | undefined): Paper {
  const region = /[-_]([A-Za-z]{2})\b/.exec(locale ?? '')?.[1]?.toUpperCase();
  return region && letterRegions.has(region) ? 'letter' : 'a4';
}

/**
 * pageRule is the @page rule of a paper: its size, margins wide enough
 * for a hole punch, and the page number at the foot.
 */
export function pageRule(paper: Paper): string {
  const size = paper === 'letter' ? 'letter' : 'A4';
  return (
    `@page { size: ${size} portrait; margin: 14mm 14mm 16mm 18mm; ` +
    `@bottom-right { content: counter(page) " / " counter(pages); font: 9pt sans-serif; color: #000; } }`
  );
}

/** One line of a connection's table. */
export interface HandoutLine {
  seq: number;
  /** the step number the app shows for it (Inspector, sequence diagram) */
  step: number;
  dir: string;
  /** the line as it crossed, passwords hidden; TLS records in [brackets] */
  text: string;
  encrypted: boolean;
  tls: boolean;
  /** what it means, in the interface language */
  meaning: string;
  rfc?: string;
}

export type TranscriptItem =
  | { t: 'conn'; title: string; lines: HandoutLine[] }
  /** an action or a state change ("Alice writes to Bob") */
  | { t: 'note'; seq: number; text: string };

export interface TextPart {
  id?: string;
  blocks: Block[];
  /** the lesson's notes the run has reached in this part, in order */
  notes: string[];
}

export interface Ref {
  label: string;
  url: string;
}

export type HandoutSection =
  | { t: 'head'; heading: string; summary: string }
  | { t: 'text'; parts: TextPart[] }
  | { t: 'transcript'; steps: number; items: TranscriptItem[] }
  /** lanes: the names of the diagram's lanes, left to right */
  | { t: 'diagram'; lanes: string[] }
  | { t: 'refs'; refs: Ref[] };

export type Translate = (key: string, params?: Record<string, string>) => string;

export interface HandoutInput {
  lesson: Lesson;
  /** the run's events up to the view's cursor, in order */
  events: readonly MailEvent[];
  /** the notes the view has reached, in the order they happened */
  notes?: readonly LessonNote[];
  t: Translate;
  /** how a node is called ("Alice's laptop", "smtp.example.org") */
  nodeName: (id: string) => string;
  /** the app's step number of an event; by default counted here */
  stepOf?: (seq: number) => number;
  /** the transcript's filter (hidden protocols, TLS records) */
  filter?: TranscriptFilter;
  /** add the sequence diagram's place (when the screen has one to copy) */
  diagram?: boolean;
  /** the diagram's lanes, left to right (node ids) */
  lanes?: readonly string[];
}

/** rolesOf classifies every line of every connection once, as the run index does. */
function rolesOf(events: readonly MailEvent[]): Map<number, LineRole> {
  const byConn = new Map<number, MailEvent[]>();
  for (const ev of events) {
    if (ev.kind !== 'line' || !ev.conn) continue;
    let l = byConn.get(ev.conn);
    if (!l) byConn.set(ev.conn, (l = []));
    l.push(ev);
  }
  const out = new Map<number, LineRole>();
  for (const lines of byConn.values()) {
    const roles = lineRoles(lines[0].proto ?? '', lines);
    lines.forEach((ev, i) => out.set(ev.seq, roles[i]));
  }
  return out;
}

/** rfcURL is where an RFC reads online: "RFC 5321 §4.2" → rfc-editor.org/rfc/rfc5321#section-4.2. */
export function rfcURL(ref: string): string | undefined {
  const m = /RFC\s*(\d{1,5})(?:\s*§\s*([\d.]*\d))?/i.exec(ref);
  if (!m) return undefined;
  return `https://www.rfc-editor.org/rfc/rfc${m[1]}` + (m[2] ? `#section-${m[2]}` : '');
}

/** refsOf lists each RFC the explanations cite once, by number. */
function refsOf(rfcs: Iterable<string>): Ref[] {
  const nums = new Set<number>();
  for (const r of rfcs) for (const m of r.matchAll(/RFC\s*(\d{1,5})/gi)) nums.add(Number(m[1]));
  return [...nums].sort((a, b) => a - b).map((n) => ({ label: `RFC ${n}`, url: `https://www.rfc-editor.org/rfc/rfc${n}` }));
}

function connTitle(c: ConnInfo, t: Translate, name: (id: string) => string): string {
  return t('export.connection', {
    conn: String(c.conn),
    client: name(c.client),
    server: name(c.server),
    proto: protoName(c.proto),
    port: String(c.port),
    addr: c.addr,
  });
}

/** textParts is the lesson body cut into its sections, each with the notes reached in it. */
function textParts(lesson: Lesson, notes: readonly LessonNote[]): TextPart[] {
  const parts: TextPart[] = sections(parseMarkdown(lesson.body)).map((s) => ({ id: s.id, blocks: s.blocks, notes: [] }));
  const ids = new Set(parts.map((p) => p.id).filter(Boolean));
  const loose: string[] = [];
  for (const n of notes) {
    const p = n.section && ids.has(n.section) ? parts.find((x) => x.id === n.section) : undefined;
    (p ? p.notes : loose).push(n.text);
  }
  // Notes without a (known) section stand before the text, as in the lesson panel.
  return loose.length ? [{ blocks: [], notes: loose }, ...parts] : parts;
}

/**
 * buildHandout puts a lesson and the run so far into the sections of the
 * handout, in print order: head, lesson text, transcript, diagram, sources.
 */
export function buildHandout(input: HandoutInput): HandoutSection[] {
  const { lesson, events, t, nodeName } = input;
  const out: HandoutSection[] = [
    { t: 'head', heading: t('ui.lesson.heading', { number: String(lesson.number), title: lesson.title }), summary: lesson.summary },
    { t: 'text', parts: textParts(lesson, input.notes ?? []) },
  ];
  if (!lesson.scenario && events.length === 0) return out;

  let n = 0;
  const counted = new Map<number, number>();
  for (const ev of events) if (isStepped(ev)) counted.set(ev.seq, ++n);
  const stepOf = input.stepOf ?? ((seq: number) => counted.get(seq) ?? 0);

  const roles = rolesOf(events);
  const conns = connectionsOf(events);
  const rfcs: string[] = [];
  const items: TranscriptItem[] = [];
  let table: Extract<TranscriptItem, { t: 'conn' }> | undefined;
  for (const row of transcriptRows(events, conns, input.filter ?? allVisible)) {
    if (row.type === 'header') {
      table = { t: 'conn', title: connTitle(row.conn, t, nodeName), lines: [] };
      items.push(table);
      continue;
    }
    const ev = row.ev;
    if (row.type === 'note') {
      table = undefined;
      items.push({ t: 'note', seq: ev.seq, text: t(ev.code ?? '', { ...ev.params, actor: nodeName(ev.actor ?? '') }) });
      continue;
    }
    const x = explain(ev, { role: roles.get(ev.seq) });
    const meaning = x.items
      .map((m) => t(m.key, m.params && 'actor' in m.params ? { ...m.params, actor: nodeName(m.params.actor) } : m.params))
      .join(' ');
    if (x.rfc) rfcs.push(x.rfc);
    if (!table) {
      // A line without a header (its connection is unknown): a table of its own.
      table = { t: 'conn', title: '', lines: [] };
      items.push(table);
    }
    table.lines.push({
      seq: ev.seq,
      step: stepOf(ev.seq),
      dir: ev.dir ?? '',
      text: row.type === 'tls' ? `[${ev.text ?? ''}]` : lineText(ev), // never revealed on paper
      encrypted: !!ev.encrypted,
      tls: row.type === 'tls',
      meaning,
      rfc: x.rfc,
    });
  }
  out.push({ t: 'transcript', steps: n, items });
  if (input.diagram) out.push({ t: 'diagram', lanes: (input.lanes ?? []).map(nodeName) });
  const refs = refsOf(rfcs);
  if (refs.length) out.push({ t: 'refs', refs });
  return out;
}

const svgNS = 'http://www.w3.org/2000/svg';

function size(svg: SVGSVGElement): { w: number; h: number } {
  const vb = svg.getAttribute('viewBox')?.trim().split(/[\s,]+/).map(Number);
  const w = Number(svg.getAttribute('width')) || (vb?.length === 4 ? vb[2] : 0) || svg.getBoundingClientRect().width;
  const h = Number(svg.getAttribute('height')) || (vb?.length === 4 ? vb[3] : 0) || svg.getBoundingClientRect().height;
  return { w, h };
}

/**
 * cloneDiagram copies the on-screen sequence diagram for print: its one
 * drawing, or, when it is drawn in strips (one small svg per row), the
 * strips stacked into one. Icons (under 100 px wide) are left out. The
 * copy keeps its size (the page may shrink it); its ids get a prefix so
 * they stay unique.
 * Nothing is parsed: the nodes are cloned.
 */
export function cloneDiagram(root: ParentNode | null, doc: Document = document): SVGSVGElement | null {
  if (!root) return null;
  const svgs = [...root.querySelectorAll<SVGSVGElement>('svg')].filter((s) => !s.parentElement?.closest('svg'));
  const drawn = svgs.map((s) => ({ s, ...size(s) })).filter((x) => x.w >= 100 && x.h > 0);
  if (!drawn.length) return null;
  let out: SVGSVGElement;
  let w: number;
  let h: number;
  if (drawn.length === 1) {
    ({ w, h } = drawn[0]);
    out = drawn[0].s.cloneNode(true) as SVGSVGElement;
  } else {
    w = Math.max(...drawn.map((x) => x.w));
    h = 0;
    out = doc.createElementNS(svgNS, 'svg') as SVGSVGElement;
    for (const x of drawn) {
      const strip = x.s.cloneNode(true) as SVGSVGElement;
      strip.setAttribute('x', '0');
      strip.setAttribute('y', String(h));
      strip.removeAttribute('style');
      out.append(strip);
      h += x.h;
    }
  }
  if (!out.getAttribute('viewBox')) out.setAttribute('viewBox', `0 0 ${w} ${h}`);
  // Its size on screen, at most the page's width (the stylesheet's max-width).
  out.setAttribute('width', String(w));
  out.setAttribute('height', String(h));
  out.removeAttribute('style');
  out.removeAttribute('aria-hidden');
  out.removeAttribute('tabindex');
  out.setAttribute('preserveAspectRatio', 'xMidYMin meet');
  prefixIds(out, 'handout-');
  for (const el of out.querySelectorAll('[tabindex],[data-testid]')) {
    el.removeAttribute('tabindex');
    el.removeAttribute('data-testid');
  }
  return out;
}

/** prefixIds renames the ids in a copied drawing and what refers to them (url(#x), href="#x"). */
function prefixIds(svg: SVGSVGElement, prefix: string): void {
  const ids = new Set<string>();
  for (const el of [svg, ...svg.querySelectorAll('[id]')]) {
    const id = el.getAttribute('id');
    if (!id) continue;
    ids.add(id);
    el.setAttribute('id', prefix + id);
  }
  if (!ids.size) return;
  const fix = (v: string) => v.replace(/url\(\s*#([^)\s]+)\s*\)/g, (m, id: string) => (ids.has(id) ? `url(#${prefix}${id})` : m));
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) {
      if ((a.name === 'href' || a.name === 'xlink:href') && a.value.startsWith('#') && ids.has(a.value.slice(1))) {
        el.setAttribute(a.name, '#' + prefix + a.value.slice(1));
      } else if (a.value.includes('url(#')) {
        el.setAttribute(a.name, fix(a.value));
      }
    }
  }
}
