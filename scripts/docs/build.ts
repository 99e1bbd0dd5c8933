// `npm run docs:build`: renders docs/*.md and every lessons/NN-*/README.md
// into the static site in site/ (see docs/authoring.md for the conventions).
//
// Everything is done here, at build time: syntax highlighting, diagrams,
// included code, the diffs between solutions, the search index. The browser
// gets plain HTML, one CSS file and one small script, and asks no one but the
// site's own server for anything.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../course';
import { lessonChanges, CHANGES_HEADING, CHANGES_ID, CHANGES_MARKER } from './lib/changes';
import { escapeHtml } from '../tools/escape-html';
import { highlightBlock, resolveLanguage, saveHighlightCache, startHighlighter } from './lib/highlight';
import { DocsError, languageOfFile } from './lib/include';
import { renderLayout } from './lib/layout';
import { createMarkdown, renderMarkdown, type RenderEnv, type ResolvedLink, type SearchSection } from './lib/markdown';
import { saveDiagramCache } from './lib/mermaid';
import { changesPageOf, listPages, relativeUrl, sourcePage, type Page } from './lib/pages';
import { anchorsByPage, relink, splitLesson, type RenderedPage } from './lib/split';

export const siteDir = path.join(repoRoot, 'site');
const assetsDir = path.join(__dirname, 'assets');

/** What the search script gets: every page, and the text under each heading. */
export interface SearchIndex {
  pages: Array<{ title: string; url: string; kind: Page['kind']; lesson?: number }>;
  sections: Array<{ page: number; heading: string; anchor: string; text: string }>;
}

export interface BuildResult {
  pages: Page[];
  sourcePages: Page[];
  /** each lesson's whole diff (from lesson 2 on) */
  changesPages: Page[];
  /** links that lead nowhere: "file:line: message" */
  brokenLinks: string[];
  searchIndex: SearchIndex;
  milliseconds: number;
}

/** Folders whose files a page may link to (a source page is made for each linked file). */
const LINKABLE = /^(lessons|solutions|scripts|testing|docs)(\/|$)|^[^/]+\.(json|md|ts)$|^\.ci\/run$/;

