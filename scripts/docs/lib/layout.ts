// The HTML around every page: top bar with search and the theme switch, the
// sidebar (lessons in order, the current page marked), the page itself, an
// "On this page" list, and previous/next links. All links are relative, so
// site/ also reads straight from disk (file://).
import { escapeHtml } from '../../tools/escape-html';
import type { Heading } from './markdown';
import { relativeUrl, type Page } from './pages';

export const SITE_NAME = 'Cluster from scratch';

export interface LayoutInput {
  page: Page;
  /** the pages in reading order (sidebar, previous/next) */
  pages: Page[];
  body: string;
  headings: Heading[];
  /** shown under the title of a lesson page */
  lessonBar?: string;
  description: string;
}

const GROUPS: Array<{ label: string; kinds: Page['kind'][] }> = [
  { label: 'Start', kinds: ['home', 'guide'] },
  { label: 'Lessons', kinds: ['lesson'] },
  { label: 'Reference', kinds: ['reference'] },
];

function sidebar(input: LayoutInput): string {
  const link = (target: Page) => {
    const current = target.output === input.page.output;
    if (target.part === 'build') {
      // A lesson's "Build it" page: a sub-entry under the lesson.
      return (
        `<li class="nav-sub"><a href="${relativeUrl(input.page.output, target.output)}"${current ? ' aria-current="page"' : ''}>` +
        `<span class="nav-label">${escapeHtml(target.navLabel)}</span></a></li>`
      );
    }
    const number = target.lessonNumber !== undefined ? `<span class="nav-number">${target.lessonNumber}</span>` : '';
    const label = target.lessonNumber !== undefined ? target.title : target.navLabel;
    return (
      `<li><a href="${relativeUrl(input.page.output, target.output)}"${current ? ' aria-current="page"' : ''}>` +
      `${number}<span class="nav-label">${escapeHtml(label)}</span></a></li>`
    );
  };
  return GROUPS.map((group) => {
    const members = input.pages.filter((page) => group.kinds.includes(page.kind));
    if (members.length === 0) return '';
    return `<p class="nav-group">${group.label}</p>\n<ul class="nav-list${group.label === 'Lessons' ? ' nav-lessons' : ''}">${members.map(link).join('')}</ul>`;
  }).join('\n');
}

/** A source page leads back to the lesson its folder belongs to (or home). */
function backLink(input: LayoutInput): string {
  const number = /^(?:lessons|solutions)\/(\d\d)-/.exec(input.page.source)?.[1];
  const target = input.pages.find((page) => number !== undefined && page.lessonNumber === Number(number)) ?? input.pages[0];
  if (!target) return '';
  const title = target.lessonNumber !== undefined ? `${target.lessonNumber}. ${target.title}` : target.title;
  return (
    `<nav class="pager" aria-label="Back to the course"><a class="pager-prev" href="${relativeUrl(input.page.output, target.output)}">` +
    `<span class="pager-label">Back to</span><span class="pager-title">${escapeHtml(title)}</span></a><span></span></nav>`
  );
}

function pager(input: LayoutInput): string {
  if (input.page.kind === 'source' || input.page.kind === 'changes') return backLink(input);
  const index = input.pages.findIndex((page) => page.output === input.page.output);
  if (index === -1) return '';
  const previous = input.pages[index - 1];
  const next = input.pages[index + 1];
  const card = (target: Page | undefined, rel: 'prev' | 'next') => {
    if (!target) return '<span></span>';
    const label = rel === 'prev' ? 'Previous' : 'Next';
    const title = target.lessonNumber !== undefined ? `${target.lessonNumber}. ${target.title}` : target.title;
    return (
      `<a class="pager-${rel}" rel="${rel}" href="${relativeUrl(input.page.output, target.output)}">` +
      `<span class="pager-label">${label}</span><span class="pager-title">${escapeHtml(title)}</span></a>`
    );
  };
  return `<nav class="pager" aria-label="Previous and next page">${card(previous, 'prev')}${card(next, 'next')}</nav>`;
}

function tableOfContents(headings: Heading[]): string {
  const entries = headings.filter((heading) => heading.level === 2 || heading.level === 3);
  if (entries.length < 2) return '';
  const items = entries
    .map((heading) => `<li class="toc-h${heading.level}"><a href="#${heading.id}">${escapeHtml(heading.text)}</a></li>`)
    .join('');
  return `<nav class="toc" aria-label="On this page"><p class="toc-title">On this page</p><ul>${items}</ul></nav>`;
}

