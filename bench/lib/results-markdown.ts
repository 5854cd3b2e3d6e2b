/** Markdown for one suite's results, and bench/results/README.md collecting all of them. */
import { formatNumber, formatRatio } from './format.js';
import { describeMachine } from './machine.js';
import type { ResultRecord } from './result-record-type.js';
import type { BenchRatio } from './suite.js';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function renderTable(record: Pick<ResultRecord, 'rows'>): string {
  const columns: string[] = [];
  for (const row of record.rows) for (const k of Object.keys(row.figures)) if (!columns.includes(k)) columns.push(k);
  const lines = [`| | ${columns.map(cell).join(' | ')} |`, `|---|${columns.map(() => '---:').join('|')}|`];
  for (const row of record.rows) {
    const values = columns.map((c) => {
      const v = row.figures[c];
      return v === undefined ? '' : formatNumber(v);
    });
    lines.push(`| ${cell(row.label)} | ${values.join(' | ')} |`);
  }
  return lines.join('\n');
}

function formatValue(r: BenchRatio, x: number): string {
  return r.unit === 'ms' ? `${formatNumber(x)} ms` : formatRatio(x);
}

/** `≥ 3×`, `< 5 ms`. */
export function formatGoal(r: BenchRatio): string {
  if (!r.goal) return '';
  const op = { '>=': '≥', '<=': '≤', '<': '<' }[r.goal.op];
  return `${op} ${formatValue(r, r.goal.bound)}`;
}

export function goalMet(r: BenchRatio): boolean | undefined {
  if (!r.goal || !Number.isFinite(r.value)) return undefined;
  const { op, bound } = r.goal;
  return op === '>=' ? r.value >= bound : op === '<=' ? r.value <= bound : r.value < bound;
}

export function renderRatios(record: Pick<ResultRecord, 'ratios'>): string {
  if (record.ratios.length === 0) return '';
  // The goal columns only for suites that set goals: the others keep their table.
  const goals = record.ratios.some((r) => r.goal !== undefined);
  const lines = goals
    ? ['| Ratio (A over B) | Value | Better when | Goal | Met |', '|---|---:|---|---|---|']
    : ['| Ratio (A over B) | Value | Better when |', '|---|---:|---|'];
  for (const r of record.ratios) {
    const base = `| ${cell(r.label)} | ${formatValue(r, r.value)} | ${r.higherIsBetter ? 'higher' : 'lower'} |`;
    if (!goals) lines.push(base);
    else {
      const met = goalMet(r);
      lines.push(`${base} ${formatGoal(r)} | ${met === undefined ? '' : met ? 'yes' : 'no'} |`);
    }
  }
  return lines.join('\n');
}

/** One suite; `level` 1 for its own file, 2 inside the collecting README. */
export function renderSuiteMarkdown(record: ResultRecord, hasChart: boolean, level: 1 | 2): string {
  const h = level === 1 ? '#' : '##';
  const parts = [
    `${h} ${record.title}`,
    `Measured ${record.date.slice(0, 10)}${record.revision ? ` at ${record.revision}` : ''} by ` +
      `\`${record.command}\` (${record.mode}, ${Math.round(record.elapsedSec)} s) on ` +
      `${describeMachine(record.machine)}; load average ${(record.loadAverage ?? NaN).toFixed(1)} at the start.`,
    renderTable(record),
  ];
  const ratios = renderRatios(record);
  if (ratios) parts.push(ratios);
  if (record.notes.length > 0) parts.push(record.notes.map((n) => `- ${n}`).join('\n'));
  if (hasChart) parts.push(`![${record.chartFigure ?? record.name}](${record.name}.svg)`);
  return `${parts.join('\n\n')}\n`;
}

export function renderResultsReadme(records: readonly ResultRecord[]): string {
  const parts = [
    '# Benchmark results',
    'Written by `npm run bench` (see docs/performance.md): one JSON (every figure, the machine, the peers, the ' +
      'command), one table and one chart per suite. Figures are medians of what one run measured side by side on ' +
      'the machine named under each table; compare ratios, not absolute numbers, across machines.',
  ];
  const peers = new Map<string, string>();
  for (const r of records) for (const [k, v] of Object.entries(r.peers)) peers.set(k, v);
  if (peers.size > 0) parts.push(`Peers (Debian packages): ${[...peers].map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  if (records.length === 0) parts.push('No results yet: run `npm run bench -- --quick`.');
  for (const r of records) {
    const hasChart =
      r.chartFigure !== undefined &&
      r.rows.some((row) => r.chartFigure !== undefined && row.figures[r.chartFigure] !== undefined);
    parts.push(renderSuiteMarkdown(r, hasChart, 2).trimEnd());
  }
  return `${parts.join('\n\n')}\n`;
}
