// The printed report and the SVG chart, on made-up results.
import assert from 'node:assert/strict';
import test from 'node:test';
import { escapeHtml } from '../tools/escape-html';
import { niceAxis, renderChart } from './chart';
import { formatTable } from '../tools/table';
import { compactCount, connectionDeals, CONNECTIONS_COLUMN, describe, formatReport, MEMORY_COLUMNS, RATIO_COLUMNS, TABLE_COLUMNS } from './report';
import { syntheticRun } from './test-data';

test('report: one table per connection mode with every column, one row per configuration', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const text = formatReport(results);
  const lines = text.split('\n');
  const headers = lines.filter((line) => line.startsWith('configuration'));
  assert.equal(headers.length, 2, 'fresh and keep-alive');
  for (const header of headers) {
    let from = 0;
    for (const column of TABLE_COLUMNS) {
      const at = header.indexOf(column, from);
      assert.ok(at >= from, `column "${column}" in order in: ${header}`);
      from = at + column.length;
    }
  }
  // 7 configurations per mode: one process, node and ours under rr, none and reuseport
  for (const header of headers) {
    const start = lines.indexOf(header) + 2; // after the header and its dashes
    const end = lines.indexOf('', start);
    assert.equal(end - start, 7, `rows under: ${header}`);
  }
  assert.ok(lines.some((line) => line.startsWith(RATIO_COLUMNS[0])), 'the ratio table');
  assert.ok(lines.some((line) => line.startsWith(MEMORY_COLUMNS[0])), 'the memory table');
  assert.ok(text.includes('1.08 (1.05–1.10)'), 'the req/s ratio of round-robin on fresh connections');
  assert.ok(text.includes('[MET ] ours round-robin, 2 workers: primary CPU per connection'));
  assert.ok(text.includes('Note: a note & a <sign>'));
});

test('report: a row shows median (min–max), per-worker totals and the spread', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const row = formatReport(results)
    .split('\n')
    .find((line) => line.startsWith('node:cluster SCHED_NONE'))!;
  const cells = row.split(/\s{2,}/);
  assert.equal(cells[1], '2', 'workers');
  assert.equal(cells[2], '1,000', 'req/s, the same in both rounds');
  assert.equal(cells[4], '1.2k 800', 'requests per worker over all rounds');
  assert.equal(cells[5], '1.50', 'spread');
  assert.equal(cells[6], '1.0', 'primary CPU µs per connection');
});

test('report: keep-alive rows show how the connections were dealt to the workers', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const text = formatReport(results);
  const keepAliveHeader = text.split('\n').filter((line) => line.startsWith('configuration'))[1];
  assert.ok(keepAliveHeader.endsWith(CONNECTIONS_COLUMN));
  const nodeRoundRobin = results.configurations.find((c) => c.key === 'node-rr-2/keep-alive')!;
  assert.equal(connectionDeals(nodeRoundRobin), '5-5 ×2', 'two rounds, five connections each');
});

test('report helpers: ranges, compact counts, aligned columns', { timeout: 5000 }, () => {
  const two = (value: number) => value.toFixed(2);
  assert.equal(describe({ median: 1.5, min: 1.25, max: 2 }, two), '1.50 (1.25–2.00)');
  assert.equal(describe({ median: 1, min: 1, max: 1 }, two), '1.00');
  assert.equal(compactCount(950), '950');
  assert.equal(compactCount(12_345), '12.3k');
  assert.equal(compactCount(1_234_567), '1.23M');
  assert.equal(formatTable(['a', 'bb'], [['ccc', 'd']], [], '-'), 'a    bb\n---  --\nccc  d');
});

test('chart: well-formed SVG with one bar per worker per configuration', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const svg = renderChart(results);
  assertWellFormedXml(svg);
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
  const bars = [...svg.matchAll(/<rect class="bar" data-configuration="([^"]+)" data-worker="(\d+)"/g)];
  const expected = results.configurations.flatMap((configuration) =>
    configuration.summary.perWorkerRequests.map((_, index) => `${configuration.key}#${index + 1}`),
  );
  assert.deepEqual(
    bars.map(([, key, worker]) => `${key}#${worker}`),
    expected,
  );
  assert.equal(bars.length, 2 * (1 + 6 * 2), 'two modes × (one process + 6 clusters × 2 workers)');
  assert.ok(svg.includes('<title id="bench-title">'), 'a title for screen readers');
  assert.ok(!svg.includes('NaN'), 'no NaN coordinates');
});

test('chart: a taller bar for a worker that served more', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const svg = renderChart(results);
  const heights = [...svg.matchAll(/data-configuration="node-none-2\/fresh" data-worker="\d" [^>]*height="([\d.]+)"/g)].map(
    ([, height]) => Number(height),
  );
  assert.equal(heights.length, 2);
  assert.ok(Math.abs(heights[0] / heights[1] - 1.5) < 0.01, `1200 vs 800 requests: ${heights}`);
});

test('chart helpers: round axis ends, escaped text', { timeout: 5000 }, () => {
  assert.deepEqual(niceAxis(3700), { max: 4000, ticks: [0, 1000, 2000, 3000, 4000] });
  assert.equal(niceAxis(38_000).max, 40_000);
  assert.equal(escapeHtml(`a<b & "c" 'd'`), 'a&lt;b &amp; &quot;c&quot; &#39;d&#39;');
});

/** Every tag closed in order, attributes quoted, entities known: enough to say an SVG parses. */
function assertWellFormedXml(xml: string): void {
  const open: string[] = [];
  const tokens = xml.match(/<[^>]*>|[^<]+/g) ?? [];
  for (const token of tokens) {
    if (!token.startsWith('<')) {
      assert.doesNotMatch(token, /&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/, `bare & in text: ${token}`);
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
    assert.ok(tag, `malformed tag: ${token}`);
    const [, closing, name, , selfClosing] = tag;
    if (closing) assert.equal(open.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) open.push(name);
  }
  assert.deepEqual(open, [], 'elements left open');
}
