import { keptValues } from './form-view';
import { toText } from './to-text';

/** One field of a form as a person reads it, from a form's values (stored or as typed). */
export interface ConflictField {
  label: string;
  show: (values: Record<string, unknown>) => string;
}

const text = (v: unknown) => toText(v).replace(/\r\n?/g, '\n').trim();
const list = (v: unknown) => (Array.isArray(v) ? v.map(text) : text(v) ? text(v).split(',') : []);
type Options = readonly { value: string; label: string }[];
const labelOf = (options: Options, v: string) => options.find((o) => o.value === v)?.label ?? v;

/** Ways to show a field: plain text, one choice, several choices, a checkbox, several fields in one. */
export const show = {
  text: (name: string) => (values: Record<string, unknown>) => text(values[name]),
  choice: (name: string, options: Options) => (values: Record<string, unknown>) => (text(values[name]) ? labelOf(options, text(values[name])) : ''),
  choices: (name: string, options: Options) => (values: Record<string, unknown>) =>
    list(values[name])
      .filter(Boolean)
      .map((v) => labelOf(options, v))
      .sort()
      .join(', '),
  flag: (name: string) => (values: Record<string, unknown>) => (text(values[name]) === 'on' ? 'Yes' : 'No'),
  joined:
    (...names: string[]) =>
    (values: Record<string, unknown>) =>
      names
        .map((n) => text(values[n]))
        .filter(Boolean)
        .join(' '),
};

/**
 * The edit form again after someone else saved the same record: the form holds what this person
 * typed (nothing is lost) with the saved version's number, so saving again is the one way on;
 * a notice lists, field by field, where the saved version and theirs differ.
 *
 * `fresh` is the form's context as it is now (its `values` are the saved record); `body` is what
 * was posted; `discardHref` opens the saved version.
 */
export function editConflictView(
  fresh: Record<string, unknown>,
  body: unknown,
  fields: ConflictField[],
  conflict: { what: string; savedAt: Date; discardHref: string },
) {
  const saved = (fresh.values ?? {}) as Record<string, unknown>;
  const typed = keptValues(body);
  const changes = fields.map((f) => ({ label: f.label, saved: f.show(saved), typed: f.show(typed) })).filter((c) => c.saved !== c.typed);
  return {
    ...fresh,
    title: `Changed by someone else: ${toText(fresh.title)}`,
    values: { ...typed, version: saved.version },
    conflict: { ...conflict, changes },
  };
}
