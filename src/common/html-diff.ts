import { diffArrays } from 'diff';

/**
 * Word-level differences between two HTML fragments that renderMarkdown() produced, shown as the
 * team wrote them (headings, lists, emphasis) with <ins>/<del> marks around the changed words.
 *
 * Safety: the inputs are markdown-it output with raw HTML disabled, so every `<` in them starts
 * one of markdown-it's own tags and all text is already escaped. Tags are kept whole and checked
 * against the tags markdown-it writes (anything else is escaped); marks wrap only runs of text
 * between tags, so they never cross an element boundary. The inline view keeps exactly the tags of
 * the newer version (and the "before" view those of the older one), so the result is as
 * well-formed as its source.
 */

export interface HtmlDiff {
  /** The newer version with insertions and deletions marked in place. */
  inline: string;
  /** The older version, deletions marked. */
  before: string;
  /** The newer version, insertions marked. */
  after: string;
  added: number;
  removed: number;
  /** False when the texts were too different to compare within the time limit (no marks then). */
  compared: boolean;
}

const TAG = /^<\/?(?:p|h[1-6]|ul|ol|li|strong|em|s|code|pre|blockquote|a|hr|br|img|table|thead|tbody|tr|th|td)(?:\s[^<>]*)?\/?>$/;
const TOKEN =
  /<[^>]*>|&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{M}\p{N}_]+|\s+|[^\s<&\p{L}\p{M}\p{N}_]+|[<&]/giu;
/** Elements in which text may not stand directly: marked deleted text waits for the next element that takes it. */
const NO_TEXT = new Set(['ul', 'ol', 'table', 'thead', 'tbody', 'tr']);
const LABEL = { ins: 'added', del: 'removed' } as const;

function tokenize(html: string): string[] {
  return (html.match(TOKEN) ?? []).map((t) => (t.startsWith('<') && t.length > 1 && !TAG.test(t) ? t.replace(/</g, '&lt;').replace(/>/g, '&gt;') : t));
}

const isTag = (t: string) => t.length > 1 && t.startsWith('<');
const isWord = (t: string) => !isTag(t) && /[\p{L}\p{N}]/u.test(t);

/** Marks a run of words; white space at its ends stays outside the mark. */
function mark(kind: 'ins' | 'del', text: string): string {
  if (!text.trim()) return text;
  const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  return `${lead}<${kind}><span class="visually-hidden">[${LABEL[kind]}: </span>${core}<span class="visually-hidden">]</span></${kind}>${trail}`;
}

type Part = { kind: 'same' | 'added' | 'removed'; tokens: string[] };

/** Writes one view: which parts' tags to keep, which parts' words to mark, which to leave out. */
function render(parts: Part[], view: 'inline' | 'before' | 'after'): string {
  const out: string[] = [];
  const open: string[] = [];
  let pendingDel = '';
  const textAllowed = () => !NO_TEXT.has(open[open.length - 1] ?? '');
  const emitTag = (tag: string) => {
    out.push(tag);
    const m = /^<(\/)?([a-z0-9]+)/i.exec(tag);
    if (m && !/\/>$/.test(tag) && !['hr', 'br', 'img'].includes(m[2].toLowerCase())) {
      if (m[1]) open.pop();
      else open.push(m[2].toLowerCase());
    }
    if (pendingDel && textAllowed()) {
      out.push(pendingDel);
      pendingDel = '';
    }
  };
  for (const part of parts) {
    const keepTags = part.kind === 'same' || (part.kind === 'added' && view !== 'before') || (part.kind === 'removed' && view === 'before');
    const showWords = part.kind === 'same' || (part.kind === 'added' && view !== 'before') || (part.kind === 'removed' && view !== 'after');
    if (!showWords) continue;
    const kind = part.kind === 'added' ? 'ins' : part.kind === 'removed' ? 'del' : null;
    let run = '';
    const flush = () => {
      if (!run) return;
      const text = kind ? mark(kind, run) : run;
      if (kind === 'del' && !textAllowed()) pendingDel += text.trim() ? text : '';
      else out.push(text);
      run = '';
    };
    for (const token of part.tokens) {
      if (isTag(token)) {
        flush();
        if (keepTags) emitTag(token);
      } else run += token;
    }
    flush();
  }
  if (pendingDel) out.push(`<p>${pendingDel}</p>`);
  // A removal directly followed by an insertion (a word replaced) gets a space between the two.
  return out.join('').replace(/<\/del><ins>/g, '</del> <ins>');
}

/**
 * A rewritten sentence reads better as "old words, then new words" than as alternating single
 * words: changes separated only by white space (no tag, no word in common) become one removal
 * followed by one insertion.
 */
function regroup(parts: Part[]): Part[] {
  const out: Part[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    if (removed.length) out.push({ kind: 'removed', tokens: removed });
    if (added.length) out.push({ kind: 'added', tokens: added });
    removed = [];
    added = [];
  };
  const spaceOnly = (p: Part) => p.kind === 'same' && p.tokens.every((t) => !isTag(t) && !t.trim());
  const isChange = (p: Part | undefined) => p !== undefined && p.kind !== 'same';
  parts.forEach((p, i) => {
    if (p.kind === 'removed') removed.push(...p.tokens);
    else if (p.kind === 'added') added.push(...p.tokens);
    else if (spaceOnly(p) && isChange(parts[i - 1]) && isChange(parts[i + 1]) && (removed.length || added.length)) {
      removed.push(...p.tokens);
      added.push(...p.tokens);
    } else {
      flush();
      out.push(p);
    }
  });
  flush();
  return out;
}

export function htmlDiff(beforeHtml: string, afterHtml: string, timeoutMs = 2000): HtmlDiff {
  const a = tokenize(beforeHtml);
  const b = tokenize(afterHtml);
  const changes = diffArrays(a, b, { timeout: timeoutMs });
  if (!changes) return { inline: b.join(''), before: a.join(''), after: b.join(''), added: 0, removed: 0, compared: false };
  const parts = regroup(changes.map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', tokens: c.value })));
  const words = (kind: Part['kind']) => parts.filter((p) => p.kind === kind).reduce((n, p) => n + p.tokens.filter(isWord).length, 0);
  return {
    inline: render(parts, 'inline'),
    before: render(parts, 'before'),
    after: render(parts, 'after'),
    added: words('added'),
    removed: words('removed'),
    compared: true,
  };
}
