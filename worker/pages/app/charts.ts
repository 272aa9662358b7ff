import { html, raw } from 'hono/html';
import type { Html } from './layout';

/**
 * The dashboard's charts as server-rendered SVG (issue 15): no script, no `style` attribute (the
 * app's CSP allows only its stylesheet, by hash), colours from classes in that stylesheet. Each
 * chart is one `role="img"` picture with a `<title>` named by `aria-labelledby`; its numbers are
 * also in a table beside it. The links to the responses behind each bar or point sit in an HTML
 * layer over the picture (`chart-links`, one equal column per bar or point), because a link inside
 * a `role="img"` is hidden from assistive technology (its children are presentational) and axe
 * reports it as nested interactive content. That layer is for the mouse; keyboards and screen
 * readers get the same links in the table, so it is `aria-hidden` and out of the tab order.
 */

/** The drawing's coordinate system: the SVG scales uniformly to the page's width. */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 240;
/**
 * Plot margins. The link layer's CSS (`.chart-links` in `APP_CSS`) places itself by the same
 * margins as percentages of the width and height: change both together.
 */
export const CHART_MARGIN = { top: 16, right: 16, bottom: 32, left: 48 } as const;

/** A linear map from a domain of values to a range of pixels, with "nice" ticks. */
export interface LinearScale {
  (value: number): number;
  domain: readonly [number, number];
  range: readonly [number, number];
  ticks(count?: number): number[];
}

/**
 * `domain` → `range`, linearly. A domain of zero width (one value) maps everything to the
 * middle of the range instead of dividing by zero.
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const scale = ((value: number) => (d1 === d0 ? (r0 + r1) / 2 : r0 + ((value - d0) / (d1 - d0)) * (r1 - r0))) as LinearScale;
  scale.domain = domain;
  scale.range = range;
  scale.ticks = (count = 5) => niceTicks(Math.min(d0, d1), Math.max(d0, d1), count);
  return scale;
}

/**
 * About `count` round tick values (steps of 1, 2 or 5 times a power of ten) inside [min, max],
 * the way d3's `ticks` picks them; [min] alone when the domain has no width.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  // d3's thresholds: √50, √10, √2 (the geometric middles between 1, 2, 5 and 10).
  const step = (fraction >= Math.SQRT2 * 5 ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.SQRT2 ? 2 : 1) * power;
  const ticks: number[] = [];
  // Integers times the step, so 0.1 + 0.2 noise never reaches a label.
  for (let i = Math.ceil(min / step); i * step <= max + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** Where the plot area is inside the drawing. */
const PLOT = {
  left: CHART_MARGIN.left,
  right: CHART_WIDTH - CHART_MARGIN.right,
  top: CHART_MARGIN.top,
  bottom: CHART_HEIGHT - CHART_MARGIN.bottom,
};

/** The centre of band `index` of `count` equal bands across the plot (bars and points alike). */
export function bandCentre(index: number, count: number): number {
  const width = (PLOT.right - PLOT.left) / Math.max(1, count);
  return PLOT.left + width * (index + 0.5);
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Runs of consecutive indexes whose value is present: a line or band is not drawn across a gap. */
function segments<T>(items: T[], present: (item: T) => boolean): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  items.forEach((item, i) => {
    if (present(item)) run.push(i);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  });
  if (run.length) runs.push(run);
  return runs;
}

/** One point of the trend: a period's score with its interval (null: nothing counted in it). */
export interface TrendPoint {
  /** The axis label (a short date). */
  label: string;
  value: number | null;
  low: number | null;
  high: number | null;
  /** The responses behind the point (the filtered feed). */
  href: string;
  /** What the point's link says (date, score, n). */
  description: string;
}

/** Everything the trend chart draws, as numbers: what the unit tests check. */
export interface TrendGeometry {
  /** `M…L…` of the score, one subpath per run of periods with a score. */
  line: string;
  /** The interval band: a closed polygon per run (a single period: a vertical bar). */
  band: string[];
  points: { x: number; y: number; index: number }[];
  yTicks: { value: number; y: number }[];
  /** Which x labels are written: at most about eight, evenly spread. */
  xLabels: { x: number; text: string }[];
}

/** Lays out a trend of `points` over the y domain of the metric (e.g. [-100, 100] for NPS). */
export function trendGeometry(points: TrendPoint[], domain: readonly [number, number]): TrendGeometry {
  const y = linearScale(domain, [PLOT.bottom, PLOT.top]);
  const x = (i: number) => round(bandCentre(i, points.length));
  const runs = segments(points, (p) => p.value !== null);
  const line = runs.map((run) => run.map((i, k) => `${k ? 'L' : 'M'}${x(i)},${round(y(points[i]!.value!))}`).join('')).join('');
  const band = segments(points, (p) => p.low !== null && p.high !== null).map((run) => {
    // One period alone has no width to fill: a 4-pixel bar shows its interval.
    const xs = run.length === 1 ? [x(run[0]!) - 2, x(run[0]!) + 2] : run.map(x);
    const idx = run.length === 1 ? [run[0]!, run[0]!] : run;
    const top = idx.map((i, k) => `${k ? 'L' : 'M'}${round(xs[k]!)},${round(y(points[i]!.high!))}`).join('');
    const bottom = [...idx.keys()].reverse().map((k) => `L${round(xs[k]!)},${round(y(points[idx[k]!]!.low!))}`).join('');
    return `${top}${bottom}Z`;
  });
  const every = Math.max(1, Math.ceil(points.length / 8));
  return {
    line,
    band,
    points: points.flatMap((p, index) => (p.value === null ? [] : [{ x: x(index), y: round(y(p.value)), index }])),
    yTicks: y.ticks(4).map((value) => ({ value, y: round(y(value)) })),
    xLabels: points.flatMap((p, i) => (i % every === 0 ? [{ x: x(i), text: p.label }] : [])),
  };
}

