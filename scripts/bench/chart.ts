// The chart: one bar per worker per configuration, its height the requests
// per second that worker served (over all rounds). Even bars in a group mean
// the work was shared evenly; the number above a group is its spread. Two
// panels, fresh connections and keep-alive, each with its own scale.
// Plain SVG text, no library: the lesson page and the docs site embed the file.
import { escapeHtml } from '../tools/escape-html';
import type { BenchResults, ConfigurationResult } from './results';
import type { ConnectionMode } from './load';

const WIDTH = 960;
const PANEL_HEIGHT = 270;
const TOP = 104;
const LEFT = 72;
const RIGHT = 16;
const PANEL_GAP = 78;
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

/** Okabe–Ito colours: told apart with any kind of colour vision. */
const COLOURS: Record<string, string> = {
  single: '#6b6b6b',
  'node-rr': '#0072B2',
  'node-none': '#56B4E9',
  'ours-rr': '#D55E00',
  'ours-none': '#E69F00',
  'node-reuseport': '#009E73',
  'ours-reuseport': '#CC79A7',
  'raw-rr': '#999999',
};

/** The label under a group, on two lines: whose cluster, then how it shares the port. */
const SHORT_NAMES: Record<string, [string, string]> = {
  single: ['one process', ''],
  'node-rr': ['node', 'RR'],
  'node-none': ['node', 'NONE'],
  'ours-rr': ['ours', 'RR'],
  'ours-none': ['ours', 'shared'],
  'node-reuseport': ['node', 'reusePort'],
  'ours-reuseport': ['ours', 'reusePort'],
  'raw-rr': ['ours raw', 'RR (internals)'],
};
const LEGEND_ROW = 18;

const PANELS: ReadonlyArray<{ mode: ConnectionMode; title: string }> = [
  { mode: 'fresh', title: 'Fresh connections (Connection: close)' },
  { mode: 'keep-alive', title: 'Keep-alive connections' },
];

export function renderChart(results: BenchResults): string {
  const panels = PANELS.map((panel) => ({
    ...panel,
    configurations: results.configurations.filter((configuration) => configuration.mode === panel.mode),
  })).filter((panel) => panel.configurations.length > 0);
  // Room under the last panel for the legend, which may take two rows.
  const height = TOP + panels.length * (PANEL_HEIGHT + PANEL_GAP) + 40 + LEGEND_ROW;
  const { settings, machine } = results;
  const subtitle =
    `Node ${machine.node}, ${machine.cpus} CPUs (the load generator takes one), ${settings.rounds} rounds × ` +
    `${settings.durationSeconds} s per configuration${results.quick ? ' (quick run)' : ''}, ${results.createdAt.slice(0, 10)}.`;
  // The bars add all rounds up; the spread is taken round by round. A group
  // can look even and still have had uneven rounds: the number says so.
  const explanation =
    'Bars: requests/s per worker, all rounds together. Number: median of the per-round spreads (busiest / idlest worker).';
  const body = panels.map((panel, index) =>
    renderPanel(panel.title, panel.configurations, TOP + index * (PANEL_HEIGHT + PANEL_GAP)),
  );
  const description = describeForScreenReaders(results);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="bench-title bench-desc" font-family="${FONT}">`,
    `<title id="bench-title">Requests per second served by each worker, per configuration</title>`,
    `<desc id="bench-desc">${escapeHtml(description)}</desc>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="26" font-size="18" font-weight="600" fill="#1a1a1a">Requests per second served by each worker</text>`,
    `<text x="${LEFT}" y="46" font-size="12" fill="#444444">${escapeHtml(subtitle)}</text>`,
    `<text x="${LEFT}" y="64" font-size="12" fill="#444444">${escapeHtml(explanation)}</text>`,
    ...body,
    renderLegend(height - 22 - LEGEND_ROW, results.configurations),
    '</svg>',
    '',
  ].join('\n');
}

function renderPanel(title: string, configurations: readonly ConfigurationResult[], top: number): string {
  const bottom = top + PANEL_HEIGHT;
  const highest = Math.max(1, ...configurations.flatMap((c) => c.summary.perWorkerRequestsPerSecond));
  const axis = niceAxis(highest);
  const y = (value: number): number => bottom - (value / axis.max) * (PANEL_HEIGHT - 24);

  // Horizontal room: every bar takes one unit, every gap between groups two,
  // and one more unit between the worker-count sections.
  const groups = configurations.map((configuration) => ({ configuration, bars: configuration.summary.perWorkerRequests.length }));
  const units = groups.reduce((total, group) => total + group.bars, 0) + 2 * groups.length + 2;
  const unit = (WIDTH - LEFT - RIGHT) / units;
  const barWidth = Math.min(unit * 0.86, 40);

  const out: string[] = [`<g class="panel" data-mode="${configurations[0].mode}">`];
  out.push(`<text x="${LEFT}" y="${top - 4}" font-size="14" font-weight="600" fill="#1a1a1a">${escapeHtml(title)}</text>`);
  for (const tick of axis.ticks) {
    out.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}" stroke="#e2e2e2" stroke-width="1"/>`,
      `<text x="${LEFT - 8}" y="${fixed(y(tick) + 4)}" font-size="11" text-anchor="end" fill="#444444">${shortNumber(tick)}</text>`,
    );
  }
  out.push(
    `<text transform="translate(16 ${fixed((top + bottom) / 2)}) rotate(-90)" font-size="11" text-anchor="middle" fill="#444444">requests/s per worker</text>`,
  );

  let x = LEFT + unit;
  let previousWorkers: number | undefined;
  for (const { configuration } of groups) {
    if (previousWorkers !== undefined && configuration.workers !== previousWorkers) x += unit;
    previousWorkers = configuration.workers;
    const family = familyOf(configuration);
    const start = x;
    configuration.summary.perWorkerRequestsPerSecond.forEach((value, index) => {
      const barTop = y(value);
      const label =
        `${configuration.label}, ${configuration.workers} worker${configuration.workers === 1 ? '' : 's'}, ` +
        `${configuration.mode}: worker ${index + 1} served ${Math.round(value).toLocaleString('en-US')} requests/s`;
      out.push(
        `<rect class="bar" data-configuration="${escapeHtml(configuration.key)}" data-worker="${index + 1}" ` +
          `x="${fixed(x + (unit - barWidth) / 2)}" y="${fixed(barTop)}" width="${fixed(barWidth)}" ` +
          `height="${fixed(bottom - barTop)}" fill="${COLOURS[family]}"><title>${escapeHtml(label)}</title></rect>`,
      );
      x += unit;
    });
    const middle = (start + x) / 2;
    const groupTop = y(Math.max(...configuration.summary.perWorkerRequestsPerSecond));
    const spread = configuration.summary.spread;
    if (configuration.cluster !== 'single') {
      const spreadText = Number.isFinite(spread.median) ? spread.median.toFixed(2) : '∞';
      out.push(`<text x="${fixed(middle)}" y="${fixed(groupTop - 5)}" font-size="10" text-anchor="middle" fill="#1a1a1a">${spreadText}</text>`);
    }
    const [whose, how] = SHORT_NAMES[family];
    out.push(
      `<text x="${fixed(middle)}" y="${bottom + 15}" font-size="11" text-anchor="middle" fill="#1a1a1a">${escapeHtml(whose)}</text>`,
      `<text x="${fixed(middle)}" y="${bottom + 28}" font-size="10" text-anchor="middle" fill="#1a1a1a">${escapeHtml(how)}</text>`,
      `<text x="${fixed(middle)}" y="${bottom + 41}" font-size="10" text-anchor="middle" fill="#555555">${configuration.cluster === 'single' ? 'alone' : `${configuration.workers} workers`}</text>`,
    );
    x += 2 * unit;
  }
  out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${bottom}" y2="${bottom}" stroke="#888888" stroke-width="1"/>`);
  out.push('</g>');
  return out.join('\n');
}

