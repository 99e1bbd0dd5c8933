// An SVG picture from the repository (the bench chart, docs/assets/) is put
// into the page itself rather than loaded as an <img>, so that it can follow
// the theme: its light colours become the site's colour variables. Its text
// is drawn at 12 px at least, as in the diagrams.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../course';
import { escapeHtml } from '../../tools/escape-html';

/** The light colours such a picture uses, and the variable each one becomes. */
const THEMED: Record<string, string> = {
  '#ffffff': 'var(--bg)',
  '#fff': 'var(--bg)',
  '#1a1a1a': 'var(--text)',
  '#000000': 'var(--text)',
  '#444444': 'var(--text-muted)',
  '#555555': 'var(--text-muted)',
  '#e2e2e2': 'var(--border-soft)',
  '#888888': 'var(--text-muted)',
};

/** The chart's smallest text is drawn this size, so that it may shrink to 12/13 of its size and still be 12 px. */
const MIN_FONT = 12.4;

/** Whether a picture at this repository path is inlined (an SVG under docs/assets/). */
export function isThemedPicture(repoPath: string): boolean {
  return /^docs\/assets\/[^/]+\.svg$/.test(repoPath) && fs.existsSync(path.join(repoRoot, repoPath));
}

let charts = 0;

/** The picture as an inline <svg> in a <figure>, with its ids made unique on the page. */
export function themedPicture(repoPath: string, alt: string): string {
  const prefix = `chart${++charts}-`;
  const svg = fs
    .readFileSync(path.join(repoRoot, repoPath), 'utf8')
    .replace(/<\?xml[^>]*>\s*/, '')
    .replace(/(fill|stroke)="(#[0-9a-fA-F]{3,6})"/g, (whole, attribute: string, colour: string) =>
      THEMED[colour.toLowerCase()] ? `${attribute}="${THEMED[colour.toLowerCase()]}"` : whole,
    )
    .replace(/font-size="([\d.]+)"/g, (whole, size: string) => (Number(size) < MIN_FONT ? `font-size="${MIN_FONT}"` : whole))
    .replace(/font-family="[^"]*"/, 'font-family="var(--font-sans)"')
    .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/aria-labelledby="([^"]+)"/, (_whole, ids: string) => `aria-labelledby="${ids.split(/\s+/).map((id) => prefix + id).join(' ')}"`);
  const width = Number(/viewBox="0 0 ([\d.]+)/.exec(svg)?.[1] ?? 0);
  const sized = width ? svg.replace(/<svg /, `<svg style="min-width:${Math.ceil((width * 12) / MIN_FONT)}px" `) : svg;
  return `<figure class="chart"><div class="diagram-scroll" tabindex="0" role="group" aria-label="${escapeHtml(alt)} (scrolls sideways on a narrow screen)">${sized}</div></figure>`;
}