export async function buildSite(): Promise<BuildResult> {
  const started = performance.now();
  await startHighlighter();
  const md = createMarkdown();
  const pages = listPages();
  const bySource = new Map(pages.map((page) => [page.source, page]));
  const writtenLessons = new Set(pages.map((page) => page.lessonNumber).filter((n) => n !== undefined));
  const sourceRequests = new Set<string>();
  const brokenLinks: string[] = [];
  const searchIndex: SearchIndex = { pages: [], sections: [] };

  fs.rmSync(siteDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(siteDir, 'assets'), { recursive: true });

  /** Where a link written in `page` (as on GitHub: relative to the .md file) leads on the site. */
  function resolveLink(page: Page, href: string, line: number): ResolvedLink {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('//')) return { href };
    const [target, fragment] = splitFragment(href);
    let decoded = target;
    try {
      decoded = decodeURI(target);
    } catch {
      // a stray % stays as written
    }
    const repoPath = decoded.startsWith('/')
      ? path.posix.normalize(decoded.slice(1))
      : path.posix.normalize(path.posix.join(path.posix.dirname(page.source), decoded));
    const cleaned = repoPath.replace(/\/$/, '');
    const to = (output: string) => ({ href: relativeUrl(page.output, output) + fragment });

    const asPage = bySource.get(cleaned) ?? bySource.get(`${cleaned}/README.md`);
    if (asPage) return to(asPage.output);
    const lessonLink = /^lessons\/(\d\d)-[^/]+(\/README\.md)?$/.exec(cleaned);
    if (lessonLink && !writtenLessons.has(Number(lessonLink[1]))) {
      return { pending: `Lesson ${Number(lessonLink[1])} is not written yet` };
    }
    const absolute = path.join(repoRoot, cleaned);
    if (!cleaned.startsWith('..') && fs.existsSync(absolute) && LINKABLE.test(cleaned)) {
      if (fs.statSync(absolute).isDirectory()) {
        sourceRequests.add(`${cleaned}/`);
        return to(`source/${cleaned}/index.html`);
      }
      if (/\.(png|jpe?g|gif|svg|webp)$/i.test(cleaned)) {
        fs.mkdirSync(path.dirname(path.join(siteDir, 'files', cleaned)), { recursive: true });
        fs.copyFileSync(absolute, path.join(siteDir, 'files', cleaned));
        return to(`files/${cleaned}`);
      }
      sourceRequests.add(cleaned);
      return to(sourcePage(cleaned).output);
    }
    const why = cleaned.startsWith('..') || !fs.existsSync(absolute)
      ? 'which does not exist in the repository'
      : 'which the site does not show (only lessons/, solutions/, docs/, scripts/, testing/ and top-level files)';
    brokenLinks.push(`${page.source}:${line}: the link "${href}" leads to ${cleaned}, ${why}`);
    return { href };
  }

  const environment = (page: Page): RenderEnv => ({
    source: page.source,
    resolveLink: (href, line) => resolveLink(page, href, line),
    linkToSource: (repoPath) => {
      sourceRequests.add(repoPath);
      return relativeUrl(page.output, sourcePage(repoPath).output);
    },
    headings: [],
    sections: [],
    tables: 0,
  });

  const changesPages: Page[] = [];
  const changesBodies: RenderedPage[] = [];
  const rendered: RenderedPage[] = [];
  for (const page of pages) {
    const env = environment(page);
    const markdown = fs.readFileSync(path.join(repoRoot, page.source), 'utf8');
    let body = await renderMarkdown(md, markdown, env);
    if (page.lessonNumber !== undefined) {
      const changesPage = changesPageOf(page);
      const changes = await lessonChanges(page.lessonNumber, env, {
        linkToSource: environment(changesPage).linkToSource,
        pageUrl: relativeUrl(page.output, changesPage.output),
        lessonUrl: relativeUrl(changesPage.output, page.output),
        lessonTitle: page.title,
      });
      body = addChanges(body, env, changes?.section);
      if (changes?.page) {
        const written = { ...changesPage, title: changes.page.title };
        changesPages.push(written);
        const sections = [{ heading: written.title, anchor: '', text: changes.page.searchText }];
        changesBodies.push({ page: written, body: changes.page.body, headings: [], sections, description: written.title, linksFrom: written.output });
      }
    }
    const description = env.sections[0]?.text.replace(/\s+/g, ' ').trim().slice(0, 160) || page.title;
    const lessonBar = page.lessonNumber !== undefined ? lessonBarOf(page, writtenLessons.size) : undefined;
    rendered.push(...splitLesson({ page, body, headings: env.headings, sections: env.sections, lessonBar, description, linksFrom: page.output }));
  }

  // Each lesson is now two pages: the reading order, the sidebar and the links follow.
  const readingOrder = rendered.map((part) => part.page);
  const anchors = anchorsByPage(rendered);
  for (const part of [...rendered, ...changesBodies]) {
    const body = relink(part, anchors);
    const lessonBar = part.lessonBar && relink({ ...part, body: part.lessonBar }, anchors);
    write(part.page.output, renderLayout({ page: part.page, pages: readingOrder, body, headings: part.headings, lessonBar, description: part.description }));
    addToIndex(searchIndex, part.page, part.sections);
  }

  const sourcePages = await writeSourcePages(sourceRequests, readingOrder, searchIndex);
  write(NOT_FOUND.output, renderLayout({ page: NOT_FOUND, pages: readingOrder, body: notFoundBody(pages), headings: [], description: NOT_FOUND.title }));
  for (const name of fs.readdirSync(assetsDir)) fs.copyFileSync(path.join(assetsDir, name), path.join(siteDir, 'assets', name));
  write('assets/search-index.js', `window.SEARCH_INDEX = ${JSON.stringify(searchIndex)};\n`);
  saveHighlightCache();
  saveDiagramCache();
  return { pages: readingOrder, sourcePages, changesPages, brokenLinks, searchIndex, milliseconds: performance.now() - started };
}

function splitFragment(href: string): [string, string] {
  const hash = href.indexOf('#');
  return hash === -1 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
}

