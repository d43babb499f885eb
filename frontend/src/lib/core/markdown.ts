// A small Markdown reader for the lesson texts: it turns the body into a
// token tree that components render with plain elements. No HTML is ever
// produced or passed through: "<script>" in a lesson stays the text
// "<script>". Supported: ATX headings with {#id}, paragraphs, **bold**,
// *italic* (and _italic_), `code`, fenced code blocks, bullet and numbered
// lists, GitHub pipe tables, block quotes and thematic breaks.

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'br' };

export type Align = 'left' | 'center' | 'right' | null;

export type Block =
  | { t: 'heading'; level: number; id?: string; c: Inline[] }
  | { t: 'para'; c: Inline[] }
  | { t: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { t: 'table'; align: Align[]; head: Inline[][]; rows: Inline[][][] }
  | { t: 'pre'; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'hr' };

/** A section is a heading and the blocks up to the next heading that starts one. */
export interface Section {
  /** the heading's {#id}; undefined for text before the first heading */
  id?: string;
  /** the id of the section this one is part of (an h3 with an id inside an h2) */
  parent?: string;
  blocks: Block[];
}

const heading = /^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const headingId = /^(.*?)\s*\{#([A-Za-z0-9_-]+)\}$/;
const fence = /^(`{3,}|~{3,})/;
const bullet = /^([-*+])[ \t]+(.*)$/;
const ordered = /^(\d{1,9})[.)][ \t]+(.*)$/;
const hr = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;
const tableSep = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** parseMarkdown reads a lesson body into blocks. */
export function parseMarkdown(src: string): Block[] {
  return parseBlocks(src.replace(/\r\n?/g, '\n').split('\n'));
}

function parseBlocks(lines: string[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '') {
      i++;
      continue;
    }
    const f = fence.exec(trimmed);
    if (f) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(f[1])) body.push(lines[i++]);
      i++; // the closing fence (or the end)
      out.push({ t: 'pre', v: body.join('\n') });
      continue;
    }
    const h = heading.exec(trimmed);
    if (h) {
      const m = headingId.exec(h[2]);
      out.push({ t: 'heading', level: h[1].length, id: m?.[2], c: parseInline(m ? m[1] : h[2]) });
      i++;
      continue;
    }
    if (hr.test(line)) {
      out.push({ t: 'hr' });
      i++;
      continue;
    }
    if (trimmed.startsWith('>')) {
      const inner: string[] = [];
      while (i < lines.length && lines[i].trim().startsWith('>')) inner.push(lines[i++].trim().replace(/^>\s?/, ''));
      out.push({ t: 'quote', c: parseBlocks(inner) });
      continue;
    }
    if (trimmed.includes('|') && i + 1 < lines.length && tableSep.test(lines[i + 1].trim()) && lines[i + 1].includes('-')) {
      i = readTable(lines, i, out);
      continue;
    }
    if (bullet.test(trimmed) || ordered.test(trimmed)) {
      i = readList(lines, i, out);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && !startsBlock(lines, i)) para.push(lines[i++]);
    if (para.length === 0) para.push(lines[i++]); // cannot happen, but never loop forever
    out.push({ t: 'para', c: joinLines(para) });
  }
  return out;
}

function startsBlock(lines: string[], i: number): boolean {
  const t = lines[i].trim();
  return (
    fence.test(t) ||
    heading.test(t) ||
    t.startsWith('>') ||
    bullet.test(t) ||
    ordered.test(t) ||
    hr.test(lines[i]) ||
    (t.includes('|') && i + 1 < lines.length && tableSep.test(lines[i + 1].trim()) && lines[i + 1].includes('-'))
  );
}

/** joinLines makes one run of inline tokens from soft-wrapped lines; two trailing spaces break the line. */
function joinLines(lines: string[]): Inline[] {
  const joined = lines
    .map((l, k) => {
      const hard = k < lines.length - 1 && (/ {2,}$/.test(l) || l.endsWith('\\'));
      const text = l.replace(/\0/g, '').trim();
      return hard ? text.replace(/\\$/, '') + '\0' : text;
    })
    .join(' ')
    .replace(/\0 /g, '\0');
  return splitBreaks(parseInline(joined));
}

function splitBreaks(xs: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const x of xs) {
    if (x.t === 'strong' || x.t === 'em') out.push({ ...x, c: splitBreaks(x.c) });
    else if (x.t !== 'text' || !x.v.includes('\0')) out.push(x);
    else
      x.v.split('\0').forEach((part, k) => {
        if (k) out.push({ t: 'br' });
        if (part) out.push({ t: 'text', v: part });
      });
  }
  return out;
}

function readList(lines: string[], i: number, out: Block[]): number {
  const first = lines[i].trim();
  const isOrdered = !bullet.test(first);
  const start = isOrdered ? Number(ordered.exec(first)![1]) : 1;
  const indent = lines[i].length - lines[i].trimStart().length;
  const items: string[][] = [];
  while (i < lines.length) {
    const l = lines[i];
    const t = l.trim();
    const ind = l.length - l.trimStart().length;
    const m = isOrdered ? ordered.exec(t) : bullet.exec(t);
    if (t !== '' && ind <= indent + 1 && m) {
      items.push([m[2]]);
      i++;
      continue;
    }
    // A continuation: an indented (or lazy) line right after an item.
    if (t !== '' && items.length && !startsBlock(lines, i)) {
      items[items.length - 1].push(t);
      i++;
      continue;
    }
    if (t !== '' && items.length && ind > indent && (bullet.test(t) || ordered.test(t))) {
      items[items.length - 1].push(t); // a nested item: kept as text of its parent
      i++;
      continue;
    }
    // A blank line ends the list unless the next item follows.
    if (t === '' && i + 1 < lines.length) {
      const n = lines[i + 1].trim();
      if ((isOrdered ? ordered : bullet).test(n)) {
        i++;
        continue;
      }
    }
    break;
  }
  out.push({ t: 'list', ordered: isOrdered, start, items: items.map(joinLines) });
  return i;
}

/** cells splits a table row at pipes that are not escaped and not inside `code`. */
export function cells(row: string): string[] {
  let s = row.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const out: string[] = [];
  let cur = '';
  let tick = 0; // length of the open backtick run, 0 outside code
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (c === '\\' && s[k + 1] === '|') {
      cur += '\\|'; // GFM: the escape applies inside code too; undone per cell
      k++;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (s[k + n] === '`') n++;
      if (!tick) tick = n;
      else if (tick === n) tick = 0;
      cur += s.slice(k, k + n);
      k += n - 1;
      continue;
    }
    if (c === '|' && !tick) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur.trim());
  return out;
}

