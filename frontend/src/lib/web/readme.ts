// The README as a page of the web edition (readme.html), so the "downloads
// and setup" link works offline and on any static host. Built with the
// lessons' own Markdown reader; every piece of text is escaped, none of it
// is ever HTML. Headings get GitHub's anchors (#get-maillab).

import { parseMarkdown, plainText, type Block, type Inline } from '../core/markdown';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** slug is GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

function inline(xs: readonly Inline[]): string {
  return xs
    .map((x) => {
      switch (x.t) {
        case 'text':
          return escapeHtml(x.v);
        case 'code':
          return `<code>${escapeHtml(x.v)}</code>`;
        case 'strong':
          return `<strong>${inline(x.c)}</strong>`;
        case 'em':
          return `<em>${inline(x.c)}</em>`;
        case 'br':
          return '<br>';
      }
    })
    .join('');
}

function block(b: Block, seen: Map<string, number>): string {
  switch (b.t) {
    case 'heading': {
      let id = b.id ?? slug(plainText(b.c));
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      if (n > 0) id = `${id}-${n}`;
      return `<h${b.level} id="${escapeHtml(id)}">${inline(b.c)}</h${b.level}>`;
    }
    case 'para':
      return `<p>${inline(b.c)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      const start = b.ordered && b.start !== 1 ? ` start="${b.start}"` : '';
      return `<${tag}${start}>${b.items.map((it) => `<li>${inline(it)}</li>`).join('')}</${tag}>`;
    }
    case 'table': {
      const th = b.head.map((c) => `<th>${inline(c)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('');
      return `<table><thead><tr>${th}</tr></thead><tbody>${rows}</tbody></table>`;
    }
    case 'pre':
      return `<pre><code>${escapeHtml(b.v)}</code></pre>`;
    case 'quote':
      return `<blockquote>${b.c.map((x) => block(x, seen)).join('\n')}</blockquote>`;
    case 'hr':
      return '<hr>';
  }
}

const style = `body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em}pre{background:#f0f2f5;padding:.8rem;overflow-x:auto}
table{border-collapse:collapse}td,th{border:1px solid #d5d9e0;padding:.2rem .5rem;text-align:left}
@media (prefers-color-scheme:dark){body{background:#0f1217;color:#e6e9ef}pre{background:#1f2530}td,th{border-color:#2d3442}}`;

/** readmePage renders Markdown as a whole, self-contained HTML page. */
export function readmePage(markdown: string): string {
  const blocks = parseMarkdown(markdown);
  const first = blocks.find((b) => b.t === 'heading');
  const title = first && first.t === 'heading' ? plainText(first.c) : 'Maillab';
  const seen = new Map<string, number>();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="icon" href="./icon.svg" type="image/svg+xml"><style>${style}</style></head>
<body><p><a href="./">← Maillab</a></p>
${blocks.map((b) => block(b, seen)).join('\n')}
</body></html>
`;
}
