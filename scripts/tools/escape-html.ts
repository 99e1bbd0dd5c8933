// Text put into HTML or SVG, in an element or in a quoted attribute: the
// five characters that could end either are written as entities. (The
// site's search box does the same in the browser: scripts/docs/assets/site.js.)
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]);
}