function readTable(lines: string[], i: number, out: Block[]): number {
  const head = cells(lines[i]);
  const align: Align[] = cells(lines[i + 1]).map((c) => {
    const l = c.startsWith(':');
    const r = c.endsWith(':');
    return l && r ? 'center' : r ? 'right' : l ? 'left' : null;
  });
  i += 2;
  const rows: Inline[][][] = [];
  while (i < lines.length && lines[i].trim() !== '' && lines[i].includes('|')) {
    const r = cells(lines[i]);
    rows.push(head.map((_, k) => parseInline((r[k] ?? '').replace(/\\\|/g, '|'))));
    i++;
  }
  out.push({
    t: 'table',
    align: head.map((_, k) => align[k] ?? null),
    head: head.map((h) => parseInline(h.replace(/\\\|/g, '|'))),
    rows,
  });
  return i;
}

// Backslash escapes (CommonMark §2.4): only ASCII punctuation; "\Seen" stays.
const escapable = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/** parseInline reads code spans, emphasis and escapes; everything else is text. */
export function parseInline(s: string): Inline[] {
  return mergeText(inline(s, 0));
}

function inline(s: string, depth: number): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  let k = 0;
  while (k < s.length) {
    const c = s[k];
    if (c === '\\' && k + 1 < s.length && escapable.test(s[k + 1])) {
      text += s[k + 1];
      k += 2;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (s[k + n] === '`') n++;
      const close = findTicks(s, k + n, n);
      if (close >= 0) {
        flush();
        let v = s.slice(k + n, close);
        if (v.length > 2 && v.startsWith(' ') && v.endsWith(' ') && v.trim() !== '') v = v.slice(1, -1);
        out.push({ t: 'code', v });
        k = close + n;
        continue;
      }
      text += s.slice(k, k + n);
      k += n;
      continue;
    }
    if ((c === '*' || c === '_') && depth < 8) {
      const double = s[k + 1] === c;
      const mark = double ? c + c : c;
      if (opens(s, k, mark)) {
        const close = findClose(s, k + mark.length, mark);
        if (close > k + mark.length) {
          flush();
          const inner = inline(s.slice(k + mark.length, close), depth + 1);
          out.push(double ? { t: 'strong', c: inner } : { t: 'em', c: inner });
          k = close + mark.length;
          continue;
        }
      }
      text += mark;
      k += mark.length;
      continue;
    }
    text += c;
    k++;
  }
  flush();
  return out;
}

