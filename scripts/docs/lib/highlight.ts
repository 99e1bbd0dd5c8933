// Syntax highlighting at build time, with shiki. Every token gets both
// colours (--shiki-light and --shiki-dark) and the site's CSS picks one, so
// the page needs no script to switch themes. github-light-default and
// github-dark-default pass WCAG AA contrast on their own backgrounds (plain
// github-light does not).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BundledLanguage, Highlighter } from 'shiki';
import { repoRoot } from '../../course';

export const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;

/** Fence names that mean "no highlighting". */
const PLAIN = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'output', 'console-output']);

/** Short names writers use that shiki knows under another name. */
const ALIASES: Record<string, string> = { console: 'bash' };

let highlighter: Highlighter | undefined;
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
  const version = JSON.parse(fs.readFileSync(require.resolve('shiki/package.json'), 'utf8')).version;
  loadCache(`shiki ${version} ${THEMES.light} ${THEMES.dark}`);
}

// ------------------------------------------------------------ the cache
// Highlighting is most of the build's time. Its results are kept between
// builds in node_modules/.cache, keyed by the exact code, language, shiki
// version and themes, so a rebuild only highlights what changed. The output
// is the same with or without it.

const CACHE_FILE = path.join(repoRoot, 'node_modules', '.cache', 'course-docs', 'highlight.json');
let cacheVersion = '';
let cached = new Map<string, string>();
const usedKeys = new Set<string>();
let cacheChanged = false;

function loadCache(version: string): void {
  cacheVersion = version;
  try {
    const saved = JSON.parse(fs.readFileSync(CACHE_FILE, 'utf8'));
    if (saved.version === version) cached = new Map(Object.entries(saved.entries as Record<string, string>));
  } catch {
    // no cache yet, or an unreadable one: start empty
  }
}

/** Keeps what this build used (and nothing else, so the file does not grow). */
export function saveHighlightCache(): void {
  if (!cacheChanged && usedKeys.size === cached.size) return;
  const entries = Object.fromEntries([...cached].filter(([key]) => usedKeys.has(key)));
  try {
    fs.mkdirSync(path.dirname(CACHE_FILE), { recursive: true });
    fs.writeFileSync(CACHE_FILE, JSON.stringify({ version: cacheVersion, entries }));
  } catch {
    // a read-only node_modules only makes the next build slower
  }
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

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function keyOf(code: string, language: string): string {
  return createHash('sha1').update(language).update('\0').update(code.replace(/\n$/, '')).digest('base64');
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
  const key = keyOf(code, language);
  usedKeys.add(key);
  let html = cached.get(key);
  if (html === undefined) {
    const started = performance.now();
    html = highlighter.codeToHtml(code.replace(/\n$/, ''), { lang: language, themes: THEMES, defaultColor: false });
    cached.set(key, html);
    cacheChanged = true;
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
