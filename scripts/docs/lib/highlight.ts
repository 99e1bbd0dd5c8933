// Syntax highlighting at build time, with shiki. Every token gets both
// colours (--shiki-light and --shiki-dark) and the site's CSS picks one, so
// the page needs no script to switch themes. github-light-default and
// github-dark-default pass WCAG AA contrast on their own backgrounds (plain
// github-light does not).
import fs from 'node:fs';
import type { BundledLanguage, Highlighter } from 'shiki';
import { escapeHtml } from '../../tools/escape-html';
import { BuildCache } from './cache';

export const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;

/** Fence names that mean "no highlighting". */
const PLAIN = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'output', 'console-output']);

/** Short names writers use that shiki knows under another name. */
const ALIASES: Record<string, string> = { console: 'bash' };

let highlighter: Highlighter | undefined;
let cache: BuildCache;
/** alias or id → shiki's id ("ts" → "typescript"): one grammar per language, compiled once */
const languageIds = new Map<string, string>();

export async function startHighlighter(): Promise<void> {
  if (highlighter) return;
  const shiki = await import('shiki');
  for (const info of shiki.bundledLanguagesInfo) {
    languageIds.set(info.id, info.id);
    for (const alias of info.aliases ?? []) languageIds.set(alias, info.id);
  }
  // The default engine (Oniguruma in WebAssembly) uses a third less CPU here than the JavaScript one.
  highlighter = await shiki.createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: ['typescript'] });
  darkOf = pairThemes(highlighter);
  const version = JSON.parse(fs.readFileSync(require.resolve('shiki/package.json'), 'utf8')).version;
  // Highlighting is most of a first build's time: a rebuild finds what did not change here.
  cache = new BuildCache('highlight', `shiki ${version} ${THEMES.light} ${THEMES.dark} ${darkOf ? 'one pass' : 'two passes'}`);
}

// ------------------------------------------------------------ one pass for two themes
// github-light-default and github-dark-default are made from the same rules:
// the same scopes in the same order, each with a light and a dark colour, and
// one light colour never stands for two dark ones. So the grammar needs to run
// once, with the light theme, and each token's dark colour follows from its
// light one. That halves the build's largest cost. pairThemes() checks that
// this holds for the themes installed; if it ever does not, highlightBlock()
// asks shiki for both themes, as it normally would.

let darkOf: Map<string, string> | undefined;

function pairThemes(loaded: Highlighter): Map<string, string> | undefined {
  const light = loaded.getTheme(THEMES.light);
  const dark = loaded.getTheme(THEMES.dark);
  if (light.settings.length !== dark.settings.length) return undefined;
  const pairs = new Map<string, string>([[light.fg.toUpperCase(), dark.fg.toUpperCase()]]);
  for (const [index, rule] of light.settings.entries()) {
    const other = dark.settings[index];
    if (JSON.stringify(rule.scope) !== JSON.stringify(other.scope)) return undefined;
    if ((rule.settings.fontStyle ?? '') !== (other.settings.fontStyle ?? '')) return undefined;
    // (Rules with a background, such as a diff's inserted lines, give their tokens a bgColor: such blocks take two passes.)
    const [from, to] = [rule.settings.foreground?.toUpperCase(), other.settings.foreground?.toUpperCase()];
    if (!from || !to) {
      if (from || to) return undefined;
      continue;
    }
    if (pairs.has(from) && pairs.get(from) !== to) return undefined;
    pairs.set(from, to);
  }
  return pairs;
}

const FONT_STYLES: Array<[number, string]> = [
  [1, 'font-style:italic'],
  [2, 'font-weight:bold'],
  [4, 'text-decoration:underline'],
  [8, 'text-decoration:line-through'],
];

/** The same HTML shiki writes for two themes, from one pass with the light one; undefined if a token has no pair. */
function highlightOnce(loaded: Highlighter, code: string, language: string, pairs: Map<string, string>): string | undefined {
  const light = loaded.getTheme(THEMES.light);
  const dark = loaded.getTheme(THEMES.dark);
  const lines: string[] = [];
  for (const tokens of loaded.codeToTokensBase(code, { lang: language as BundledLanguage, theme: THEMES.light })) {
    let line = '';
    for (const token of tokens) {
      const color = (token.color ?? light.fg).toUpperCase();
      const darkColor = pairs.get(color);
      if (darkColor === undefined || token.bgColor) return undefined;
      const styles = FONT_STYLES.filter(([bit]) => (token.fontStyle ?? 0) > 0 && ((token.fontStyle ?? 0) & bit) !== 0).map(([, css]) => `;${css}`);
      line += `<span style="--shiki-light:${color};--shiki-dark:${darkColor}${styles.join('')}">${escapeHtml(token.content)}</span>`;
    }
    lines.push(`<span class="line">${line}</span>`);
  }
  const style = `--shiki-light:${light.fg};--shiki-dark:${dark.fg};--shiki-light-bg:${light.bg};--shiki-dark-bg:${dark.bg}`;
  return `<pre class="shiki shiki-themes ${THEMES.light} ${THEMES.dark}" style="${style}" tabindex="0"><code>${lines.join('\n')}</code></pre>`;
}

/** The shiki language for a fence name or file extension; 'text' when shiki has none. */
export async function resolveLanguage(name: string): Promise<string> {
  const lower = name.toLowerCase();
  const wanted = languageIds.get(ALIASES[lower] ?? lower);
  if (PLAIN.has(lower) || wanted === undefined) return 'text';
  const loaded = highlighter!.getLoadedLanguages();
  if (!loaded.includes(wanted)) await highlighter!.loadLanguage(wanted as BundledLanguage);
  return wanted;
}

export function saveHighlightCache(): void {
  cache?.save();
}

/** How much highlighting this build did itself (not found in the cache). */
export const highlightStats = { lines: 0, milliseconds: 0 };

/**
 * A whole `<pre class="shiki">` block. The language must have been resolved
 * first. The same file is often shown several times (its include, its source
 * page, both sides of two diffs): it is highlighted once.
 */
export function highlightBlock(code: string, language: string): string {
  if (!highlighter) throw new Error('startHighlighter() first');
  const key = BuildCache.key(language, code.replace(/\n$/, ''));
  let html = cache.get(key);
  if (html === undefined) {
    const started = performance.now();
    const source = code.replace(/\n$/, '');
    html =
      (darkOf && highlightOnce(highlighter, source, language, darkOf)) ??
      highlighter.codeToHtml(source, { lang: language, themes: THEMES, defaultColor: false });
    cache.set(key, html);
    highlightStats.lines += code.split('\n').length;
    highlightStats.milliseconds += performance.now() - started;
  }
  return html;
}

/**
 * The highlighted HTML of each line of `code`, without the surrounding
 * <pre>. Highlighting the whole file (not line by line) keeps multi-line
 * tokens such as block comments right.
 */
export function highlightLines(code: string, language: string): string[] {
  const html = highlightBlock(code, language);
  const inner = html.slice(html.indexOf('<code>') + '<code>'.length, html.lastIndexOf('</code>'));
  return inner.split('\n').map((line) => line.replace(/^<span class="line">/, '').replace(/<\/span>$/, ''));
}
