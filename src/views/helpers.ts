import hbs from 'hbs';
import { formatInstant, isoInstant, type TimeZonePicker } from '../common/time';
import { toText } from '../common/to-text';
import { formatDate, formatDateRange } from '../common/zoned-time';

const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v));

type Options = { data?: { root?: Record<string, unknown> }; hash?: Record<string, unknown> };

/** The one registry of Handlebars helpers (each small and tested in helpers.spec.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Handlebars passes whatever a template names; each helper types its own parameters
export const HELPERS: Record<string, (...args: any[]) => unknown> = {
  /** {{datetime value}}: in the viewer's zone; {{datetime value also=eventZone}} adds the event's zone. */
  datetime(value: Date | string | null, options: Options) {
    const root = options?.data?.root ?? {};
    const viewerZone = (root.currentUser as { timeZone?: string } | undefined)?.timeZone ?? 'UTC';
    return formatInstant(value, viewerZone, options?.hash?.also as string | undefined);
  },
  iso(value: Date | string | null) {
    return isoInstant(value);
  },
  eq(a: unknown, b: unknown) {
    return a === b || (a !== undefined && a !== null && b !== undefined && b !== null && toText(a) === toText(b));
  },
  /** ' selected' when the option's value is the chosen one. */
  selected(value: unknown, chosen: unknown) {
    return value !== undefined && chosen !== undefined && chosen !== null && toText(value) === toText(chosen) ? 'selected' : '';
  },
  /** 'checked' when value is in the list (a checkbox group), or equals a single value. */
  checked(value: unknown, list: unknown) {
    const items = Array.isArray(list) ? list : typeof list === 'string' ? list.split(',') : list === undefined || list === null ? [] : [list];
    return items.map(String).includes(String(value)) ? 'checked' : '';
  },
  date(value: string) {
    return formatDate(value);
  },
  dateRange(from: string, to: string) {
    return formatDateRange(from, to);
  },
  plural(count: number, singular: string, plural?: unknown) {
    const many = typeof plural === 'string' ? plural : `${singular}s`;
    return `${count} ${count === 1 ? singular : many}`;
  },
  /** Errors for one field, from the root context of a re-rendered form. */
  fieldErrors(name: string, options: Options) {
    const errors = (options?.data?.root?.errors ?? {}) as Record<string, string[]>;
    return errors[name] ?? [];
  },
  fieldValue(name: string, options: Options) {
    const values = (options?.data?.root?.values ?? {}) as Record<string, unknown>;
    const v = values[name];
    return v === undefined || v === null ? '' : v;
  },
  /**
   * The <option>s of the time-zone picker: "Suggested" first, then every zone by region; the zone
   * name is value and text alike (it is also how Atelier shows zones elsewhere). Only the first
   * option of the chosen zone is marked, so the select has one selected option.
   */
  timeZoneOptions(picker: TimeZonePicker | undefined, chosen: unknown) {
    let marked = false;
    const option = (zone: string) => {
      const mark = !marked && zone === chosen;
      if (mark) marked = true;
      return `<option${mark ? ' selected' : ''}>${hbs.handlebars.escapeExpression(zone)}`; // </option> is optional in HTML
    };
    const groups = [...(picker?.suggested.length ? [{ region: 'Suggested', zones: picker.suggested }] : []), ...(picker?.groups ?? [])];
    return new hbs.handlebars.SafeString(groups.map((g) => `<optgroup label="${g.region}">${g.zones.map(option).join('')}</optgroup>`).join('\n'));
  },
  /** A value for a query string or path segment: {{urlParam tag}} → "SDG%2011". */
  urlParam(value: unknown) {
    return encodeURIComponent(toText(value));
  },
  concat(...args: unknown[]) {
    return args.slice(0, -1).map(toText).join('');
  },
  /** {{array a b}} and {{object key=value}}, for option lists written in a template. */
  array(...args: unknown[]) {
    return args.slice(0, -1);
  },
  object(options: Options) {
    return { ...(options?.hash ?? {}) };
  },
  /** Like Handlebars' own {{#if}}: an empty list counts as false. */
  or(...args: unknown[]) {
    return args.slice(0, -1).some(truthy);
  },
  and(...args: unknown[]) {
    return args.slice(0, -1).every(truthy);
  },
  not(value: unknown) {
    return !value;
  },
};
