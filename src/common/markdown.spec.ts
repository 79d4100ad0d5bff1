import { renderMarkdown, renderRemembered } from './markdown';

describe('renderMarkdown', () => {
  it('renders headings, lists, emphasis and links', () => {
    const html = renderMarkdown('# Policy\n\n- **Goal** one\n- [UIL](https://www.uil.unesco.org)', 1);
    expect(html).toContain('<h1>Policy</h1>');
    expect(html).toContain('<strong>Goal</strong>');
    expect(html).toContain('<a href="https://www.uil.unesco.org" rel="noopener noreferrer nofollow">UIL</a>');
  });

  it('fits headings under the page’s own, one level at a time, never past h6', () => {
    expect(renderMarkdown('# A\n\n## B\n\n##### E')).toMatch(/<h3>A<\/h3>\s*<h4>B<\/h4>\s*<h5>E<\/h5>/);
    expect(renderMarkdown('## Only level two\n\n### Three')).toMatch(/<h3>Only level two<\/h3>\s*<h4>Three<\/h4>/);
    expect(renderMarkdown('# a\n## b\n### c\n#### d\n##### e\n###### f')).toContain('<h6>f</h6>');
  });

  it('never lets script or event handlers through', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](data:text/html;base64,AAAA)');
    expect(html).not.toMatch(/<script|<img|href="javascript|href="data/);
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('renderRemembered', () => {
  it('renders as renderMarkdown does, for each heading level, and again the same', () => {
    const source = '# Title\n\nSome *text* and a [link](https://example.org).';
    for (const level of [3, 4, 5]) {
      expect(renderRemembered(source, level)).toBe(renderMarkdown(source, level));
      expect(renderRemembered(source, level)).toBe(renderMarkdown(source, level));
    }
    expect(renderRemembered(source)).not.toBe(renderRemembered(source, 5));
    expect(renderRemembered('')).toBe('');
    expect(renderRemembered(null)).toBe('');
  });

  it('a changed source renders anew', () => {
    expect(renderRemembered('first')).toBe('<p>first</p>\n');
    expect(renderRemembered('second')).toBe('<p>second</p>\n');
  });
});
