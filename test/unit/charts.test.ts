import { describe, expect, it } from 'vitest';
import {
  bandCentre,
  CHART_HEIGHT,
  CHART_MARGIN,
  CHART_WIDTH,
  distributionChart,
  distributionGeometry,
  linearScale,
  niceTicks,
  trendChart,
  trendGeometry,
  type TrendPoint,
} from '../../worker/pages/app/charts';

const top = CHART_MARGIN.top;
const bottom = CHART_HEIGHT - CHART_MARGIN.bottom;
const left = CHART_MARGIN.left;
const right = CHART_WIDTH - CHART_MARGIN.right;

function point(value: number | null, spread = 10, label = 'x'): TrendPoint {
  return { label, value, low: value === null ? null : value - spread, high: value === null ? null : value + spread, href: `/app/responses?x=${label}`, description: label };
}

describe('charts', () => {
  describe('linearScale', () => {
    it('maps the domain onto the range linearly, inverted ranges included (SVG y grows downwards)', () => {
      const y = linearScale([-100, 100], [200, 0]);
      expect(y(-100)).toBe(200);
      expect(y(100)).toBe(0);
      expect(y(0)).toBe(100);
      expect(y(50)).toBe(50);
    });

    it('a domain of one value maps to the middle of the range, never NaN', () => {
      const y = linearScale([3, 3], [0, 100]);
      expect(y(3)).toBe(50);
      expect(y.ticks()).toEqual([3]);
    });
  });

  describe('niceTicks', () => {
    it.each([
      [0, 100, 4, [0, 20, 40, 60, 80, 100]],
      [-100, 100, 4, [-100, -50, 0, 50, 100]],
      [1, 7, 4, [2, 4, 6]],
      [0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]],
      [0, 13, 4, [0, 5, 10]],
    ])('[%d, %d] in about %d steps: %j', (min, max, count, expected) => {
      expect(niceTicks(min, max, count)).toEqual(expected);
    });

    it('no ticks for a domain that is not finite', () => {
      expect(niceTicks(Number.NaN, 1)).toEqual([]);
    });
  });

  describe('trendGeometry', () => {
    it('one point per period at the centre of its band, y by value; the band spans low to high', () => {
      const g = trendGeometry([point(0), point(50), point(100, 0)], [0, 100]);
      expect(g.points.map((p) => p.x)).toEqual([bandCentre(0, 3), bandCentre(1, 3), bandCentre(2, 3)].map((x) => Math.round(x * 10) / 10));
      expect(g.points.map((p) => p.y)).toEqual([bottom, (top + bottom) / 2, top]);
      expect(g.line.startsWith('M')).toBe(true);
      expect(g.line.match(/L/g)).toHaveLength(2);
      expect(g.band).toHaveLength(1);
      expect(g.band[0]).toMatch(/Z$/);
      expect(g.yTicks.map((t) => t.value)).toEqual([0, 20, 40, 60, 80, 100]);
    });

    it('a period without a score breaks the line and the band (nothing is drawn across a gap)', () => {
      const g = trendGeometry([point(10), point(20), point(null), point(30)], [0, 100]);
      expect(g.points.map((p) => p.index)).toEqual([0, 1, 3]);
      expect(g.line.match(/M/g)).toHaveLength(2);
      expect(g.band).toHaveLength(2);
    });

    it('empty data: no line, no band, no point, the axis still there', () => {
      const g = trendGeometry([], [-100, 100]);
      expect(g).toMatchObject({ line: '', band: [], points: [], xLabels: [] });
      expect(g.yTicks.length).toBeGreaterThan(0);
      const all = trendGeometry([point(null), point(null)], [0, 100]);
      expect(all.points).toEqual([]);
      expect(all.line).toBe('');
    });

    it('a single point sits in the middle; its interval is a narrow bar, not an invisible line', () => {
      const g = trendGeometry([point(40)], [0, 100]);
      expect(g.points).toEqual([{ x: (left + right) / 2, y: expect.any(Number), index: 0 }]);
      expect(g.line).toBe(`M${(left + right) / 2},${g.points[0]!.y}`);
      const xs = [...g.band[0]!.matchAll(/[ML](-?[\d.]+),/g)].map((m) => Number(m[1]));
      expect(new Set(xs)).toEqual(new Set([(left + right) / 2 - 2, (left + right) / 2 + 2]));
    });

    it('labels at most about eight periods, evenly spread', () => {
      const g = trendGeometry(Array.from({ length: 90 }, (_, i) => point(i % 100, 1, `d${i}`)), [0, 100]);
      expect(g.xLabels.length).toBeLessThanOrEqual(8);
      expect(g.xLabels[0]!.text).toBe('d0');
    });
  });

  describe('distributionGeometry', () => {
    it('bars stand on the axis, the tallest reaches the top, zeros have no height', () => {
      const bars = [0, 5, 10].map((count, i) => ({ label: String(i), count, tone: 'neutral' as const, href: '#', description: '' }));
      const g = distributionGeometry(bars);
      expect(g.bars.map((b) => b.height)).toEqual([0, (bottom - top) / 2, bottom - top]);
      expect(g.bars.every((b) => Math.abs(b.y + b.height - bottom) < 0.11)).toBe(true);
      expect(g.yTicks.every((t) => Number.isInteger(t.value))).toBe(true);
    });

    it('all zeros: no division by zero', () => {
      const g = distributionGeometry([{ label: '1', count: 0, tone: 'negative', href: '#', description: '' }]);
      expect(g.bars[0]!.height).toBe(0);
      expect(g.yTicks).toEqual([{ value: 0, y: bottom }]);
    });
  });

  describe('rendering', () => {
    it('an accessible picture: role img, a title and description named by aria-labelledby; no style attribute; links outside the picture', async () => {
      const svg = String(
        await trendChart({ id: 'trend', title: 'NPS by week', description: 'From 1 to 3 Nov', points: [point(10, 5, 'a<b')], domain: [-100, 100], format: String, empty: 'No responses' }),
      );
      expect(svg).toContain('role="img" aria-labelledby="trend-title trend-desc"');
      expect(svg).toContain('<title id="trend-title">NPS by week</title>');
      expect(svg).not.toMatch(/style=/);
      expect(svg).toContain('a&lt;b');
      expect(svg.indexOf('<a ')).toBeGreaterThan(svg.indexOf('</svg>'));
      expect(svg).toContain('href="/app/responses?x=a&lt;b"');
    });

    it('an empty chart says so', async () => {
      const trend = String(await trendChart({ id: 't', title: 'T', description: 'D', points: [], domain: [0, 100], format: String, empty: 'No responses in this period' }));
      expect(trend).toContain('No responses in this period');
      expect(trend).not.toContain('chart-links');
      const bars = String(await distributionChart({ id: 'd', title: 'T', description: 'D', bars: [{ label: '1', count: 0, tone: 'negative', href: '#', description: '' }], format: String, empty: 'Nothing yet' }));
      expect(bars).toContain('Nothing yet');
      expect(bars).not.toContain('<rect');
    });
  });
});
