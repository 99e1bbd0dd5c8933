// ```mermaid fences become inline SVG at build time, with beautiful-mermaid
// (pure TypeScript: no browser, no DOM). The diagram takes its colours from
// CSS variables of the page, so it follows the light and dark themes.
//
// Laying a diagram out is slow (elkjs), and loading the renderer too, so
// rendered diagrams are kept between builds (see cache.ts): a build whose
// diagrams have not changed does not even load it.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../course';
import { BuildCache } from './cache';
import { escapeHtml } from './highlight';
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
    cache = new BuildCache('diagrams', `beautiful-mermaid ${version} ${JSON.stringify(COLORS)}`);
  }
  return cache;
}

const keyOf = (source: string) => BuildCache.key(source);

/** Renders, ahead of the (synchronous) page rendering, every diagram the cache does not have. */
export async function prepareDiagrams(diagrams: Array<{ source: string; where: string }>): Promise<void> {
  const missing = diagrams.filter(({ source }) => !diagramCache().has(keyOf(source)));
  if (missing.length === 0) return;
  if (!render) render = (await import('beautiful-mermaid')).renderMermaidSVG as Renderer;
  for (const { source, where } of missing) {
    try {
      diagramCache().set(keyOf(source), render(source, COLORS));
    } catch (error) {
      throw new DocsError(`${where}: this mermaid diagram does not render: ${(error as Error).message}`);
    }
  }
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
  const figcaption = caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : '';
  return (
    `<figure class="diagram">${svg}${figcaption}` +
    `<details class="diagram-source"><summary>Diagram source</summary><pre tabindex="0"><code>${escapeHtml(source)}</code></pre></details>` +
    `</figure>\n`
  );
}
