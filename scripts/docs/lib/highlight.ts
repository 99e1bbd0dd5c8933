// Syntax highlighting at build time, with shiki. Every token gets both
// colours (--shiki-light and --shiki-dark) and the site's CSS picks one, so
// the page needs no script to switch themes. github-light-default and
// github-dark-default pass WCAG AA contrast on their own backgrounds (plain
// github-light does not).
import type { BundledLanguage, Highlighter } from 'shiki';

export const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;

/** Fence names that mean "no highlighting". */
const PLAIN = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'output', 'console-output']);

/** Short names writers use that shiki knows under another name. */
const ALIASES: Record<string, string> = { sh: 'bash', shell: 'bash', zsh: 'bash', console: 'bash', mts: 'ts', cts: 'ts' };

let highlighter: Highlighter | undefined;
let bundled: Record<string, unknown> = {};

export async function startHighlighter(): Promise<void> {
  if (highlighter) return;
  const shiki = await import('shiki');
  bundled = shiki.bundledLanguages;
  highlighter = await shiki.createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: ['typescript'] });
}

/** The shiki language for a fence name or file extension; 'text' when shiki has none. */
export async function resolveLanguage(name: string): Promise<string> {
  const wanted = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
  if (PLAIN.has(wanted) || !(wanted in bundled)) return 'text';
  const loaded = highlighter!.getLoadedLanguages();
  if (!loaded.includes(wanted)) await highlighter!.loadLanguage(wanted as BundledLanguage);
  return wanted;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A whole `<pre class="shiki">` block. The language must have been resolved first. */
export function highlightBlock(code: string, language: string): string {
  if (!highlighter) throw new Error('startHighlighter() first');
  return highlighter.codeToHtml(code.replace(/\n$/, ''), { lang: language, themes: THEMES, defaultColor: false });
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
