import { describe, expect, it } from 'vitest';
import { buildHandout, cloneDiagram, defaultPaper, pageRule, rfcURL, type HandoutSection, type TranscriptItem } from './handout';
import { sampleEvents } from './testdata';
import type { MailEvent } from './types';
import { lessonEn } from '../testing/lesson-fixture';

// Keys come back with their parameters, so a test sees what was asked for.
const t = (key: string, p?: Record<string, string>) => (p && Object.keys(p).length ? `${key}${JSON.stringify(p)}` : key);
const nodeName = (id: string) => `<${id}>`;

function build(events: readonly MailEvent[] = sampleEvents, extra: Partial<Parameters<typeof buildHandout>[0]> = {}) {
  return buildHandout({ lesson: lessonEn, events, t, nodeName, diagram: true, ...extra });
}

const of = <K extends HandoutSection['t']>(s: HandoutSection[], k: K) => s.find((x) => x.t === k) as Extract<HandoutSection, { t: K }>;
const tables = (items: TranscriptItem[]) => items.filter((i): i is Extract<TranscriptItem, { t: 'conn' }> => i.t === 'conn');
const allLines = (s: HandoutSection[]) => tables(of(s, 'transcript').items).flatMap((c) => c.lines);

describe('handout', () => {
  it('has the sections in print order: head, text, transcript, diagram, sources', () => {
    expect(build().map((s) => s.t)).toEqual(['head', 'text', 'transcript', 'diagram', 'refs']);
    const head = of(build(), 'head');
    expect(head.heading).toBe('ui.lesson.heading{"number":"1","title":"How an email travels"}');
    expect(head.summary).toBe('From Alice to Bob.');
  });

  it('a reading lesson without a run has only its head and text; no diagram without one on screen', () => {
    const reading = { ...lessonEn, scenario: undefined };
    expect(buildHandout({ lesson: reading, events: [], t, nodeName }).map((s) => s.t)).toEqual(['head', 'text']);
    expect(build(sampleEvents, { diagram: false }).map((s) => s.t)).toEqual(['head', 'text', 'transcript', 'refs']);
    expect(of(build(sampleEvents, { lanes: ['alice-laptop', 'smtp.example.org'] }), 'diagram').lanes).toEqual(['<alice-laptop>', '<smtp.example.org>']);
    // The lesson's run, not stepped yet: an empty transcript that says so.
    const empty = build([]);
    expect(of(empty, 'transcript')).toEqual({ t: 'transcript', steps: 0, items: [] });
  });

  it('cuts the lesson text into its sections and puts each reached note at the end of its own', () => {
    const parts = of(build(sampleEvents, { notes: [lessonEn.notes[1], { id: 'x', at: {}, text: 'loose note' }] }), 'text').parts;
    expect(parts.map((p) => p.id)).toEqual([undefined, 'submit', 'pop3']);
    expect(parts[0].notes).toEqual(['loose note']);
    expect(parts[1].notes).toEqual([]);
    expect(parts[2].notes).toEqual(['RETR 1 fetches the whole message.']);
    // The text stays Markdown blocks: <script> in a lesson is a text token, never HTML.
    expect(JSON.stringify(parts[1].blocks)).toContain('"t":"text","v":" to the "');
    expect(JSON.stringify(parts[1].blocks)).toContain('<script>alert(1)</script>');
  });

  it('lists the transcript in run order: actions, and one table per stretch of a connection', () => {
    const s = build();
    const items = of(s, 'transcript').items;
    // An action reads as the transcript's note does: its code with the actor's name.
    expect(items[0]).toMatchObject({ t: 'note', seq: 1 });
    expect((items[0] as { text: string }).text).toMatch(/^action\.alice-sends\{.*"actor":"<alice-laptop>"\}$/);
    const first = tables(items)[0];
    expect(first.title).toBe(
      'export.connection{"conn":"1","client":"<alice-laptop>","server":"<smtp.example.org>","proto":"SMTP","port":"587","addr":"' +
        sampleEvents.find((e) => e.conn === 1 && e.addr)!.addr +
        '"}',
    );
    expect(first.lines.slice(0, 2).map((l) => [l.step, l.dir, l.text])).toEqual([
      [2, 'S', '220 smtp.example.org ESMTP Service Ready'],
      [3, 'C', 'EHLO alice-laptop'],
    ]);
    const seqs = allLines(s).map((l) => l.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // Every line and packet of the run is there, TLS records only when the transcript shows them.
    const wire = sampleEvents.filter((e) => e.kind === 'line' || e.kind === 'packet');
    expect(seqs).toEqual(wire.map((e) => e.seq));
    const withTls = allLines(build(sampleEvents, { filter: { hidden: new Set(), tls: true } }));
    expect(withTls.filter((l) => l.tls).map((l) => l.text)).toEqual(['[TLS handshake: ClientHello]', '[TLS handshake: ServerHello, Certificate, Finished]']);
    // A hidden protocol stays hidden on paper too.
    expect(allLines(build(sampleEvents, { filter: { hidden: new Set(['pop3']), tls: false } })).some((l) => l.text.startsWith('RETR'))).toBe(false);
  });

  it('explains each line as the inspector does, with its role in the connection and its RFC', () => {
    const lines = allLines(build());
    const ehlo = lines.find((l) => l.text === 'EHLO alice-laptop')!;
    expect(ehlo.meaning).toBe('ui.explain.command{"verb":"EHLO"}');
    const reply = lines.find((l) => l.text.startsWith('250 2.0.0 Roger'))!;
    expect(reply.meaning).toBe('ui.explain.reply{"code":"250"} ui.explain.class.2xx');
    expect(reply.rfc).toBe('RFC 5321 §4.2');
    // After DATA's 354 the headers are message text, not commands.
    const from = lines.find((l) => l.text === 'From: Alice <alice@example.org>')!;
    expect(from.meaning).toBe('ui.explain.smtp.data-line');
    // The Go side's explanation wins when the event carries one.
    const explained = { ...sampleEvents.find((e) => e.text === 'EHLO alice-laptop')!, explain: { key: 'explain.smtp.ehlo', params: { host: 'alice-laptop' }, rfc: 'RFC 5321 §4.1.1.1' } };
    const one = allLines(build([explained]))[0];
    expect(one.meaning).toBe('explain.smtp.ehlo{"host":"alice-laptop"}');
    expect(one.rfc).toBe('RFC 5321 §4.1.1.1');
    // The step numbers are the app's when it gives them.
    expect(allLines(build(sampleEvents, { stepOf: (seq) => seq * 10 }))[0].step).toBe(30);
  });

  it('keeps wire text as it came, and hides passwords even when the screen shows them', () => {
    const lines = allLines(build());
    expect(lines.find((l) => l.text.startsWith('Subject:'))!.text).toBe('Subject: <img src=x onerror=alert(1)>');
    const auth = lines.find((l) => l.text.startsWith('AUTH PLAIN'))!;
    expect(auth.text).toBe('AUTH PLAIN ********');
    expect(JSON.stringify(build())).not.toContain('AGFsaWNlQGV4YW1wbGUub3JnAHdvbmRlcmxhbmQ=');
  });

  it('cites each RFC once, by number, with its address', () => {
    expect(of(build(), 'refs').refs.map((r) => r.label)).toEqual(['RFC 1035', 'RFC 1939', 'RFC 5321', 'RFC 6409']);
    expect(of(build(), 'refs').refs[2].url).toBe('https://www.rfc-editor.org/rfc/rfc5321');
    expect(rfcURL('RFC 5321 §4.1.1.4')).toBe('https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.4');
    expect(rfcURL('RFC 6409, RFC 5321')).toBe('https://www.rfc-editor.org/rfc/rfc6409');
    expect(rfcURL('none')).toBeUndefined();
  });

  it('picks the paper from the locale and writes its @page rule', () => {
    expect(defaultPaper('en-US')).toBe('letter');
    expect(defaultPaper('es_MX')).toBe('letter');
    expect(defaultPaper('en-GB')).toBe('a4');
    expect(defaultPaper('de')).toBe('a4');
    expect(defaultPaper(undefined)).toBe('a4');
    expect(pageRule('a4')).toMatch(/^@page \{ size: A4 portrait;/);
    expect(pageRule('letter')).toMatch(/^@page \{ size: letter portrait;/);
    expect(pageRule('a4')).toContain('counter(pages)');
  });
});

describe('cloneDiagram', () => {
  const ns = 'http://www.w3.org/2000/svg';
  function svg(w: number, h: number, inner = ''): string {
    return `<svg xmlns="${ns}" width="${w}" height="${h}" aria-hidden="true">${inner}</svg>`;
  }

  it('copies one drawing, scaled to the page, its ids made unique', () => {
    const root = document.createElement('div');
    root.innerHTML =
      svg(16, 16) + // an icon: left out
      svg(600, 400, '<defs><marker id="head"></marker></defs><line marker-end="url(#head)"></line><use href="#head"></use><text>EHLO</text>');
    const c = cloneDiagram(root)!;
    expect(c.getAttribute('viewBox')).toBe('0 0 600 400');
    expect([c.getAttribute('width'), c.getAttribute('height')]).toEqual(['600', '400']);
    expect(c.hasAttribute('aria-hidden')).toBe(false);
    expect(c.querySelector('marker')!.id).toBe('handout-head');
    expect(c.querySelector('line')!.getAttribute('marker-end')).toBe('url(#handout-head)');
    expect(c.querySelector('use')!.getAttribute('href')).toBe('#handout-head');
    expect(c.querySelector('text')!.textContent).toBe('EHLO');
    // The on-screen drawing is untouched.
    expect(root.querySelectorAll('svg')[1].querySelector('marker')!.id).toBe('head');
  });

  it('stacks a diagram drawn in strips, one row each', () => {
    const root = document.createElement('div');
    root.innerHTML = [1, 2, 3].map((i) => `<div class="row">${svg(300, 22, `<text>row ${i}</text>`)}</div>`).join('');
    const c = cloneDiagram(root)!;
    expect(c.getAttribute('viewBox')).toBe('0 0 300 66');
    const strips = [...c.children];
    expect(strips.map((s) => s.getAttribute('y'))).toEqual(['0', '22', '44']);
    expect(strips.map((s) => s.textContent)).toEqual(['row 1', 'row 2', 'row 3']);
  });

  it('finds nothing when there is no drawing', () => {
    expect(cloneDiagram(null)).toBeNull();
    const root = document.createElement('div');
    root.innerHTML = '<p>No line yet</p>' + svg(16, 16);
    expect(cloneDiagram(root)).toBeNull();
  });
});
