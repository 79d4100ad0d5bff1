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
 * Headings in people's text are fitted under the page's own <h1> and <h2>: the highest level used
 * becomes <h3> (by default), and no heading goes more than one level deeper than the one before,
 * so the page keeps one well-ordered outline whatever the author typed.
 */
export function renderMarkdown(source: string | null | undefined, topLevel = 3): string {
  if (!source) return '';
  const tokens = md.parse(source, {});
  const opens = tokens.filter((t) => t.type === 'heading_open');
  const highest = Math.min(...opens.map((t) => Number(t.tag[1])), 6);
  let previous = topLevel - 1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'heading_open') continue;
    const level = Math.min(6, topLevel + Number(t.tag[1]) - highest, previous + 1);
    previous = level;
    t.tag = `h${level}`;
    const close = tokens.slice(i).find((x) => x.type === 'heading_close');
    if (close) close.tag = t.tag;
  }
  return md.renderer.render(tokens, md.options, {});
}

/** Renderings already made, by heading level and source (cleared when full: see renderRemembered). */
const remembered = new Map<string, string>();
let rememberedChars = 0;
const REMEMBER_MAX_CHARS = 4_000_000;
const REMEMBER_MAX_SOURCE = 100_000;

/**
 * `renderMarkdown`, remembered by its source: for texts shown on every view of a busy page that
 * seldom or never change (a submitted version is frozen; task instructions, reviews). The same
 * source always renders the same HTML, so nothing can go stale; the memory is bounded (about
 * 4 million characters of source, then everything is forgotten at once).
 */
export function renderRemembered(source: string | null | undefined, topLevel = 3): string {
  if (!source) return '';
  if (source.length > REMEMBER_MAX_SOURCE) return renderMarkdown(source, topLevel);
  const key = `${topLevel}|${source}`;
  let html = remembered.get(key);
  if (html === undefined) {
    html = renderMarkdown(source, topLevel);
    if (rememberedChars + source.length > REMEMBER_MAX_CHARS) {
      remembered.clear();
      rememberedChars = 0;
    }
    remembered.set(key, html);
    rememberedChars += source.length;
  }
  return html;
}