/** The picture's frame: gridlines with their values, and x labels. */
function axes(yTicks: { value: number; y: number }[], xLabels: { x: number; text: string }[], format: (n: number) => string): Html {
  return html`<g class="chart-axis">${yTicks.map(
    (t) => html`<line class="chart-grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${t.y}" y2="${t.y}"/><text x="${PLOT.left - 6}" y="${t.y + 4}" text-anchor="end">${format(t.value)}</text>`,
  )}${xLabels.map((l) => html`<text x="${l.x}" y="${CHART_HEIGHT - 10}" text-anchor="middle">${l.text}</text>`)}</g>`;
}

/** The mouse's links over the picture (see the file's comment): one equal column per bar or point. */
function linkLayer(links: { href: string; description: string }[]): Html {
  if (!links.length) return html``;
  return html`<div class="chart-links" aria-hidden="true">${links.map((l) => html`<a href="${l.href}" tabindex="-1" title="${l.description}"></a>`)}</div>`;
}

/** A message in the middle of an empty chart. */
function emptyNote(text: string): Html {
  return html`<text class="chart-empty" x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle">${text}</text>`;
}

/**
 * The trend: the score per period as a line with its 95% interval as a band behind it, a dot per
 * period with a score. `id` makes the title's id unique on the page.
 */
export function trendChart(input: { id: string; title: string; description: string; points: TrendPoint[]; domain: readonly [number, number]; format: (n: number) => string; empty: string }): Html {
  const g = trendGeometry(input.points, input.domain);
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;
  return html`<div class="chart"><svg class="chart-svg" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title id="${titleId}">${input.title}</title><desc id="${descId}">${input.description}</desc>${axes(
    g.yTicks,
    g.xLabels,
    input.format,
  )}${g.band.map((d) => html`<path class="chart-band" d="${d}"/>`)}${g.line ? html`<path class="chart-line" d="${g.line}" fill="none"/>` : ''}${g.points.map(
    (p) => html`<circle class="chart-point" cx="${p.x}" cy="${p.y}" r="3.5"/>`,
  )}${g.points.length ? '' : emptyNote(input.empty)}</svg>${linkLayer(input.points)}</div>`;
}

/** One bar of the distribution: an answer, how many gave it, its sentiment's colour. */
export interface DistributionBar {
  label: string;
  count: number;
  tone: 'negative' | 'neutral' | 'positive';
  href: string;
  description: string;
}

/** The bars as numbers: what the unit tests check. */
export function distributionGeometry(bars: DistributionBar[]) {
  const max = Math.max(0, ...bars.map((b) => b.count));
  const y = linearScale([0, max || 1], [PLOT.bottom, PLOT.top]);
  const width = (PLOT.right - PLOT.left) / Math.max(1, bars.length);
  const ticks = max ? y.ticks(4).filter((v) => Number.isInteger(v)) : [0];
  return {
    bars: bars.map((b, i) => ({ x: round(PLOT.left + width * i + width * 0.15), width: round(width * 0.7), y: round(y(b.count)), height: round(PLOT.bottom - y(b.count)), centre: round(bandCentre(i, bars.length)) })),
    yTicks: ticks.map((value) => ({ value, y: round(y(value)) })),
  };
}

/** The answer distribution: one bar per answer of the scale, zeros included. */
export function distributionChart(input: { id: string; title: string; description: string; bars: DistributionBar[]; format: (n: number) => string; empty: string }): Html {
  const g = distributionGeometry(input.bars);
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;
  const total = input.bars.reduce((sum, b) => sum + b.count, 0);
  return html`<div class="chart"><svg class="chart-svg" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title id="${titleId}">${input.title}</title><desc id="${descId}">${input.description}</desc>${axes(
    g.yTicks,
    input.bars.map((b, i) => ({ x: g.bars[i]!.centre, text: b.label })),
    input.format,
  )}${g.bars.map((b, i) => (input.bars[i]!.count ? html`<rect class="chart-bar ${raw(`tone-${input.bars[i]!.tone}`)}" x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}"/>` : ''))}${
    total ? '' : emptyNote(input.empty)
  }</svg>${linkLayer(input.bars)}</div>`;
}

/**
 * The stylesheet rules of the charts, appended to the app's one stylesheet (`APP_CSS`). The link
 * layer's insets are CHART_MARGIN as percentages of CHART_WIDTH and CHART_HEIGHT.
 */
export const CHART_CSS = `.chart{position:relative;max-width:40rem;margin:0 0 1rem}.chart-svg{display:block;width:100%;height:auto}
.chart-axis text{fill:var(--muted);font-size:12px}.chart-grid{stroke:var(--line);stroke-width:1}.chart-empty{fill:var(--muted);font-size:14px}
.chart-band{fill:var(--accent);fill-opacity:.18}.chart-line{stroke:var(--accent);stroke-width:2.5}.chart-point{fill:var(--accent)}
.chart-bar.tone-negative{fill:var(--error)}.chart-bar.tone-neutral{fill:var(--muted)}.chart-bar.tone-positive{fill:var(--ok)}
.chart-links{position:absolute;left:${pct(CHART_MARGIN.left, CHART_WIDTH)};right:${pct(CHART_MARGIN.right, CHART_WIDTH)};top:${pct(CHART_MARGIN.top, CHART_HEIGHT)};bottom:${pct(CHART_MARGIN.bottom, CHART_HEIGHT)};display:grid;grid-auto-flow:column;grid-auto-columns:1fr}
.chart-links a:hover{background:var(--accent);opacity:.12}`;

function pct(part: number, whole: number): string {
  return `${Math.round((part / whole) * 10000) / 100}%`;
}
