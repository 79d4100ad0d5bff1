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

export function renderMarkdown(source: string | null | undefined): string {
  return source ? md.render(source) : '';
}
