/** ISO 3166-1 alpha-2 codes of the current countries and territories. */
const CODES =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'.split(
    ' ',
  );

/** Names as the United Nations writes them where they differ from common English usage. */
const UN_NAMES: Record<string, string> = {
  VN: 'Viet Nam',
  KR: 'Republic of Korea',
  KP: "Democratic People's Republic of Korea",
  IR: 'Iran (Islamic Republic of)',
  TZ: 'United Republic of Tanzania',
  LA: "Lao People's Democratic Republic",
  CD: 'Democratic Republic of the Congo',
  CG: 'Congo',
  CI: "Côte d'Ivoire",
  BO: 'Bolivia (Plurinational State of)',
  VE: 'Venezuela (Bolivarian Republic of)',
  MD: 'Republic of Moldova',
  SY: 'Syrian Arab Republic',
  TR: 'Türkiye',
  CZ: 'Czechia',
  FM: 'Micronesia (Federated States of)',
};

const display = new Intl.DisplayNames(['en'], { type: 'region' });

export const COUNTRIES: readonly { code: string; name: string }[] = CODES.map((code) => ({ code, name: UN_NAMES[code] ?? display.of(code) ?? code })).sort(
  (a, b) => a.name.localeCompare(b.name, 'en'),
);
const BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c.name]));

export function isCountryCode(code: unknown): code is string {
  return typeof code === 'string' && BY_CODE.has(code);
}

export function countryName(code: string): string {
  return BY_CODE.get(code) ?? code;
}

/** UNESCO's regional groups. */
export const REGIONS = [
  { value: 'africa', label: 'Africa' },
  { value: 'arab-states', label: 'Arab States' },
  { value: 'asia-pacific', label: 'Asia and the Pacific' },
  { value: 'europe-north-america', label: 'Europe and North America' },
  { value: 'latin-america-caribbean', label: 'Latin America and the Caribbean' },
] as const;
export type Region = (typeof REGIONS)[number]['value'];
export const REGION_VALUES = REGIONS.map((r) => r.value);
export function regionLabel(value: string): string {
  return REGIONS.find((r) => r.value === value)?.label ?? value;
}