/** The same list folded at the top of the page, for screens with no room for the column (see site.css). */
function inlineContents(headings: Heading[]): string {
  const entries = headings.filter((heading) => heading.level === 2);
  if (entries.length < 3) return '';
  const items = entries.map((heading) => `<li><a href="#${heading.id}">${escapeHtml(heading.text)}</a></li>`).join('');
  return `<details class="toc-inline"><summary>On this page</summary><ul>${items}</ul></details>\n`;
}

const SUN =
  '<svg class="icon-sun" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="4.5"/><path d="M12 1.5v3M12 19.5v3M4.6 4.6l2.1 2.1M17.3 17.3l2.1 2.1M1.5 12h3M19.5 12h3M4.6 19.4l2.1-2.1M17.3 6.7l2.1-2.1"/></svg>';
const MOON = '<svg class="icon-moon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M20.5 14.5A8.5 8.5 0 0 1 9.5 3.5a8.5 8.5 0 1 0 11 11z"/></svg>';
const MENU = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M3 6h18M3 12h18M3 18h18"/></svg>';

/** A hexagon, as a data: URL, so the browser asks the server for no favicon.ico. */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Cpath d='M16 2 28 9v14l-12 7-12-7V9z' fill='%23417e38'/%3E%3Cpath d='M11 12v8M11 12l10 8M21 12v8' stroke='white' stroke-width='2.4' fill='none' stroke-linecap='round'/%3E%3C/svg%3E";

/**
 * Runs before the first paint: an explicit choice saved by the theme button
 * wins, otherwise the system's preference. No flash of the wrong theme.
 */
const THEME_BOOT =
  "(function(){try{var s=localStorage.getItem('theme');}catch(e){}var d=s?s==='dark':matchMedia('(prefers-color-scheme: dark)').matches;document.documentElement.dataset.theme=d?'dark':'light';})();";

export function renderLayout(input: LayoutInput): string {
  const { page } = input;
  const root = relativeUrl(page.output, 'index.html').replace(/index\.html$/, '');
  const asset = (name: string) => `${root}assets/${name}`;
  const numbered = page.kind === 'lesson' ? `${page.lessonNumber}. ${page.title}` : page.title;
  // (A "Build it" page's title already names its lesson: "2. Build it: Messaging...")
  const title = page.kind === 'home' ? SITE_NAME : `${numbered} · ${SITE_NAME}`;
  const toc = tableOfContents(input.headings);
  const contents = inlineContents(input.headings);
  const afterTitle = `${input.lessonBar ? `${input.lessonBar}\n` : ''}${contents}`;
  const body = afterTitle ? input.body.replace(/<\/h1>\n/, (end) => `${end}${afterTitle}`) : input.body;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(input.description)}">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="${asset('site.css')}">
<script>${THEME_BOOT}</script>
<script src="${asset('site.js')}" defer></script>
</head>
<body class="page-${page.kind}${toc ? ' has-toc' : ''}" data-root="${root}">
<a class="skip-link" href="#content">Skip to content</a>
<header class="topbar">
<button class="menu-toggle" type="button" aria-controls="sidebar" aria-expanded="false" aria-label="Show the course menu">${MENU}</button>
<a class="brand" href="${root}index.html"><span class="brand-mark" aria-hidden="true"></span><span class="brand-text">${SITE_NAME}</span></a>
<div class="search" role="search" aria-label="Search the course">
<label for="search-input" class="visually-hidden">Search the course</label>
<input id="search-input" type="search" placeholder="Search the course" autocomplete="off" spellcheck="false" aria-controls="search-results" aria-keyshortcuts="/">
<kbd class="search-key" aria-hidden="true">/</kbd>
<div id="search-results" class="search-results" hidden></div>
</div>
<button id="theme-toggle" class="theme-toggle" type="button" aria-pressed="false" aria-label="Dark theme" title="Switch between light and dark">${SUN}${MOON}</button>
</header>
<div class="layout">
<nav id="sidebar" class="sidebar" aria-label="Course">
${sidebar(input)}
</nav>
<main id="content" class="content" tabindex="-1">
<article class="doc">
${body}
</article>
${pager(input)}
<footer class="page-footer"><p>This page is built from <code>${escapeHtml(page.source)}</code>${page.kind === 'source' ? '' : ' in the course repository'}.</p></footer>
</main>
${toc}
</div>
</body>
</html>
`;
}