function write(output: string, content: string): void {
  const file = path.join(siteDir, output);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** Where each lesson's subject is in the article and in Node's cluster documentation. */
const NODE_DOCS = 'https://nodejs.org/api/cluster.html';
const CITED: Record<number, { article: string; node: [label: string, anchor: string] }> = {
  1: { article: 'section 2, its first example', node: ['cluster.fork()', '#clusterforkenv'] },
  2: { article: 'section 3.6, the message event', node: ['worker.send()', '#workersendmessage-sendhandle-options-callback'] },
  3: { article: 'section 3, Example A', node: ["the cluster's events", '#event-fork'] },
  4: { article: 'sections 4 and 5, Example B', node: ['worker.disconnect()', '#workerdisconnect'] },
  5: { article: 'section 6, how it works', node: ['How it works', '#how-it-works'] },
  6: { article: 'section 6, and beyond it', node: ['cluster.schedulingPolicy', '#clusterschedulingpolicy'] },
};

/**
 * Under a lesson's title: its place in the course, where the learner's code is, the commands to run it (for the
 * parts the lesson has), and the matching parts of the article and of Node's documentation.
 */
function lessonBarOf(page: Page, lessonCount: number): string {
  const n = page.lessonNumber!;
  const folder = path.posix.dirname(page.source);
  const has = (name: string) => fs.existsSync(path.join(repoRoot, folder, name));
  const parts = [`<span class="lesson-count">Lesson ${n} of ${lessonCount}</span>`];
  if (has('cluster')) parts.push(`<span>Your code: <code>${folder}/cluster/</code></span>`);
  if (has('demo.ts')) parts.push(`<span>Run it: <code>npm run lesson ${n}${has('cluster') ? ' -- --mine' : ''}</code></span>`);
  if (has('test')) parts.push(`<span>Check it: <code>npm test -- lesson-${n}${has('cluster') ? ' --mine' : ''}</code></span>`);
  const cited = CITED[n];
  const article = relativeUrl(page.output, 'docs/article.html');
  const links = [
    `<span>The article: <a href="${article}#its-six-sections-and-where-the-course-takes-them-up">${cited ? cited.article : 'its sections'}</a></span>`,
    `<span>Node's docs: <a href="${NODE_DOCS}${cited ? cited.node[1] : ''}" rel="noopener">${escapeHtml(cited ? cited.node[0] : 'cluster')}</a></span>`,
  ];
  return `<div class="lesson-bar">${parts.join('')}<span class="lesson-links">${links.join('')}</span></div>`;
}

/** "What changed in this lesson", where the page has <!-- changes -->, else at the end. */
function addChanges(body: string, env: RenderEnv, section: string | undefined): string {
  if (!section) return body.replace(CHANGES_MARKER, '');
  env.headings.push({ level: 2, text: CHANGES_HEADING, id: CHANGES_ID });
  env.sections.push({ heading: CHANGES_HEADING, anchor: CHANGES_ID, text: textOf(section).slice(0, 4000) });
  return body.includes(CHANGES_MARKER) ? body.replace(CHANGES_MARKER, section) : `${body}\n${section}`;
}

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function addToIndex(index: SearchIndex, page: Page, sections: SearchSection[]): void {
  const pageNumber = index.pages.push({ title: page.title, url: page.output, kind: page.kind, lesson: page.lessonNumber }) - 1;
  for (const section of sections) {
    const text = section.text.replace(/\s+/g, ' ').trim();
    if (!text && !section.heading) continue;
    index.sections.push({ page: pageNumber, heading: section.heading || page.title, anchor: section.anchor, text });
  }
}

// ------------------------------------------------------------ source pages

/** One page per linked repository file or folder: the file as it is now, highlighted. */
async function writeSourcePages(requests: Set<string>, pages: Page[], index: SearchIndex): Promise<Page[]> {
  const written: Page[] = [];
  const done = new Set<string>();
  const queue = [...requests];
  while (queue.length > 0) {
    const request = queue.shift()!;
    if (done.has(request)) continue;
    done.add(request);
    const isFolder = request.endsWith('/');
    const repoPath = request.replace(/\/$/, '');
    const page: Page = isFolder
      ? { kind: 'source', source: `${repoPath}/`, output: `source/${repoPath}/index.html`, title: `${repoPath}/`, navLabel: repoPath }
      : sourcePage(repoPath);
    const body = isFolder ? folderBody(page, repoPath, queue, pages) : await fileBody(repoPath);
    write(page.output, renderLayout({ page, pages, body, headings: [], description: `${page.title} in the course repository` }));
    written.push(page);
    if (!isFolder) addToIndex(index, page, [{ heading: repoPath, anchor: '', text: symbolsOf(repoPath) }]);
  }
  return written;
}

/** What a search for a source file should find: its path and the names it declares. */
function symbolsOf(repoPath: string): string {
  const text = fs.readFileSync(path.join(repoRoot, repoPath), 'utf8');
  const names = new Set<string>(repoPath.split(/[/.]/));
  for (const match of text.matchAll(/\b(?:function\*?|class|interface|type|enum|const|let|var)\s+([A-Za-z_$][\w$]*)/g)) names.add(match[1]);
  for (const match of text.matchAll(/^\s+(?:async\s+|static\s+|private\s+|public\s+|get\s+|set\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]+)?\{\s*$/gm)) {
    if (!['if', 'for', 'while', 'switch', 'catch', 'function'].includes(match[1])) names.add(match[1]);
  }
  return [...names].join(' ');
}

// ------------------------------------------------------------ 404

const NOT_FOUND: Page = { kind: 'not-found', source: 'scripts/docs/build.ts', output: '404.html', title: 'Page not found', navLabel: 'Page not found' };

/** The 404 page: what happened, a search (the script fills it with the words of the missing address), the lessons. */
function notFoundBody(pages: Page[]): string {
  const lessons = pages
    .filter((page) => page.kind === 'lesson' && !page.part)
    .map((page) => `<li><a href="${page.output}">${page.lessonNumber}. ${escapeHtml(page.title)}</a></li>`)
    .join('');
  return (
    `<h1 id="top" tabindex="-1">Page not found</h1>\n` +
    `<p class="not-found-path">There is no page at this address. It may have moved: a search for its words may find it.</p>\n` +
    `<div class="not-found-search" role="search" aria-label="Search for the missing page"><label for="not-found-input">Search the course</label>` +
    `<input id="not-found-input" type="search" autocomplete="off" spellcheck="false" aria-controls="not-found-results">` +
    `<ul id="not-found-results" class="not-found-results" aria-live="polite"></ul></div>\n` +
    `<h2 id="the-lessons" tabindex="-1">The lessons</h2>\n<ul>${lessons}</ul>\n<p><a href="index.html">The course's home page</a></p>\n`
  );
}

async function fileBody(repoPath: string): Promise<string> {
  const text = fs.readFileSync(path.join(repoRoot, repoPath), 'utf8');
  const language = await resolveLanguage(languageOfFile(repoPath));
  const lines = text.replace(/\n$/, '').split('\n').length;
  return (
    `<h1 id="top" class="source-title"><code>${escapeHtml(repoPath)}</code></h1>\n` +
    `<p class="source-note">${lines} lines, as they are in the repository at the time the site was built.</p>\n` +
    `<div class="code-block numbered" data-lang="${language}">${highlightBlock(text, language)}</div>\n`
  );
}

function folderBody(page: Page, repoPath: string, queue: string[], pages: Page[]): string {
  const entries = fs
    .readdirSync(path.join(repoRoot, repoPath), { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && (entry.isFile() || entry.isDirectory()))
    .sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name));
  const items = entries.map((entry) => {
    const child = `${repoPath}/${entry.name}`;
    const asPage = pages.find((candidate) => candidate.source === child);
    let target: string;
    if (asPage) {
      target = asPage.output;
    } else if (entry.isDirectory()) {
      queue.push(`${child}/`);
      target = `source/${child}/index.html`;
    } else {
      queue.push(child);
      target = sourcePage(child).output;
    }
    const name = entry.isDirectory() ? `${entry.name}/` : entry.name;
    return `<li><a href="${relativeUrl(page.output, target)}"><code>${escapeHtml(name)}</code></a></li>`;
  });
  return `<h1 id="top" class="source-title"><code>${escapeHtml(repoPath)}/</code></h1>\n<ul class="file-list">${items.join('')}</ul>\n`;
}

// ------------------------------------------------------------ command line

export function describeBuild(result: BuildResult): string {
  const lessons = result.pages.filter((page) => page.kind === 'lesson' && !page.part).length;
  return (
    `Built ${result.pages.length} pages (${lessons} lesson${lessons === 1 ? '' : 's'}) and ${result.sourcePages.length} source pages ` +
    `into site/ in ${(result.milliseconds / 1000).toFixed(2)} s`
  );
}

/** Runs the build and reports it; a DocsError (a writer's mistake) is printed without a stack trace. */
export async function buildOrExplain(): Promise<BuildResult | undefined> {
  try {
    return await buildSite();
  } catch (error) {
    if (error instanceof DocsError) {
      process.stderr.write(`docs build failed: ${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

export function reportBrokenLinks(result: BuildResult): void {
  for (const broken of result.brokenLinks) process.stderr.write(`warning: ${broken}\n`);
}

if (require.main === module) {
  buildOrExplain().then((result) => {
    if (!result) {
      process.exitCode = 1;
      return;
    }
    reportBrokenLinks(result);
    console.log(describeBuild(result));
  });
}
