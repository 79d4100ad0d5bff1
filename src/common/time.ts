/**
 * ICU lists some zones under their old CLDR names; people (and the IANA database) use the
 * current ones. The picker shows the current name; both validate.
 */
const CURRENT_NAMES: Record<string, string> = {
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Africa/Asmera': 'Africa/Asmara',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
};

/** Time zones the runtime knows (current IANA names), for validation and for the zone picker. */
export const TIME_ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone').map((z) => CURRENT_NAMES[z] ?? z), 'UTC']
  .filter((z, i, a) => a.indexOf(z) === i)
  .sort();
const ZONE_SET = new Set(TIME_ZONES.map((z) => z.toLowerCase()));

export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || !zone) return false;
  if (ZONE_SET.has(zone.toLowerCase())) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone);
  } catch {
    return false;
  }
}

/** Every zone grouped by region (Africa, America, Asia, …; "Other" for UTC), built once. */
const ZONE_GROUPS: readonly { region: string; zones: readonly string[] }[] = (() => {
  const groups = new Map<string, string[]>();
  for (const zone of TIME_ZONES) {
    const key = zone.includes('/') ? zone.split('/')[0] : 'Other';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(zone);
  }
  return [...groups].map(([region, zones]) => ({ region, zones }));
})();

export interface TimeZonePicker {
  /** The zones this form most likely needs (the person's own, the workshop's, the team's…), first. */
  suggested: string[];
  groups: readonly { region: string; zones: readonly string[] }[];
}

/**
 * What the zone picker offers: a short "Suggested" group first, then every zone by region.
 * Rendered by the `timeZoneOptions` helper as compact <option>s (the zone name is both value
 * and text), which keeps a form with the picker about 10 KB lighter than labelled options.
 */
export function timeZonePicker(suggested: readonly (string | null | undefined)[] = []): TimeZonePicker {
  const known = new Set(TIME_ZONES);
  return { suggested: [...new Set(suggested.map((z) => (z && CURRENT_NAMES[z]) || z).filter((z): z is string => !!z && known.has(z)))], groups: ZONE_GROUPS };
}

const instantFormatters = new Map<string, Intl.DateTimeFormat>();
function instantFormatter(zone: string): Intl.DateTimeFormat {
  let f = instantFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: zone,
    });
    instantFormatters.set(zone, f);
  }
  return f;
}

/** Instants already formatted, by zone then instant: pages show the same deadlines and times on every request (cleared when full). */
const formattedInstants = new Map<string, Map<number, string>>();

function formatOne(t: number, zone: string): string {
  let byTime = formattedInstants.get(zone);
  let text = byTime?.get(t);
  if (text === undefined) {
    const parts = Object.fromEntries(
      instantFormatter(zone)
        .formatToParts(new Date(t))
        .map((p) => [p.type, p.value]),
    );
    text = `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} (${zone})`;
    // Kept only once the zone has formatted (an unknown zone throws above).
    if (!byTime) formattedInstants.set(zone, (byTime = new Map<number, string>()));
    if (byTime.size >= 20_000) byTime.clear();
    byTime.set(t, text);
  }
  return text;
}

/**
 * One instant as a person reads it: "Tue 21 Oct 2025, 09:00 (Asia/Shanghai)". With `alsoZone`
 * different from the viewer's zone, the same instant follows in that zone too.
 */
export function formatInstant(value: Date | string | null | undefined, zone = 'UTC', alsoZone?: string): string {
  if (value === null || value === undefined || value === '') return '';
  const t = value instanceof Date ? value.getTime() : new Date(value).getTime();
  if (Number.isNaN(t)) return '';
  const main = formatOne(t, zone);
  return alsoZone && alsoZone !== zone ? `${main} · ${formatOne(t, alsoZone)}` : main;
}

/** Machine-readable value for <time datetime="…">. */
export function isoInstant(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
