import MarkdownIt from 'markdown-it';

/**
 * Markdown to HTML that is safe to place with {{{triple braces}}}: raw HTML in the source is
 * escaped (html: false) and markdown-it refuses javascript:, vbscript: and data: links.
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLink(tokens, idx, options, env, self);
};

/**
 * Headings in people's text are demoted (by default "#" becomes <h3>) so they sit under the
 * page's own <h1> and <h2> and the page keeps one outline.
 */
export function renderMarkdown(source: string | null | undefined, headingOffset = 2): string {
  if (!source) return '';
  const tokens = md.parse(source, {});
  for (const t of tokens) {
    if ((t.type === 'heading_open' || t.type === 'heading_close') && /^h[1-6]$/.test(t.tag)) {
      t.tag = `h${Math.min(6, Number(t.tag[1]) + headingOffset)}`;
    }
  }
  return md.renderer.render(tokens, md.options, {});
}
