/**
 * Charts as SVG text, drawn on the server: no JavaScript, no style attributes (the CSP allows none),
 * every piece of text escaped here. Each chart is an image with a title and a description
 * (`role="img"`, `aria-labelledby`); the page shows the same numbers in a table beside it, so the
 * chart only has to be readable at a glance. Bars are horizontal with their label and value as
 * text; the parts of a stacked bar differ by pattern as well as colour, and a legend names them.
 */

export interface Bar {
  label: string;
  value: number;
}

export interface StackedBar {
  label: string;
  /** One value per series, in the series' order. */
  values: number[];
}

interface ChartText {
  /** Unique on the page: the ids of the title, description and patterns start with it. */
  id: string;
  title: string;
  description: string;
}

const WIDTH = 640;
const LABEL_W = 190;
const BAR_X = LABEL_W + 10;
const BAR_MAX_W = 370;
const ROW_H = 28;
const BAR_H = 18;
const TOP = 10;
const LEGEND_H = 26;
const MAX_LABEL = 24;

/** Dark enough against white for a graphic (≥ 3:1) and for text (≥ 4.5:1). */
const INK = '#1a1a1a';
const SERIES = [
  { colour: '#1d4f91', pattern: 'solid' },
  { colour: '#8a4b00', pattern: 'stripes' },
  { colour: '#1b6e3a', pattern: 'dots' },
  { colour: '#5b2a86', pattern: 'cross' },
  { colour: '#3d3d3d', pattern: 'lines' },
] as const;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A label short enough for the label column (the full text stays in the bar's tooltip and the table). */
export function shortLabel(text: string, max = MAX_LABEL): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A whole number as the page writes it (1,234); other numbers with one decimal. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-GB') : n.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function open(t: ChartText, height: number): string {
  const id = escapeXml(t.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-size="13" fill="${INK}">` +
    `<title id="${id}-title">${escapeXml(t.title)}</title><desc id="${id}-desc">${escapeXml(t.description)}</desc>`
  );
}

function empty(t: ChartText): string {
  const h = TOP * 2 + ROW_H;
  return `${open(t, h)}<text x="${WIDTH / 2}" y="${TOP + 18}" text-anchor="middle">No data yet</text></svg>`;
}

function label(text: string, y: number): string {
  return `<text x="${LABEL_W}" y="${y + BAR_H - 4}" text-anchor="end">${escapeXml(shortLabel(text))}</text>`;
}

function scale(max: number): (v: number) => number {
  return (v) => (max > 0 ? Math.round((Math.max(0, v) / max) * BAR_MAX_W * 10) / 10 : 0);
}

/** A bar per item, its value written after it; `unit` follows each value ("12 h"). */
export function barChart(t: ChartText & { bars: readonly Bar[]; unit?: string }): string {
  if (!t.bars.length) return empty(t);
  const w = scale(Math.max(0, ...t.bars.map((b) => b.value)));
  const height = TOP * 2 + t.bars.length * ROW_H;
  const rows = t.bars.map((b, i) => {
    const y = TOP + i * ROW_H;
    const width = w(b.value);
    const text = `${formatNumber(b.value)}${t.unit ? ` ${t.unit}` : ''}`;
    return (
      `<g>${label(b.label, y)}` +
      `<rect x="${BAR_X}" y="${y}" width="${width}" height="${BAR_H}" fill="${SERIES[0].colour}"><title>${escapeXml(`${b.label}: ${text}`)}</title></rect>` +
      `<text x="${BAR_X + width + 6}" y="${y + BAR_H - 4}">${escapeXml(text)}</text></g>`
    );
  });
  return `${open(t, height)}<line x1="${BAR_X}" y1="${TOP - 4}" x2="${BAR_X}" y2="${height - TOP + 4}" stroke="${INK}"/>${rows.join('')}</svg>`;
}

function patternDefs(id: string, count: number): string {
  const defs = Array.from({ length: count }, (_, i) => {
    const { colour, pattern } = SERIES[i % SERIES.length];
    const pid = `${escapeXml(id)}-p${i}`;
    const body = {
      solid: `<rect width="8" height="8" fill="${colour}"/>`,
      stripes: `<rect width="8" height="8" fill="#fff"/><path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="${colour}" stroke-width="2.5"/>`,
      dots: `<rect width="8" height="8" fill="#fff"/><circle cx="4" cy="4" r="2.2" fill="${colour}"/>`,
      cross: `<rect width="8" height="8" fill="#fff"/><path d="M0,0 L8,8 M8,0 L0,8" stroke="${colour}" stroke-width="1.6"/>`,
      lines: `<rect width="8" height="8" fill="#fff"/><path d="M0,4 H8" stroke="${colour}" stroke-width="2.5"/>`,
    }[pattern];
    return `<pattern id="${pid}" width="8" height="8" patternUnits="userSpaceOnUse">${body}</pattern>`;
  });
  return `<defs>${defs.join('')}</defs>`;
}

/**
 * A bar per item made of one part per series (patterned, outlined, named in the legend above),
 * the item's total written after it.
 */
export function stackedBarChart(t: ChartText & { series: readonly string[]; bars: readonly StackedBar[] }): string {
  if (!t.bars.length || !t.series.length) return empty(t);
  const totals = t.bars.map((b) => b.values.reduce((s, v) => s + Math.max(0, v), 0));
  const w = scale(Math.max(0, ...totals));
  const id = escapeXml(t.id);
  // The legend: a swatch and a name per series, wrapping onto as many lines as it needs.
  let x = 0;
  let line = 0;
  const legend = t.series.map((name, i) => {
    const text = shortLabel(name, 30);
    const width = 19 + Math.ceil([...text].length * 7.4) + 16;
    if (x > 0 && x + width > WIDTH) {
      x = 0;
      line++;
    }
    const y = TOP + line * LEGEND_H;
    const item = `<rect x="${x + 1}" y="${y}" width="14" height="14" fill="url(#${id}-p${i})" stroke="${INK}"/><text x="${x + 20}" y="${y + 12}">${escapeXml(text)}</text>`;
    x += width;
    return item;
  });
  const top = TOP + (line + 1) * LEGEND_H;
  const height = top + t.bars.length * ROW_H + TOP;
  const rows = t.bars.map((b, row) => {
    const y = top + row * ROW_H;
    let at = BAR_X;
    const parts = t.series.map((name, i) => {
      const value = b.values[i] ?? 0;
      const width = w(value);
      if (width <= 0) return '';
      const part =
        `<rect x="${at}" y="${y}" width="${width}" height="${BAR_H}" fill="url(#${id}-p${i})" stroke="${INK}" stroke-width="1">` +
        `<title>${escapeXml(`${b.label}, ${name}: ${formatNumber(value)}`)}</title></rect>`;
      at += width;
      return part;
    });
    return `<g>${label(b.label, y)}${parts.join('')}<text x="${at + 6}" y="${y + BAR_H - 4}">${formatNumber(totals[row])}</text></g>`;
  });
  const axisTop = top - 4;
  return (
    `${open(t, height)}${patternDefs(t.id, t.series.length)}<g>${legend.join('')}</g>` +
    `<line x1="${BAR_X}" y1="${axisTop}" x2="${BAR_X}" y2="${height - TOP + 4}" stroke="${INK}"/>${rows.join('')}</svg>`
  );
}
