/**
 * A hand-written horizontal bar chart (one bar per row of a suite's `chartFigure`), plain SVG
 * with no dependency. tenantwire rows are blue, peers and baselines grey.
 */
import type { BenchResult } from './suite.js';
import { formatNumber } from './format.js';

const BAR_WIDTH = 320;
/** Room right of the longest bar for its value. */
const VALUE_ROOM = 80;
/** Approximate advance of a 12 px sans-serif character. */
const CHAR_PX = 6.6;
const ROW = 26;
const TOP = 44;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isOurs(label: string): boolean {
  return /tenantwire|\bwire\b|scanner/i.test(label);
}

/** The chart for `result.chartFigure`, or undefined when the suite charts nothing. */
export function renderChart(result: BenchResult): string | undefined {
  const figure = result.chartFigure;
  if (figure === undefined) return undefined;
  const bars = result.rows
    .map((r) => ({ label: r.label, value: r.figures[figure] }))
    .filter((b): b is { label: string; value: number } => typeof b.value === 'number' && Number.isFinite(b.value));
  if (bars.length === 0) return undefined;
  const max = Math.max(...bars.map((b) => b.value), Number.MIN_VALUE);
  const LABEL_WIDTH = Math.round(Math.max(160, Math.max(...bars.map((b) => b.label.length)) * CHAR_PX + 20));
  const WIDTH = Math.max(LABEL_WIDTH + BAR_WIDTH + VALUE_ROOM, Math.round(result.title.length * 7.6 + 20));
  const height = TOP + bars.length * ROW + 16;
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ` +
      `${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(result.title)}</text>`,
    `<text x="10" y="36" fill="#555555">${escapeXml(figure)} (longer is more)</text>`,
  ];
  bars.forEach((b, i) => {
    const y = TOP + i * ROW;
    const w = Math.max(1, Math.round((b.value / max) * BAR_WIDTH));
    const fill = isOurs(b.label) ? '#2f6fdf' : '#8a8f98';
    lines.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 16}" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${w}" height="${ROW - 8}" fill="${fill}"/>`,
      `<text x="${LABEL_WIDTH + w + 6}" y="${y + 16}">${escapeXml(formatNumber(b.value))}</text>`,
    );
  });
  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}
