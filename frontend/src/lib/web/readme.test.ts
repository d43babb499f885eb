import { describe, expect, it } from 'vitest';
import { readmePage, slug } from './readme';

describe('readme page', () => {
  it('anchors headings as GitHub does', () => {
    expect(slug('Get Maillab')).toBe('get-maillab');
    expect(slug('Capture for Wireshark (`trace --pcap`)')).toBe('capture-for-wireshark-trace---pcap');
    expect(slug('Port map for your own clients (`maillab world`, `make run`)')).toBe('port-map-for-your-own-clients-maillab-world-make-run');
  });

  it('renders the blocks and keeps every text a text', () => {
    const html = readmePage('# Maillab\n\n## Get Maillab\n\nA <script>alert(1)</script> **bold** `code`\n\n```sh\nmake web && echo "<b>"\n```\n\n| a | b |\n|---|---|\n| <i> | 2 |\n');
    expect(html).toContain('<h2 id="get-maillab">Get Maillab</h2>');
    expect(html).toContain('A &lt;script&gt;alert(1)&lt;/script&gt; <strong>bold</strong> <code>code</code>');
    expect(html).toContain('<pre><code>make web &amp;&amp; echo &quot;&lt;b&gt;&quot;</code></pre>');
    expect(html).toContain('<td>&lt;i&gt;</td>');
    expect(html).not.toMatch(/<script>|<i>|<b>/);
  });

  it('numbers repeated headings', () => {
    expect(readmePage('## Tests\n\n## Tests\n')).toContain('<h2 id="tests-1">');
  });
});
