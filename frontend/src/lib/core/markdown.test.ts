import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cells, parseInline, parseMarkdown, plainText, sections, type Block, type Inline } from './markdown';

describe('parseInline', () => {
  it('reads code, bold and italic', () => {
    expect(parseInline('Send `EHLO`, then **wait** for *the* reply.')).toEqual([
      { t: 'text', v: 'Send ' },
      { t: 'code', v: 'EHLO' },
      { t: 'text', v: ', then ' },
      { t: 'strong', c: [{ t: 'text', v: 'wait' }] },
      { t: 'text', v: ' for ' },
      { t: 'em', c: [{ t: 'text', v: 'the' }] },
      { t: 'text', v: ' reply.' },
    ]);
  });

  it('nests emphasis and keeps code literal', () => {
    expect(parseInline('*a **b** c*')).toEqual([{ t: 'em', c: [{ t: 'text', v: 'a ' }, { t: 'strong', c: [{ t: 'text', v: 'b' }] }, { t: 'text', v: ' c' }] }]);
    expect(parseInline('`**not bold**` and `1:*`')).toEqual([
      { t: 'code', v: '**not bold**' },
      { t: 'text', v: ' and ' },
      { t: 'code', v: '1:*' },
    ]);
    expect(parseInline('``a ` b``')).toEqual([{ t: 'code', v: 'a ` b' }]);
  });

  it('leaves lone stars, snake_case and IMAP flags alone', () => {
    expect(plainText(parseInline('2 * 3 * 4, FETCH 1:*, snake_case_name, (\\Seen \\Deleted)'))).toBe(
      '2 * 3 * 4, FETCH 1:*, snake_case_name, (\\Seen \\Deleted)',
    );
    expect(parseInline('an _italic_ word')[1]).toEqual({ t: 'em', c: [{ t: 'text', v: 'italic' }] });
    expect(parseInline('**unclosed')).toEqual([{ t: 'text', v: '**unclosed' }]);
  });

  it('honours backslash escapes of punctuation only', () => {
    expect(parseInline('\\*not italic\\* and \\`tick')).toEqual([{ t: 'text', v: '*not italic* and `tick' }]);
  });
});

