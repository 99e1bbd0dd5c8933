// ```mermaid fences become inline SVG at build time, with beautiful-mermaid
// (pure TypeScript: no browser, no DOM). The diagram takes its colours from
// CSS variables of the page, so it follows the light and dark themes.
//
// Every diagram is drawn at a size where its smallest text is at least
// MIN_TEXT_PX (the renderer writes 11 px edge labels, so diagrams are drawn
// a little larger than it lays them out); a wide left-to-right diagram is
// laid out top-down instead when that makes it narrower; one still wider
// than the column scrolls sideways at full size rather than shrinking.
//
// Laying a diagram out is slow (elkjs), and loading the renderer too, so
// rendered diagrams are kept between builds (see cache.ts): a build whose
// diagrams have not changed does not even load it.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../course';
import { BuildCache } from './cache';
import { escapeHtml } from '../../tools/escape-html';
import { DocsError } from './include';

type Renderer = (source: string, options: Record<string, unknown>) => string;
let render: Renderer | undefined;
let cache: BuildCache | undefined;

/** Colours as CSS variables that site.css defines for each theme (names must differ from the SVG's own --bg/--fg). */
const COLORS = {
  bg: 'var(--diagram-bg)',
  fg: 'var(--diagram-fg)',
  line: 'var(--diagram-line)',
  accent: 'var(--diagram-accent)',
  muted: 'var(--diagram-muted)',
  surface: 'var(--diagram-surface)',
  border: 'var(--diagram-border)',
  transparent: true,
};

function diagramCache(): BuildCache {
  if (!cache) {
    // Its package.json is not among its exports: read it from where npm put it.
    const manifest = path.join(repoRoot, 'node_modules', 'beautiful-mermaid', 'package.json');
    const version = fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, 'utf8')).version : 'unknown';
    cache = new BuildCache('diagrams', `beautiful-mermaid ${version} ${JSON.stringify(COLORS)} fit ${WIDE_COLUMN_PX}`);
  }
  return cache;
}

const keyOf = (source: string) => BuildCache.key(source);

/** No diagram text is drawn smaller than this, in CSS pixels. */
export const MIN_TEXT_PX = 12.1;
/** The widest a diagram can be shown without scrolling on a 1280 px screen (the wide column, see site.css). */
const WIDE_COLUMN_PX = 880;

/** The smallest font-size the renderer wrote into an SVG. */
function smallestFont(svg: string): number {
  const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((match) => Number(match[1]));
  return sizes.length ? Math.min(...sizes) : MIN_TEXT_PX;
}

/** How much larger than laid out a diagram is drawn, so that its smallest text is MIN_TEXT_PX. */
function scaleOf(svg: string): number {
  return Math.max(1, MIN_TEXT_PX / smallestFont(svg));
}

function widthOf(svg: string): number {
  return Number(/viewBox="0 0 ([\d.]+) /.exec(svg)?.[1] ?? 0) * scaleOf(svg);
}

/** The same diagram laid out top-down, for a left-to-right one; undefined when it cannot be turned. */
function turned(source: string): string | undefined {
  const lines = source.split('\n');
  const header = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('%%'));
  if (header === -1) return undefined;
  const flowchart = /^(\s*(?:flowchart|graph)\s+)(LR|RL)\b/.exec(lines[header]);
  if (flowchart) return [...lines.slice(0, header), lines[header].replace(flowchart[0], `${flowchart[1]}TB`), ...lines.slice(header + 1)].join('\n');
  if (/^\s*stateDiagram/.test(lines[header])) {
    const direction = lines.findIndex((line) => /^\s*direction\s+(LR|RL)\s*$/.test(line));
    if (direction !== -1) return lines.map((line, at) => (at === direction ? line.replace(/LR|RL/, 'TB') : line)).join('\n');
  }
  return undefined;
}

/** The diagram as written, or top-down when it is too wide as written and narrower top-down. */
function renderFitting(source: string): string {
  const svg = render!(source, COLORS);
  const other = widthOf(svg) > WIDE_COLUMN_PX ? turned(source) : undefined;
  if (!other) return svg;
  const tall = render!(other, COLORS);
  return widthOf(tall) < widthOf(svg) ? tall : svg;
}

/** Renders, ahead of the (synchronous) page rendering, every diagram the cache does not have. */
export async function prepareDiagrams(diagrams: Array<{ source: string; where: string }>): Promise<void> {
  const missing = diagrams.filter(({ source }) => !diagramCache().has(keyOf(source)));
  if (missing.length === 0) return;
  if (!render) render = (await import('beautiful-mermaid')).renderMermaidSVG as Renderer;
  for (const { source, where } of missing) {
    try {
      diagramCache().set(keyOf(source), renderFitting(source));
    } catch (error) {
      throw new DocsError(`${where}: this mermaid diagram does not render: ${(error as Error).message}`);
    }
  }
}

/**
 * Gives the SVG the size at which its smallest text is MIN_TEXT_PX, as its
 * width and as the least it may shrink to (site.css lets it shrink to fit the
 * column, never below that).
 */
export function drawnAtReadableSize(svg: string): string {
  const box = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!box) return svg;
  const scale = scaleOf(svg);
  const [width, height] = [Number(box[1]) * scale, Number(box[2]) * scale];
  const least = (Number(box[1]) * MIN_TEXT_PX) / smallestFont(svg);
  return svg
    .replace(/(<svg[^>]*?) width="[\d.]+"/, `$1 width="${width.toFixed(1)}"`)
    .replace(/(<svg[^>]*?) height="[\d.]+"/, `$1 height="${height.toFixed(1)}"`)
    .replace(/(<svg[^>]*?) style="/, `$1 style="min-width:${Math.ceil(least)}px;`);
}

export function saveDiagramCache(): void {
  cache?.save();
}

let diagramsOnPage = 0;

/**
 * One diagram as a <figure>. The mermaid source stays on the page in a
 * <details> under the picture: it is the diagram's text alternative, and a
 * reader can copy it.
 */
export function renderDiagram(source: string, caption: string, where: string): string {
  let svg = diagramCache().get(keyOf(source));
  if (svg === undefined) throw new DocsError(`${where}: this diagram was not prepared (prepareDiagrams)`);
  const prefix = `d${++diagramsOnPage}-`;
  svg = svg
    // The renderer loads its web font from a CDN: the site makes no request to anyone but its own origin.
    .replace(/^\s*@import url\([^)]*\);\s*$/gm, '')
    .replace(/text \{ font-family: [^}]*\}/, 'text { font-family: var(--font-sans); }')
    .replace(/\.mono \{ font-family: [^}]*\}/, '.mono { font-family: var(--font-mono); }')
    // Ids must be unique on the page, and a page may have several diagrams.
    .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}$1"`)
    .replace(/<svg /, `<svg role="img" aria-label="${escapeHtml(caption || 'Diagram')}" `);
  svg = drawnAtReadableSize(svg);
  const figcaption = caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : '';
  // The box scrolls when the diagram is wider than the screen: a keyboard must reach it too.
  const scroller = `<div class="diagram-scroll" tabindex="0" role="group" aria-label="${escapeHtml(caption || 'Diagram')} (scrolls sideways on a narrow screen)">${svg}</div>`;
  return (
    `<figure class="diagram">${scroller}${figcaption}` +
    `<details class="diagram-source"><summary>Diagram source</summary><pre tabindex="0"><code>${escapeHtml(source)}</code></pre></details>` +
    `</figure>\n`
  );
}
