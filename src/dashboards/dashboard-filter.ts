import { FormInvalidError } from '../common/errors';

/** Days without recorded activity after which a team is listed as quiet, unless the form says otherwise. */
export const DEFAULT_INACTIVE_DAYS = 7;
export const MAX_INACTIVE_DAYS = 90;

export interface DashboardFilter {
  /** Only this phase's tasks; null: every phase. */
  phaseId: number | null;
  inactiveDays: number;
}

/** The filter's fields as typed (first value of a repeated parameter), for the form to show again. */
export function dashboardValues(query: Record<string, unknown>): { phase?: string; inactive?: string } {
  const first = (v: unknown) => {
    const x = Array.isArray(v) ? (v[0] as unknown) : v;
    return typeof x === 'string' && x.trim() !== '' ? x.replaceAll('\u0000', '').trim().slice(0, 40) : undefined;
  };
  return { phase: first(query.phase), inactive: first(query.inactive) };
}

/**
 * Reads the dashboard's GET form: `phase` (a phase of the course, or empty for all) and `inactive`
 * (whole days, 1 to 90). A bad value is a message at its field (422, the page shown with the
 * default in its place), never silently dropped. `lenient` gives that default instead of throwing.
 */
export function parseDashboardFilter(query: Record<string, unknown>, phaseIds: readonly number[], lenient = false): DashboardFilter {
  const problems: Record<string, string[]> = {};
  const values = dashboardValues(query);
  const filter: DashboardFilter = { phaseId: null, inactiveDays: DEFAULT_INACTIVE_DAYS };
  if (Array.isArray(query.phase)) problems.phase = ['Choose one phase.'];
  else if (values.phase !== undefined) {
    if (/^\d{1,10}$/.test(values.phase) && phaseIds.includes(Number(values.phase))) filter.phaseId = Number(values.phase);
    else problems.phase = ['Choose a phase from the list.'];
  }
  if (Array.isArray(query.inactive)) problems.inactive = ['Give one number of days.'];
  else if (values.inactive !== undefined) {
    const n = /^\d{1,3}$/.test(values.inactive) ? Number(values.inactive) : NaN;
    if (n >= 1 && n <= MAX_INACTIVE_DAYS) filter.inactiveDays = n;
    else problems.inactive = [`Enter a whole number of days from 1 to ${MAX_INACTIVE_DAYS}.`];
  }
  if (Object.keys(problems).length && !lenient) throw new FormInvalidError(problems);
  return filter;
}