function findTicks(s: string, from: number, n: number): number {
  for (let k = from; k < s.length; k++) {
    if (s[k] !== '`') continue;
    let m = 1;
    while (s[k + m] === '`') m++;
    if (m === n) return k;
    k += m - 1;
  }
  return -1;
}

const word = /[\p{L}\p{N}]/u;

/** opens: a delimiter run followed by non-space; "_" must not sit inside a word. */
function opens(s: string, k: number, mark: string): boolean {
  const next = s[k + mark.length];
  if (next === undefined || /\s/.test(next)) return false;
  if (mark[0] === '_' && k > 0 && word.test(s[k - 1])) return false;
  return true;
}

function findClose(s: string, from: number, mark: string): number {
  for (let k = from; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (s[k + n] === '`') n++;
      const close = findTicks(s, k + n, n);
      if (close >= 0) {
        k = close + n - 1;
        continue;
      }
    }
    if (!s.startsWith(mark, k)) continue;
    // A single "*" does not close on half of a "**".
    if (mark.length === 1 && (s[k + 1] === mark || s[k - 1] === mark)) {
      if (s[k + 1] === mark) k++;
      continue;
    }
    if (/\s/.test(s[k - 1] ?? ' ')) continue;
    if (mark[0] === '_' && word.test(s[k + mark.length] ?? '')) continue;
    return k;
  }
  return -1;
}

function mergeText(xs: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (x.t === 'text' && last?.t === 'text') out[out.length - 1] = { t: 'text', v: last.v + x.v };
    else out.push(x);
  }
  return out;
}

/** plainText is what an inline run says, without markup (for titles and tests). */
export function plainText(xs: readonly Inline[]): string {
  return xs.map((x) => (x.t === 'text' || x.t === 'code' ? x.v : x.t === 'br' ? '\n' : plainText(x.c))).join('');
}

/**
 * sections splits blocks at each level-1/2 heading and at every heading
 * with an {#id}; a deeper heading with an id names its enclosing section
 * as parent, so a note for the h2 also lights up its subsections.
 */
export function sections(blocks: readonly Block[]): Section[] {
  const out: Section[] = [];
  let cur: Section | undefined;
  let top: { id?: string; level: number } | undefined;
  for (const b of blocks) {
    if (b.t === 'heading' && (b.level <= 2 || b.id)) {
      if (b.level <= 2) top = { id: b.id, level: b.level };
      const parent = b.level > 2 && top && top.level < b.level ? top.id : undefined;
      cur = { id: b.id, parent, blocks: [b] };
      out.push(cur);
      continue;
    }
    if (!cur) {
      cur = { blocks: [] };
      out.push(cur);
    }
    cur.blocks.push(b);
  }
  return out;
}