describe('parseMarkdown', () => {
  it('reads headings with ids, paragraphs and soft line breaks', () => {
    const b = parseMarkdown('## Two devices {#devices}\n\nBob has one mailbox\non mail.example.net.\n\n### Plain');
    expect(b).toEqual([
      { t: 'heading', level: 2, id: 'devices', c: [{ t: 'text', v: 'Two devices' }] },
      { t: 'para', c: [{ t: 'text', v: 'Bob has one mailbox on mail.example.net.' }] },
      { t: 'heading', level: 3, id: undefined, c: [{ t: 'text', v: 'Plain' }] },
    ]);
  });

  it('reads bullet and numbered lists with continuation lines', () => {
    const b = parseMarkdown('1. `STARTTLS` first\n2. `AUTH PLAIN` then\n   more text\n\n- a\n- b *c*\n');
    expect(b[0]).toMatchObject({ t: 'list', ordered: true, start: 1 });
    const list = b[0] as Extract<Block, { t: 'list' }>;
    expect(list.items.map(plainText)).toEqual(['STARTTLS first', 'AUTH PLAIN then more text']);
    expect(b[1]).toEqual({
      t: 'list',
      ordered: false,
      start: 1,
      items: [[{ t: 'text', v: 'a' }], [{ t: 'text', v: 'b ' }, { t: 'em', c: [{ t: 'text', v: 'c' }] }]],
    });
  });

  it('reads pipe tables with alignment, code and escaped pipes', () => {
    const b = parseMarkdown('| | POP3 | IMAP |\n| :-- | :-: | --: |\n| port | `110` | `a \\| b` |\n| where | device\n');
    expect(b).toHaveLength(1);
    const t = b[0] as Extract<Block, { t: 'table' }>;
    expect(t.t).toBe('table');
    expect(t.align).toEqual(['left', 'center', 'right']);
    expect(t.head.map(plainText)).toEqual(['', 'POP3', 'IMAP']);
    expect(t.rows.map((r) => r.map(plainText))).toEqual([
      ['port', '110', 'a | b'],
      ['where', 'device', ''],
    ]);
    expect(cells('| `a|b` | c |')).toEqual(['`a|b`', 'c']);
  });

  it('keeps fenced code verbatim and reads quotes and rules', () => {
    const b = parseMarkdown('```\nC: T8 STORE 1 +FLAGS (\\Deleted)\n**x**\n```\n> quoted *text*\n\n---\n');
    expect(b[0]).toEqual({ t: 'pre', v: 'C: T8 STORE 1 +FLAGS (\\Deleted)\n**x**' });
    expect(b[1]).toEqual({ t: 'quote', c: [{ t: 'para', c: [{ t: 'text', v: 'quoted ' }, { t: 'em', c: [{ t: 'text', v: 'text' }] }] }] });
    expect(b[2]).toEqual({ t: 'hr' });
  });

  it('keeps HTML as text: <script> is never markup', () => {
    const src = '## <script>alert(1)</script> {#x}\n\n<img src=x onerror=alert(1)> and **<b>bold</b>**\n\n| <i>a</i> |\n| - |\n| <svg onload=alert(1)> |';
    const b = parseMarkdown(src);
    const all = JSON.stringify(b);
    expect(all).toContain('<script>alert(1)</script>');
    expect(b[0]).toMatchObject({ t: 'heading', id: 'x', c: [{ t: 'text', v: '<script>alert(1)</script>' }] });
    expect(plainText((b[1] as Extract<Block, { t: 'para' }>).c)).toBe('<img src=x onerror=alert(1)> and <b>bold</b>');
    // Only the token kinds above exist: nothing can carry raw HTML.
    const kinds = new Set<string>();
    JSON.parse(all, (k, v) => (k === 't' && kinds.add(v), v));
    expect([...kinds].every((k) => ['heading', 'para', 'text', 'strong', 'table', 'code', 'em', 'br', 'list', 'pre', 'quote', 'hr'].includes(k))).toBe(true);
  });

  it('never hangs or throws on odd input', () => {
    for (const s of ['', '\n\n', '|', '| a |\n|', '- ', '1.', '```', '**', '`', '#', '> ', '* * *', '|-|\n|-|', '\\', '___x___']) {
      expect(() => parseMarkdown(s)).not.toThrow();
    }
  });
});

describe('sections', () => {
  it('splits at h2 and at headings with ids; subsections name their parent', () => {
    const s = sections(parseMarkdown('intro\n\n## A {#a}\n\ntext\n\n### Sub {#a1}\n\nx\n\n### Plain\n\ny\n\n## B {#b}\n\nz'));
    expect(s.map((x) => [x.id, x.parent, x.blocks.length])).toEqual([
      [undefined, undefined, 1],
      ['a', undefined, 2],
      ['a1', 'a', 4],
      ['b', undefined, 2],
    ]);
  });
});

/** textOnly joins the text tokens, leaving out code spans. */
function textOnly(xs: readonly Inline[]): string {
  return xs.map((x) => (x.t === 'text' ? x.v : x.t === 'strong' || x.t === 'em' ? textOnly(x.c) : ' ')).join('');
}

describe('the real lessons', () => {
  const dir = join(__dirname, '..', '..', '..', '..', 'lessons', 'content');
  const bodies = readdirSync(dir).flatMap((d) =>
    ['en', 'de', 'pl'].flatMap((l) => {
      try {
        const raw = readFileSync(join(dir, d, `${l}.md`), 'utf8');
        return [{ name: `${d}/${l}`, body: raw.split(/\n---\n/).slice(1).join('\n---\n') }];
      } catch {
        return [];
      }
    }),
  );

  it('parse into sections with ids, and no markup is left over', () => {
    expect(bodies.length).toBeGreaterThan(0);
    for (const { name, body } of bodies) {
      const blocks = parseMarkdown(body);
      const secs = sections(blocks).filter((s) => s.id);
      expect(secs.length, name).toBeGreaterThan(0);
      for (const b of blocks) {
        if (b.t === 'para') expect(textOnly(b.c), name).not.toMatch(/\*\*|\{#/);
      }
    }
  });
});
