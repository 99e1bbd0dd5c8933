// ```mermaid fences become inline SVG at build time, with beautiful-mermaid
// (pure TypeScript: no browser, no DOM). The diagram takes its colours from
// CSS variables of the page, so it follows the light and dark themes.
import { escapeHtml } from './highlight';

type Renderer = (source: string, options: Record<string, unknown>) => string;
let render: Renderer | undefined;

export async function startMermaid(): Promise<void> {
  if (render) return;
  const mermaid = await import('beautiful-mermaid');
  render = mermaid.renderMermaidSVG as Renderer;
}

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

let diagramsRendered = 0;

/**
 * One diagram as a <figure>. The mermaid source stays on the page in a
 * <details> under the picture: it is the diagram's text alternative, and a
 * reader can copy it.
 */
export function renderDiagram(source: string, caption: string, where: string): string {
  if (!render) throw new Error('startMermaid() first');
  let svg: string;
  try {
    svg = render(source, COLORS);
  } catch (error) {
    throw new Error(`${where}: this mermaid diagram does not render: ${(error as Error).message}`);
  }
  const prefix = `d${++diagramsRendered}-`;
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