function renderLegend(y: number, configurations: readonly ConfigurationResult[]): string {
  const present = [...new Set(configurations.map(familyOf))];
  const names: Record<string, string> = {
    single: 'one process',
    'node-rr': 'node:cluster round-robin',
    'node-none': 'node:cluster SCHED_NONE',
    'ours-rr': 'ours round-robin',
    'ours-none': 'ours shared handle',
    'node-reuseport': 'node:cluster reusePort',
    'ours-reuseport': 'ours reusePort',
    'raw-rr': 'ours, raw handle (internals)',
  };
  let x = LEFT;
  const items = present.map((family) => {
    const width = 36 + names[family].length * 6.4;
    // Wrap onto a second row rather than run off the right edge.
    if (x + width > WIDTH - RIGHT && x > LEFT) {
      x = LEFT;
      y += LEGEND_ROW;
    }
    const item =
      `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${COLOURS[family]}"/>` +
      `<text x="${x + 17}" y="${y}" font-size="12" fill="#1a1a1a">${escapeHtml(names[family])}</text>`;
    x += width;
    return item;
  });
  return `<g class="legend">${items.join('')}</g>`;
}

function familyOf(configuration: ConfigurationResult): string {
  return configuration.cluster === 'single' ? 'single' : `${configuration.cluster}-${configuration.policy}`;
}

/** A scale that ends on a round number, with 4 to 6 ticks. */
export function niceAxis(highest: number): { max: number; ticks: number[] } {
  const rough = highest / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough)!;
  const max = Math.ceil(highest / step) * step;
  const ticks: number[] = [];
  for (let tick = 0; tick <= max + step / 2; tick += step) ticks.push(tick);
  return { max, ticks };
}

function shortNumber(value: number): string {
  if (value >= 1000) return `${Number((value / 1000).toFixed(1))}k`;
  return String(Number(value.toFixed(1)));
}

function describeForScreenReaders(results: BenchResults): string {
  return results.configurations
    .map((configuration) => {
      const perWorker = configuration.summary.perWorkerRequestsPerSecond.map((value) => Math.round(value)).join(', ');
      return `${configuration.label}, ${configuration.workers} workers, ${configuration.mode}: ${perWorker} requests/s per worker`;
    })
    .join('. ');
}

function fixed(value: number): string {
  return Number(value.toFixed(1)).toString();
}
