import { htmlDiff } from './html-diff';
import { renderMarkdown } from './markdown';

const strip = (html: string) => html.replace(/<span class="visually-hidden">[^<]*<\/span>/g, '');

describe('htmlDiff', () => {
  it('marks words inside the structure the team wrote', () => {
    const d = htmlDiff(renderMarkdown('# Vision\n\nEvery citizen learns.'), renderMarkdown('# Vision\n\nEvery citizen learns for life.\n\n- centres'));
    expect(strip(d.inline)).toBe('<h3>Vision</h3>\n<p>Every citizen learns <ins>for life</ins>.</p>\n<ul>\n<li><ins>centres</ins></li>\n</ul>\n');
    expect(d.added).toBe(3);
    expect(d.removed).toBe(0);
    expect(d.compared).toBe(true);
  });

  it('keeps deleted words out of places where text may not stand (between list items)', () => {
    const d = htmlDiff(renderMarkdown('- one\n\nold paragraph\n\n- two'), renderMarkdown('- one\n- two'));
    expect(strip(d.inline)).not.toMatch(/<\/li>\s*<del>/);
    expect(strip(d.inline)).toContain('<del>old paragraph</del>');
    expect(strip(d.before)).toContain('<p><del>old paragraph</del></p>');
    expect(strip(d.after)).toBe(renderMarkdown('- one\n- two'));
  });

  it('never lets people’s HTML through, and never splits an entity', () => {
    const d = htmlDiff(renderMarkdown('a <script>x()</script> & b'), renderMarkdown('a <b onclick="y">x()</b> & c'));
    for (const html of [d.inline, d.before, d.after]) {
      expect(html).not.toMatch(/<script|<b |onclick="/);
      expect(html).not.toMatch(/&(?:<|[a-z]+<)/);
    }
    expect(strip(d.before).replace(/<\/?del>/g, '')).toContain('&lt;script&gt;x()&lt;/script&gt;');
  });

  it('treats each Chinese character as a word', () => {
    const d = htmlDiff(renderMarkdown('终身学习'), renderMarkdown('终身教育'));
    expect(strip(d.inline)).toBe('<p>终身<del>学习</del> <ins>教育</ins></p>\n');
  });

  it('shows both texts unmarked when they are too different to compare in time', () => {
    const d = htmlDiff('<p>a b c</p>', '<p>d e f</p>', -1);
    expect(d.compared).toBe(false);
    expect(d.after).toBe('<p>d e f</p>');
  });
});

describe('htmlDiff on a rewritten sentence', () => {
  it('shows the old words, then the new ones, rather than alternating single words', () => {
    const d = htmlDiff('<p>Every citizen learns throughout life.</p>', '<p>Two million over five years.</p>');
    expect(strip(d.inline)).toBe('<p><del>Every citizen learns throughout life</del> <ins>Two million over five years</ins>.</p>');
  });
});
