import { describe, expect, it } from 'vitest';
import { escapeXml, legacyColors, pictureName, sequenceSvg, standaloneSvg, svgNS, textMeasurer, type PictureColors, type SequencePicture } from './svgexport';

const colors: PictureColors = {
  bg: '#ffffff',
  fg: '#111111',
  muted: '#555555',
  border: '#cccccc',
  client: '#1a7f37',
  server: '#8250df',
  info: '#0969da',
  lock: '#6e40c9',
  wait: '#9a6700',
};

const pic: SequencePicture = {
  title: 'Sequence diagram — Send a mail & fetch it',
  width: 600,
  gutter: 34,
  rowH: 22,
  headerH: 36,
  nameSize: 13.6,
  labelSize: 12.8,
  sans: "system-ui, 'Noto Sans', sans-serif",
  mono: "ui-monospace, 'DejaVu Sans Mono', monospace",
  lanes: [
    { x: 80, name: "Alice's laptop", role: 'MUA' },
    { x: 300, name: 'smtp.example.org', role: 'MSA' },
    { x: 520, name: 'Bob\'s <laptop> & "phone"', role: 'MUA' },
  ],
  rows: [
    { kind: 'note', num: '1', x: 80, text: 'Alice writes to bob@example.net ("Grüße aus Kraków")', anchor: 'start' },
    { kind: 'arrow', num: '2', x1: 300, x2: 80, lx: 190, label: '220', full: '220 smtp.example.org ESMTP', server: true, packet: false, encrypted: false },
    { kind: 'arrow', num: '3', x1: 80, x2: 300, lx: 190, label: 'MAIL FROM', full: 'MAIL FROM:<alice@example.org>', server: false, packet: false, encrypted: true },
    { kind: 'fold', num: '4', x1: 80, x2: 300, label: 'message (14 lines)', server: false },
    { kind: 'arrow', num: '18', x1: 300, x2: 520, lx: 410, label: 'Subject: <img src=x…', full: 'Subject: <img src=x onerror=alert(1)>', server: false, packet: false, encrypted: false },
  ],
};

function parse(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.querySelector('parsererror')).toBeNull();
  return doc;
}

describe('sequence picture', () => {
  it('is a standalone SVG document with every lane, label and row', () => {
    const svg = sequenceSvg(pic, colors);
    const doc = parse(svg);
    const root = doc.documentElement;
    expect(root.namespaceURI).toBe(svgNS);
    expect(root.getAttribute('width')).toBe(String(pic.gutter + pic.width));
    expect(Number(root.getAttribute('height'))).toBe(pic.headerH + pic.rows.length * pic.rowH + 6);
    expect(root.querySelector('title')?.textContent).toBe(pic.title);
    const texts = [...root.querySelectorAll('text')].map((t) => t.textContent);
    for (const l of pic.lanes) expect(texts).toContain(l.name);
    expect(texts).toEqual(expect.arrayContaining(['220', 'MAIL FROM', 'message (14 lines)', 'Subject: <img src=x…', '18']));
    // A cut label keeps its whole text as a tooltip; wire text stays text.
    expect([...root.querySelectorAll('g > title')].map((t) => t.textContent)).toContain('Subject: <img src=x onerror=alert(1)>');
    expect(root.querySelector('img')).toBeNull();
    // One lock for the one encrypted line.
    expect([...root.querySelectorAll('title')].filter((t) => t.textContent === 'TLS')).toHaveLength(1);
  });

  it('needs nothing from outside: no stylesheet, class, variable or link', () => {
    const svg = sequenceSvg(pic, colors);
    expect(svg).not.toMatch(/var\(--|class=|<style|href=|url\(|@import|<link/);
    expect(svg).toContain('font-family="ui-monospace, &apos;DejaVu Sans Mono&apos;, monospace"');
    expect(svg).toContain(`fill="${colors.client}"`);
    expect(svg).toContain(`fill="${colors.server}"`);
  });

  it('escapes what could break the XML', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });

  it('names files after the scenario and what they show', () => {
    expect(pictureName('send-pop3', 'sequence', 'svg')).toBe('maillab-send-pop3-sequence.svg');
    expect(pictureName('live', 'topology', 'png')).toBe('maillab-live-topology.png');
    expect(pictureName(undefined, 'topology', 'svg')).toBe('maillab-run-topology.svg');
    expect(pictureName('../x y', 'sequence', 'png')).toBe('maillab--x-y-sequence.png');
  });
});

describe('standalone copy of an SVG on the page', () => {
  it('inlines styles, drops classes, scripts and outside links, keeps the drawing', () => {
    const style = document.createElement('style');
    style.textContent = '.box { fill: rgb(10, 20, 30); stroke: rgb(1, 2, 3); } .gone { display: none; }';
    document.head.append(style);
    const host = document.createElement('div');
    host.innerHTML = `<svg xmlns="${svgNS}" viewBox="0 0 200 100" class="topology" data-testid="x">
      <rect class="box" x="1" y="2" width="50" height="20"/>
      <text class="label" x="5" y="15">mx.example.net</text>
      <g class="gone"><text>hidden</text></g>
      <image href="https://example.com/x.png"/>
      <a href="https://example.com"><text>link</text></a>
      <use href="#local"/>
    </svg>`;
    document.body.append(host);
    const svg = host.querySelector('svg')!;
    const out = standaloneSvg(svg, { title: 'Topology', bg: '#fff', width: 400, height: 200 });
    const doc = parse(out.svg);
    const root = doc.documentElement;
    expect(out).toMatchObject({ width: 400, height: 200 });
    expect(root.getAttribute('width')).toBe('400');
    expect(root.getAttribute('viewBox')).toBe('0 0 200 100');
    expect(root.querySelector('title')?.textContent).toBe('Topology');
    expect(root.querySelector('rect[fill="#fff"]')).not.toBeNull();
    const box = root.querySelector('rect[x="1"]')!;
    expect(box.getAttribute('style')).toContain('fill:rgb(10, 20, 30)');
    expect(box.getAttribute('class')).toBeNull();
    expect(root.querySelector('text')?.textContent).toBe('mx.example.net');
    expect(out.svg).not.toMatch(/hidden|https:|class=|data-testid|<image|<a /);
    expect(root.querySelector('use')?.getAttribute('href')).toBe('#local');
    host.remove();
    style.remove();
  });
});

describe('text measure', () => {
  it('estimates without a canvas, wider for bold', () => {
    const m = textMeasurer();
    expect(m('abcd', '10px monospace')).toBeCloseTo(24);
    expect(m('abcd', '600 10px sans-serif')).toBeGreaterThan(m('abcd', '10px sans-serif'));
  });
});

describe('legacyColors', () => {
  it('writes color(srgb …) as rgb()/rgba() and leaves other values alone', () => {
    expect(legacyColors('color(srgb 0.479059 0.508 0.562667)')).toBe('rgb(122, 130, 143)');
    expect(legacyColors('color(srgb 1 0 0 / 0.5)')).toBe('rgba(255, 0, 0, 0.5)');
    expect(legacyColors('rgb(1, 2, 3)')).toBe('rgb(1, 2, 3)');
    expect(legacyColors('none')).toBe('none');
  });
});
