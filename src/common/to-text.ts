/**
 * A form, query or view value as text: what String() gives for the strings, numbers, booleans,
 * dates and lists of them that forms and view models hold; '' for null and undefined. (Form and
 * query parsers here never produce nested objects, so no value reads "[object Object]".)
 */
export function toText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a plain object would read "[object Object]"; none reaches here (see above)
  return String(v);
}
