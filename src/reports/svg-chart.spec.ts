import { barChart, escapeXml, shortLabel, stackedBarChart } from './svg-chart';

/** The text nodes of an SVG, unescaped as a reader would get them. */
const unescape = (s: string) => s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]));
const rects = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*>(?:<title>)/g)].map((m) => Number(m[2]));

describe('SVG charts', () => {
  it('are images named by a title and a description', () => {
    const svg = barChart({ id: 'c1', title: 'Participation', description: '3 invited, 2 accepted.', bars: [{ label: 'Invited', value: 3 }] });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc"/);
    expect(svg).toContain('<title id="c1-title">Participation</title><desc id="c1-desc">3 invited, 2 accepted.</desc>');
    expect(svg).not.toMatch(/style=|<script/);
  });

  it('escapes team names and every other text', () => {
    const evil = `<script>alert("x")</script> & 'Team'`;
    const svg = stackedBarChart({ id: 'c"2', title: evil, description: evil, series: [evil], bars: [{ label: evil, values: [1] }] });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('c"2');
    expect(svg).toContain(escapeXml(evil));
    expect(texts(svg)).toContain(shortLabel(evil));
  });

  it('draws zero data as empty bars with their values', () => {
    const svg = barChart({
      id: 'z',
      title: 'Nothing',
      description: 'None.',
      bars: [
        { label: 'A', value: 0 },
        { label: 'B', value: 0 },
      ],
    });
    expect(rects(svg)).toEqual([0, 0]);
    expect(texts(svg)).toEqual(['A', '0', 'B', '0']);
    expect(svg).not.toContain('NaN');
  });

  it('says so when there is nothing to draw', () => {
    expect(texts(barChart({ id: 'e', title: 'T', description: 'D', bars: [] }))).toEqual(['No data yet']);
    expect(texts(stackedBarChart({ id: 'e', title: 'T', description: 'D', series: ['P'], bars: [] }))).toEqual(['No data yet']);
  });

  it('draws one bar at full width', () => {
    const svg = barChart({ id: 'one', title: 'T', description: 'D', bars: [{ label: 'Only', value: 7 }], unit: 'h' });
    expect(rects(svg)).toEqual([370]);
    expect(texts(svg)).toEqual(['Only', '7 h']);
  });

  it('scales many bars to the largest and grows in height', () => {
    const bars = Array.from({ length: 40 }, (_, i) => ({ label: `Team ${i}`, value: i }));
    const svg = barChart({ id: 'many', title: 'T', description: 'D', bars });
    const widths = rects(svg);
    expect(widths).toHaveLength(40);
    expect(widths[39]).toBe(370);
    expect(widths[20]).toBeCloseTo(370 * (20 / 39), 0);
    expect(svg).toMatch(/viewBox="0 0 640 1140"/);
  });

  it('stacks parts with a pattern each, a legend and the total', () => {
    const svg = stackedBarChart({
      id: 's',
      title: 'Submissions',
      description: 'D',
      series: ['Online before', 'In person', 'Online after'],
      bars: [
        { label: 'Kenya', values: [2, 1, 0] },
        { label: 'Peru', values: [0, 0, 3] },
      ],
    });
    expect(svg.match(/<pattern /g)).toHaveLength(3);
    expect(texts(svg)).toEqual(['Online before', 'In person', 'Online after', 'Kenya', '3', 'Peru', '3']);
    expect(svg).toContain('fill="url(#s-p1)"');
    expect(svg).toContain('<title>Kenya, In person: 1</title>');
    expect(svg).not.toContain('Peru, Online before'); // a zero part is not drawn
  });

  it('shortens long labels, keeping the full text in the tooltip', () => {
    const long = 'Team of the Democratic Republic of São Tomé and Príncipe';
    const svg = barChart({ id: 'l', title: 'T', description: 'D', bars: [{ label: long, value: 1 }] });
    expect(texts(svg)[0]).toBe(shortLabel(long));
    expect(texts(svg)[0].endsWith('…')).toBe(true);
    expect(svg).toContain(`<title>${long}: 1</title>`);
  });
});

describe('stacked chart legend', () => {
  it('wraps onto more lines instead of running off the chart', () => {
    const series = [
      'Online phase: preparing the country context',
      'In-person week in Shanghai',
      'Online follow-up: finalising the drafts',
      'Outside the phases',
    ];
    const svg = stackedBarChart({ id: 'w', title: 'T', description: 'D', series, bars: [{ label: 'Kenya', values: [1, 1, 1, 1] }] });
    const xs = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="14"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    expect(xs).toHaveLength(4);
    expect(new Set(xs.map((p) => p.y)).size).toBeGreaterThan(1);
    const ends = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="14"[^>]*\/><text x="([\d.]+)" y="[\d.]+">([^<]*)<\/text>/g)].map(
      (m) => Number(m[2]) + [...m[3]].length * 7.4,
    );
    for (const end of ends) expect(end).toBeLessThanOrEqual(640);
  });
});
