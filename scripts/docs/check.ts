// The docs checks (`npm test` runs this file as part of the self-check):
//   1. the site builds, and every link in the markdown leads somewhere;
//   2. every internal link and anchor of the built site resolves (linkinator);
//   3. in real Chromium: the next links walk through every lesson in order,
//      search finds a word that only one lesson has and lands there, a copy
//      button copies its code, the theme switch works, and no request leaves
//      127.0.0.1; and readerDetails(): "12 of N" results, source files found
//      by a name they declare, the search panel inside a 390 px screen, → for
//      the next page, the lesson number in the tab title, the chart in the
//      dark theme, copy buttons over no code, the 404 page;
//   4. at 1280 px (on the accessibility pass's page loads) and 390 px wide:
//      every lesson page is at most MAX_LESSON_HEIGHT tall (at 1280), no
//      diagram text is drawn smaller than 12 px, every diagram label stays
//      inside its shape, no code block is cut off at the right, and no Chinese
//      character is drawn as an empty box (measureLayout());
//   5. axe-core finds no accessibility violation on any page (every rule in the
//      light theme, the rules that depend on colour in the dark theme; the
//      generated file pages by a sample, see sampleOf()); the text inside code
//      blocks is held to the same contrast by codeContrast() and, on every
//      page, by staticCodeContrast().
// Exit status 0 when all pass; 1 with the reasons otherwise. The server and
// the browser are always shut down, pass or fail. Without a browser (none
// found, see lib/browser.ts) the checks that need one are skipped with one
// line that says so, and the rest still run; under CI=true that is a failure.
//
//   DOCS_SCREENSHOT=/tmp/docs-lesson.png  also saves a screenshot of a lesson page
//   DOCS_CHECK_ALL=1                      runs axe on every generated file page and changes page too
//   DOCS_REPORT=1                         prints each lesson page's height and smallest diagram text
import fs from 'node:fs';
import path from 'node:path';
import type { Page as Tab } from 'playwright-core';
import { buildSite, siteDir, type BuildResult, type SearchIndex } from './build';
import { findBrowser, HOW_TO_GET_A_BROWSER, launchBrowser, type Browser } from './lib/browser';
import { DocsError } from './lib/include';
import type { Page } from './lib/pages';
import { serveSite, type SiteServer } from './lib/server';

// Safety nets against a hung browser. On a quiet machine the whole check takes
// about a minute; in CI, beside the lesson runs of four Node versions, it took
// 160 to 190 s on a machine here and over 300 s on CI's own, so a deadline on
// the whole is no way to tell hung from slow. What tells them apart is
// progress: a step that ends, a page that loads.
/** The check stops when nothing has moved for this long. */
const STALL_MS = 120_000;
/** ... or when it has run this long in all (CI's whole run must fit in 15 minutes). */
const OVERALL_TIMEOUT_MS = 600_000;
/** How long a page may take to do what it does at once on a quiet machine (show search results, change theme, navigate). */
const WAIT_MS = 30_000;

/** A lesson page may be this tall at 1280 px wide, no more (issue 16: short pages). */
const MAX_LESSON_HEIGHT = 15_000;
/** No diagram text smaller than this, in CSS pixels, at either width. */
const MIN_DIAGRAM_TEXT_PX = 12;
const WIDTHS = [1280, 390];

// Code passed to tab.evaluate() runs in the page, where these exist; the
// course's tsconfig has no DOM types, so they are declared for this file only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const localStorage: any;
declare function getComputedStyle(element: unknown): any;
type HTMLAnchorElement = { href: string };
type Document = unknown;

interface CheckResult {
  name: string;
  ok: boolean;
  /** one line for the summary */
  summary: string;
  /** the reasons, when it failed */
  problems: string[];
  milliseconds: number;
}

const results: CheckResult[] = [];

/** The last sign of life: what moved, and when (see STALL_MS); and the step running, if one is. */
const progress = { at: performance.now(), what: 'the start', step: '' };
/** Set when a safety net stops the check: what fails after that failed because of it. */
let stopping = false;

function madeProgress(what: string): void {
  progress.at = performance.now();
  progress.what = what;
}

async function step(name: string, body: () => Promise<{ summary: string; problems: string[] }>): Promise<boolean> {
  const started = performance.now();
  progress.step = name;
  madeProgress(`the start of "${name}"`);
  let outcome: { summary: string; problems: string[] };
  try {
    outcome = await body();
  } catch (error) {
    const message = error instanceof DocsError ? error.message : ((error as Error).stack ?? String(error));
    outcome = stopping ? { summary: 'stopped (see above)', problems: ['stopped'] } : { summary: 'could not run', problems: [message] };
  }
  madeProgress(`the end of "${name}"`);
  progress.step = '';
  const result = { name, ok: outcome.problems.length === 0, ...outcome, milliseconds: performance.now() - started };
  results.push(result);
  const seconds = (result.milliseconds / 1000).toFixed(1);
  console.log(`${result.ok ? '✔' : '✖'} ${name}: ${result.summary} (${seconds} s)`);
  for (const problem of result.problems.slice(0, 40)) {
    const lines = problem.split('\n');
    // Playwright appends the whole browser log to its errors: the first lines say what happened.
    const shown = lines.length > 12 ? [...lines.slice(0, 12), `... (${lines.length - 12} more lines)`] : lines;
    console.log(`    ${shown.join('\n    ')}`);
  }
  if (result.problems.length > 40) console.log(`    ... and ${result.problems.length - 40} more`);
  return result.ok;
}

// ------------------------------------------------------------ links

async function checkLinks(server: SiteServer): Promise<{ summary: string; problems: string[] }> {
  const { LinkChecker } = await import('linkinator');
  const checker = new LinkChecker();
  checker.on('link', (link) => madeProgress(`checking ${link.url}`));
  const result = await checker.check({
    path: server.url,
    recurse: true,
    checkFragments: true,
    // The site's server runs in this process, beside the checker parsing every
    // page: on a busy machine a request can wait out its time while a large
    // page is parsed. A few at once, and a request that timed out is asked
    // again (after 2, 4, 8 s): a link is broken when it fails, not when the machine is slow.
    concurrency: 4,
    timeout: 10_000,
    retryErrors: true,
    retryErrorsCount: 3,
    // Only our own pages: the checks make no request to the outside world.
    linksToSkip: async (link) => !link.startsWith(server.url),
  });
  const checked = result.links.filter((link) => link.state !== 'SKIPPED');
  const broken = result.links.filter((link) => link.state === 'BROKEN');
  const relative = (url?: string) => (url ?? '?').replace(server.url, '/').replace(/^\/(?=#|$)/, '/index.html');
  return {
    summary: `${checked.length} internal links and anchors checked, ${broken.length} broken`,
    problems: [
      ...new Map(
        broken.map((link) => {
          const why = link.failureDetails?.map((detail) => (detail instanceof Error ? detail.message : `HTTP ${detail.status}`)).join('; ');
          const from = link.parent ? ` (linked from ${relative(link.parent)})` : '';
          return [relative(link.url), `${relative(link.url)}${from}: ${why ?? link.status ?? ''}`] as const;
        }),
      ).values(),
    ],
  };
}

// ------------------------------------------------------------ the browser test

/** Words as the search script splits them. */
function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}_$]+/u).filter((word) => word.length >= 2));
}

/** A word that appears in one lesson only: no other page has a word starting with it. */
export function wordOnlyOneLessonHas(index: SearchIndex): { word: string; page: SearchIndex['pages'][number] } | undefined {
  const words = index.pages.map((page, number) => {
    const set = wordsOf(page.title);
    for (const section of index.sections.filter((s) => s.page === number)) {
      for (const word of wordsOf(`${section.heading} ${section.text}`)) set.add(word);
    }
    return set;
  });
  const lessons = index.pages.map((page, number) => ({ page, number })).filter(({ page }) => page.kind === 'lesson');
  // Prefer a lesson from the middle of the course, so the search lands away from where the walk ended.
  const order = [...lessons].sort((a, b) => Math.abs(a.number - lessons[lessons.length >> 1].number) - Math.abs(b.number - lessons[lessons.length >> 1].number));
  for (const { page, number } of order) {
    const others = words.filter((_, other) => other !== number).flatMap((set) => [...set]);
    const candidates = [...words[number]]
      .filter((word) => /^\p{L}{6,16}$/u.test(word))
      .filter((word) => !others.some((other) => other.startsWith(word)))
      .sort((a, b) => b.length - a.length || a.localeCompare(b));
    if (candidates.length > 0) return { word: candidates[0], page };
  }
  return undefined;
}

async function walkNextLinks(tab: Tab, server: SiteServer, pages: Page[]): Promise<string[]> {
  const problems: string[] = [];
  await tab.goto(`${server.url}index.html`);
  const visited: string[] = [];
  for (let guard = 0; guard < pages.length + 2; guard++) {
    const here = new URL(tab.url()).pathname.slice(1);
    visited.push(here);
    const expected = pages[visited.length - 1];
    if (expected && here === expected.output) {
      const marked = await tab.locator('nav.sidebar a[aria-current="page"]').allTextContents();
      const label = expected.lessonNumber !== undefined && !expected.part ? `${expected.lessonNumber}${expected.title}` : expected.navLabel;
      if (marked.length !== 1 || marked[0] !== label) {
        problems.push(`${here}: the sidebar should mark "${label}" as the current page, marks ${JSON.stringify(marked)}`);
      }
      const heading = (await tab.locator('main h1').first().textContent({ timeout: WAIT_MS }))?.replace(/\s*#$/, '').trim();
      if (expected.kind !== 'home' && heading !== expected.title) {
        problems.push(`${here}: the page's heading is "${heading}", expected "${expected.title}"`);
      }
    }
    const next = tab.locator('a[rel="next"]');
    if ((await next.count()) === 0) break;
    await Promise.all([tab.waitForURL((url) => url.pathname.slice(1) !== here), next.click()]);
  }
  const expectedOrder = pages.map((page) => page.output);
  if (visited.join(' → ') !== expectedOrder.join(' → ')) {
    problems.push(`following the next links visits\n  ${visited.join(' → ')}\nbut the reading order is\n  ${expectedOrder.join(' → ')}`);
  }
  const lessons = pages.filter((page) => page.kind === 'lesson').map((page) => page.output);
  const lessonsVisited = visited.filter((output) => lessons.includes(output));
  if (lessonsVisited.join() !== lessons.join()) {
    problems.push(`the walk met the lessons as ${lessonsVisited.join(', ')}; expected ${lessons.join(', ')}`);
  }
  return problems;
}

async function searchAndLand(tab: Tab, server: SiteServer, index: SearchIndex): Promise<{ problems: string[]; note: string }> {
  const target = wordOnlyOneLessonHas(index);
  if (!target) return { problems: ['no word appears in exactly one lesson, so search cannot be checked'], note: '' };
  await tab.goto(`${server.url}index.html`);
  await tab.keyboard.press('/');
  const focused = await tab.evaluate(() => document.activeElement?.id);
  const problems: string[] = [];
  if (focused !== 'search-input') problems.push('pressing "/" should focus the search box');
  await tab.locator('#search-input').fill(target.word);
  const results = tab.locator('#search-results a');
  await results.first().waitFor({ timeout: WAIT_MS });
  const hrefs = await results.evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname.slice(1)));
  const elsewhere = hrefs.filter((href) => href !== target.page.url);
  if (elsewhere.length > 0) problems.push(`searching "${target.word}" also lists ${elsewhere.join(', ')}`);
  await Promise.all([tab.waitForURL((url) => url.pathname.slice(1) === target.page.url, { timeout: WAIT_MS }), results.first().click()]);
  const landed = new URL(tab.url());
  if (landed.hash) {
    const exists = await tab.evaluate((id) => document.getElementById(decodeURIComponent(id)) !== null, landed.hash.slice(1));
    if (!exists) problems.push(`landed on ${landed.pathname}${landed.hash}, but the page has no such anchor`);
  }
  return { problems, note: `"${target.word}" → ${landed.pathname.slice(1)}${landed.hash}` };
}

/** The copy button of a lesson's first code block puts exactly that code on the clipboard. */
async function copyButton(tab: Tab, server: SiteServer, page: Page, browser: Browser): Promise<string[]> {
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await tab.goto(new URL(page.output, server.url).href);
  const block = tab.locator('.code-block').first();
  if ((await block.count()) === 0) return [];
  await block.hover();
  await block.locator('button.copy').click();
  const expected = await block.locator('pre code').textContent();
  const copied = await tab.evaluate(() => (window as any).navigator.clipboard.readText());
  const label = await block.locator('button.copy').textContent();
  const problems: string[] = [];
  if (copied !== expected) problems.push(`${page.output}: the copy button copied ${JSON.stringify(String(copied).slice(0, 60))}, not the block's code`);
  if (label !== 'Copied') problems.push(`${page.output}: the copy button should say "Copied" after a click, says ${JSON.stringify(label)}`);
  return problems;
}

/**
 * The rest of what a reader meets: search says "12 of N" and shows the rest on
 * request, finds a source file by a name it declares, and fits a 390 px
 * screen; → goes to the next page; a lesson's tab title and bar give its
 * number; the chart turns dark with the page; the copy button covers no code;
 * a missing page gets the styled 404 page with its search.
 */
async function readerDetails(tab: Tab, server: SiteServer, site: BuildResult): Promise<string[]> {
  const problems: string[] = [];
  const lessons = site.pages.filter((page) => page.kind === 'lesson' && !page.part);
  const at = (page: Page) => new URL(page.output, server.url).href;

  // Search: "12 of N", then all of them.
  await tab.goto(`${server.url}index.html`);
  await tab.locator('#search-input').fill('worker');
  await tab.locator('#search-results .search-status').waitFor({ timeout: WAIT_MS });
  const status = (await tab.locator('#search-results .search-status').textContent()) ?? '';
  const total = Number(/^12 of (\d+) results$/.exec(status)?.[1]);
  if (!total) problems.push(`searching "worker" should say "12 of N results", says ${JSON.stringify(status)}`);
  else {
    await tab.locator('#search-results .search-more').click();
    const shown = await tab.locator('#search-results li a').count();
    if (shown !== total) problems.push(`"Show all" should list all ${total} results, lists ${shown}`);
  }
  // Search: a source file, by a name declared in it.
  const source = site.searchIndex.pages.findIndex((page) => page.kind === 'source' && /^source\/solutions\/.+\.ts\.html$/.test(page.url));
  const sourceSection = site.searchIndex.sections.find((section) => section.page === source);
  const symbol = sourceSection?.text.split(' ').filter((word) => /^[a-z][A-Za-z]{7,}$/.test(word)).pop();
  if (symbol) {
    await tab.locator('#search-input').fill(symbol);
    await tab.locator('#search-results .search-status').waitFor({ timeout: WAIT_MS });
    const hrefs = await tab.locator('#search-results a').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname.slice(1)));
    if (!hrefs.some((href) => href.startsWith('source/'))) problems.push(`searching "${symbol}" should list the source file that declares it`);
  } else problems.push('no source file in the search index');
  // Search: the panel fits a 390 px screen.
  await tab.setViewportSize({ width: 390, height: 800 });
  await tab.goto(`${server.url}index.html`);
  await tab.locator('#search-input').fill('worker');
  await tab.locator('#search-results .search-status').waitFor({ timeout: WAIT_MS });
  const panel = await tab.locator('#search-results').boundingBox();
  if (!panel || panel.x < 0 || panel.x + panel.width > 390) problems.push(`at 390 px the search panel should fit the screen: ${JSON.stringify(panel)}`);
  await tab.setViewportSize({ width: 1280, height: 900 });

  // → for the next page; the lesson's number in its tab title and its bar.
  const lesson = lessons[1] ?? lessons[0];
  if (lesson) {
    await tab.goto(at(lesson));
    const title = await tab.title();
    if (!title.startsWith(`${lesson.lessonNumber}. `)) problems.push(`${lesson.output}: the tab title should start with its number: ${JSON.stringify(title)}`);
    const count = await tab.locator('.lesson-count').textContent();
    if (count !== `Lesson ${lesson.lessonNumber} of ${lessons.length}`) problems.push(`${lesson.output}: the lesson bar says ${JSON.stringify(count)}`);
    const next = site.pages[site.pages.indexOf(lesson) + 1];
    await Promise.all([tab.waitForURL((url) => url.pathname.slice(1) === next.output, { timeout: WAIT_MS }), tab.keyboard.press('ArrowRight')]).catch(() =>
      problems.push(`${lesson.output}: → should open ${next.output}`),
    );
  }

  // The chart follows the theme.
  const withChart = lessons.find((page) => fs.readFileSync(path.join(siteDir, page.output), 'utf8').includes('class="chart"'));
  if (withChart) {
    await tab.emulateMedia({ colorScheme: 'dark' });
    await tab.goto(at(withChart));
    const background = await tab.evaluate(() => getComputedStyle(document.querySelector('.chart svg rect')).fill);
    const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
    if (!(r + g + b < 150)) problems.push(`${withChart.output}: in the dark theme the chart's background is ${background}`);
    await tab.emulateMedia({ colorScheme: 'light' });
  }

  // The copy button sits beside the code, over none of it.
  for (const page of lessons.slice(0, 2)) {
    await tab.goto(at(page));
    const covered = await tab.evaluate(() => {
      const found: string[] = [];
      for (const block of document.querySelectorAll('.code-block')) {
        const button = block.querySelector('button.copy');
        if (!button || !block.getClientRects().length) continue;
        const b = button.getBoundingClientRect();
        for (const line of block.querySelectorAll('pre .line')) {
          const range = document.createRange();
          range.selectNodeContents(line);
          for (const r of range.getClientRects()) {
            if (r.width > 0 && r.right > b.left && r.left < b.right && r.bottom > b.top && r.top < b.bottom) found.push(line.textContent.trim().slice(0, 40));
          }
        }
      }
      return found;
    });
    for (const line of covered.slice(0, 3)) problems.push(`${page.output}: the copy button covers code: ${JSON.stringify(line)}`);
  }

  // A missing page: the site's 404 page, with its search.
  // (The browser logs the 404 status as a console error: expected here, so the error handler leaves it out.)
  const response = await tab.goto(`${server.url}lessons/no-such-lesson.html`);
  if (response?.status() !== 404) problems.push(`a missing page should answer 404, answered ${response?.status()}`);
  if ((await tab.locator('#not-found-input').count()) !== 1) problems.push('the 404 page should have its search box');
  return problems;
}

async function toggleTheme(tab: Tab, server: SiteServer, page: Page): Promise<string[]> {
  const problems: string[] = [];
  const state = () =>
    tab.evaluate(() => ({
      theme: document.documentElement.dataset.theme,
      pressed: document.getElementById('theme-toggle')?.getAttribute('aria-pressed'),
      background: getComputedStyle(document.body).backgroundColor,
      stored: localStorage.getItem('theme'),
    }));
  const isDark = (color: string) => {
    const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number);
    return r + g + b < 150;
  };
  await tab.emulateMedia({ colorScheme: 'light' });
  await tab.goto(new URL(page.output, server.url).href);
  const before = await state();
  if (before.theme !== 'light' || isDark(before.background)) problems.push(`with a light system theme the page should be light: ${JSON.stringify(before)}`);
  await tab.locator('#theme-toggle').click();
  const dark = await state();
  if (dark.theme !== 'dark' || !isDark(dark.background) || dark.pressed !== 'true') problems.push(`after the toggle the page should be dark: ${JSON.stringify(dark)}`);
  await tab.reload();
  const kept = await state();
  if (kept.theme !== 'dark') problems.push('the dark choice should survive a reload');
  await tab.locator('#theme-toggle').click();
  const back = await state();
  if (back.theme !== 'light' || back.stored !== null) problems.push(`toggling back should return to following the system: ${JSON.stringify(back)}`);
  await tab.emulateMedia({ colorScheme: 'dark' });
  await tab.waitForFunction(() => document.documentElement.dataset.theme === 'dark', undefined, { timeout: WAIT_MS }).catch(() => {
    problems.push('with no choice saved, the page should follow the system when it turns dark');
  });
  await tab.emulateMedia({ colorScheme: 'light' });
  return problems;
}

// ------------------------------------------------------------ layout

interface LayoutMeasure {
  height: number;
  /** the smallest diagram text, in CSS px, and what it says */
  smallestText?: { px: number; text: string };
  /** labels drawn outside their shape */
  outside: string[];
  /** code blocks whose text runs past their right edge */
  cutOff: string[];
  /** characters drawn as an empty box, with the font they were asked of */
  boxes: string[];
}

/** Runs in the page, once its script has run: what issue 16 asks the page to hold. */
export function measureLayout(): LayoutMeasure {
  const result: LayoutMeasure = { height: document.documentElement.scrollHeight, outside: [], cutOff: [], boxes: [] };
  for (const text of document.querySelectorAll('.diagram svg text, .chart svg text')) {
    const matrix = text.getScreenCTM();
    if (!matrix || !text.textContent.trim()) continue;
    const px = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
    if (!result.smallestText || px < result.smallestText.px) result.smallestText = { px, text: text.textContent.trim().slice(0, 40) };
    if (!text.closest('.diagram')) continue;
    const shapes = [...text.parentNode.children].filter((child: any) => /^(rect|polygon|circle|ellipse)$/.test(child.tagName));
    if (shapes.length === 0) continue;
    const box = text.getBBox();
    const boxes = shapes.map((shape: any) => shape.getBBox());
    const left = Math.min(...boxes.map((b: any) => b.x));
    const right = Math.max(...boxes.map((b: any) => b.x + b.width));
    const top = Math.min(...boxes.map((b: any) => b.y));
    const bottom = Math.max(...boxes.map((b: any) => b.y + b.height));
    if (box.x < left - 0.5 || box.x + box.width > right + 0.5 || box.y < top - 0.5 || box.y + box.height > bottom + 0.5) {
      result.outside.push(`"${text.textContent.trim()}" (${box.width.toFixed(0)} px wide in a ${(right - left).toFixed(0)} px shape)`);
    }
  }
  for (const pre of document.querySelectorAll('.doc pre')) {
    if (pre.closest('details:not([open])') || pre.classList.contains('diff') || !pre.getClientRects().length) continue;
    if (pre.scrollWidth > pre.clientWidth + 1) result.cutOff.push(JSON.stringify(pre.textContent.trim().slice(0, 50)));
  }
  // A character no font has is drawn as the font's "missing glyph", the same box for every such character: draw
  // each CJK or full-width character in its element's font next to a character no font has, and compare.
  const canvas = document.createElement('canvas');
  canvas.width = 48;
  canvas.height = 48;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const picture = (font: string, char: string) => {
    context.clearRect(0, 0, 48, 48);
    context.font = `32px ${font}`;
    context.fillText(char, 4, 36);
    return context.getImageData(0, 0, 48, 48).data.join(',');
  };
  const seen = new Set<string>();
  const walker = document.createTreeWalker(document.body, 4);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const chars = node.textContent.match(/[\u2e80-\u9fff\uff00-\uffef]/gu);
    if (!chars) continue;
    const font = getComputedStyle(node.parentElement).fontFamily;
    for (const char of new Set<string>(chars)) {
      const key = `${char} ${font}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (picture(font, char) === picture(font, '\u{10fffd}')) result.boxes.push(`"${char}" in ${font.slice(0, 60)}`);
    }
  }
  return result;
}

/** Each page at 1280 and 390 px: heights (lesson pages), diagram text, labels, code blocks, CJK glyphs. */
async function checkLayout(
  browser: Browser,
  server: SiteServer,
  pages: Page[],
  measuredAt1280: Map<string, LayoutMeasure>,
): Promise<{ summary: string; problems: string[]; report: string[] }> {
  const problems: string[] = [];
  const report: string[] = [];
  const tab = await browser.context.newPage();
  await tab.addInitScript({ content: 'window.__name = (f) => f;' });
  let smallest = Infinity;
  try {
    for (const width of WIDTHS) {
      await tab.setViewportSize({ width, height: 900 });
      // At 390 px only the diagrams' text size can change: only the pages with a diagram or a chart are looked at again.
      const here = width === 1280 ? pages : pages.filter((page) => /class="(diagram|chart)"/.test(fs.readFileSync(path.join(siteDir, page.output), 'utf8')));
      for (const page of here) {
        // At 1280 px the accessibility pass has already loaded the page and measured it.
        let measure = width === 1280 ? measuredAt1280.get(page.output) : undefined;
        if (!measure) {
          await tab.goto(new URL(page.output, server.url).href);
          await tab.evaluate(() => document.fonts.ready);
          measure = await tab.evaluate(measureLayout);
        }
        const where = `${page.output} at ${width} px`;
        if (measure.smallestText) smallest = Math.min(smallest, measure.smallestText.px);
        if (measure.smallestText && measure.smallestText.px < MIN_DIAGRAM_TEXT_PX) {
          problems.push(`${where}: diagram text drawn at ${measure.smallestText.px.toFixed(1)} px ("${measure.smallestText.text}"), under ${MIN_DIAGRAM_TEXT_PX}`);
        }
        for (const label of measure.outside) problems.push(`${where}: a diagram label runs out of its shape: ${label}`);
        if (width === 1280) {
          for (const block of measure.cutOff) problems.push(`${where}: a code block is cut off at the right: ${block}`);
          for (const box of measure.boxes) problems.push(`${where}: drawn as an empty box (no font has it): ${box}`);
        }
        if (page.kind === 'lesson') {
          const text = measure.smallestText ? `${measure.smallestText.px.toFixed(1)} px` : 'no diagram';
          report.push(`${page.output} at ${width} px: ${measure.height} px tall, smallest diagram text ${text}`);
          if (width === 1280 && measure.height > MAX_LESSON_HEIGHT) problems.push(`${where}: ${measure.height} px tall, more than ${MAX_LESSON_HEIGHT}`);
        }
      }
    }
  } finally {
    await tab.close();
  }
  return {
    summary: `${pages.length} pages at ${WIDTHS.join(' and ')} px: smallest diagram text ${smallest.toFixed(1)} px, ${problems.length} problems`,
    problems,
    report,
  };
}

// ------------------------------------------------------------ accessibility

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * The rules whose outcome depends on the colours. In the dark theme only the
 * colours change (the same HTML, the same script), so the dark pass runs
 * these; the light pass runs every rule.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * Code blocks are thousands of coloured spans, and axe's colour-contrast
 * rule on them takes most of its time. So axe skips the inside of code
 * blocks, and codeContrast() below checks every piece of text in them
 * instead: its colour against the background it is really drawn on, with
 * WCAG's formula, in both themes. (The <pre> elements themselves stay in axe.)
 */
const AXE_CONTEXT = { exclude: [['pre.shiki code']] };

/** Runs in the page: every text colour inside code blocks under 4.5:1 against its background. */
export function codeContrast(): string[] {
  type Rgba = { r: number; g: number; b: number; a: number };
  const parse = (css: string): Rgba | undefined => {
    const numbers = css.match(/[\d.]+/g)?.map(Number);
    if (!css.startsWith('rgb') || !numbers || numbers.length < 3) return undefined;
    return { r: numbers[0], g: numbers[1], b: numbers[2], a: numbers[3] ?? 1 };
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const backgroundOf = (element: any): Rgba => {
    const layers: Rgba[] = [];
    for (let node = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) break;
      }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
  };
  const luminance = (c: Rgba) => {
    const channel = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const problems = new Map<string, string>();
  for (const element of document.querySelectorAll('pre.shiki code, pre.shiki code *')) {
    const ownText = [...element.childNodes].filter((n: any) => n.nodeType === 3).map((n: any) => n.textContent).join('');
    if (!ownText.trim() || element.closest('details:not([open])')) continue;
    const style = getComputedStyle(element);
    const text = parse(style.color);
    if (!text) continue;
    const background = backgroundOf(element);
    const [light, dark] = [luminance(over(text, background)), luminance(background)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    const bg = `rgb(${Math.round(background.r)}, ${Math.round(background.g)}, ${Math.round(background.b)})`;
    const key = `${style.color} on ${bg}`;
    if (ratio < 4.5 && !problems.has(key)) problems.set(key, `code text ${key}: ${ratio.toFixed(2)}:1 (needs 4.5), e.g. ${JSON.stringify(ownText.trim().slice(0, 30))}`);
  }
  return [...problems.values()];
}

/** axe-core on one page, in the light theme and then the dark one (the page follows the emulated system theme). */
async function axeOnPage(tab: Tab, server: SiteServer, page: Page, measures: Map<string, LayoutMeasure>): Promise<string[]> {
  const problems: string[] = [];
  await tab.emulateMedia({ colorScheme: 'light' });
  await tab.goto(new URL(page.output, server.url).href);
  // The same load serves the layout check at 1280 px (checkLayout).
  await tab.evaluate(() => document.fonts.ready);
  measures.set(page.output, await tab.evaluate(measureLayout));
  for (const scheme of ['light', 'dark'] as const) {
    await tab.emulateMedia({ colorScheme: scheme });
    await tab.waitForFunction((wanted) => document.documentElement.dataset.theme === wanted, scheme, { timeout: WAIT_MS });
    const runOnly = scheme === 'dark' ? COLOUR_RULES : undefined;
    const violations = (await tab.evaluate(
      async ({ rules, context }) => {
        const axe = (window as unknown as { axe: { run: (context: unknown, options: object) => Promise<{ violations: unknown[] }> } }).axe;
        const report = await axe.run(context, { resultTypes: ['violations'], ...(rules ? { runOnly: rules } : {}) });
        return report.violations;
      },
      { rules: runOnly, context: AXE_CONTEXT },
    )) as AxeViolation[];
    for (const violation of violations) {
      const where = violation.nodes
        .slice(0, 3)
        .map((node) => `${JSON.stringify(node.target)}: ${(node.failureSummary ?? '').split('\n').slice(1, 2).join(' ').trim()}`)
        .join('\n      ');
      problems.push(`${page.output} (${scheme}): ${violation.id} [${violation.impact}] ${violation.help}, ${violation.nodes.length} element(s)\n      ${where}`);
    }
    for (const problem of await tab.evaluate(codeContrast)) problems.push(`${page.output} (${scheme}): ${problem}`);
  }
  return problems;
}

/** Every page, light and dark, on two tabs at once (the machine has two cores). */
async function axeOnEveryPage(
  browser: Browser,
  server: SiteServer,
  pages: Page[],
  measures: Map<string, LayoutMeasure>,
): Promise<{ summary: string; problems: string[] }> {
  const axePath = require.resolve('axe-core/axe.min.js');
  const problems: string[] = [];
  // Biggest pages first, so that the two tabs finish at about the same time.
  const queue = [...pages].sort((a, b) => sizeOf(b) - sizeOf(a));
  const lane = async () => {
    const tab = await browser.context.newPage();
    // Loaded into every page this tab opens, before the page's own scripts.
    await tab.addInitScript({ path: axePath });
    // tsx compiles this file keeping function names, with a helper (__name) that
    // the functions sent to the page (codeContrast) call: the page needs it too.
    await tab.addInitScript({ content: 'window.__name = (f) => f;' });
    try {
      for (let page = queue.shift(); page; page = queue.shift()) problems.push(...(await axeOnPage(tab, server, page, measures)));
    } finally {
      await tab.close();
    }
  };
  await Promise.all([lane(), lane()]);
  return {
    summary: `every rule in light, the colour rules in dark, code contrast in both: ${problems.length} violations`,
    problems,
  };
}

/**
 * The generated file pages (one per repository file a page links to) all come
 * from one template: a title, a line of text, one highlighted file. Running
 * axe on each of them would double the check's time and find nothing the
 * sample cannot: one folder page, the first file page of each kind, and the
 * largest. (Their code colours are all checked statically, below.)
 * DOCS_CHECK_ALL=1 checks every one of them.
 */
function sampleOf(sourcePages: Page[]): Page[] {
  const folders = sourcePages.filter((page) => page.output.endsWith('/index.html')).slice(0, 1);
  const files = sourcePages.filter((page) => !page.output.endsWith('/index.html'));
  const firstOfEachKind = [...new Map(files.map((page) => [path.extname(page.source), page])).values()];
  const largest = [...files].sort((a, b) => sizeOf(b) - sizeOf(a)).slice(0, 1);
  return [...new Set([...folders, ...firstOfEachKind, ...largest])];
}

/**
 * Every highlighted token on every page of the site, file pages included:
 * its colour against its code block's background, in both themes. Read from
 * the HTML (shiki writes both colours into each token), so it needs no browser.
 */
function staticCodeContrast(site: BuildResult): { summary: string; problems: string[] } {
  const hex = (value: string) => {
    const digits = value.replace('#', '');
    const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits.slice(0, 6);
    return [0, 2, 4].map((at) => parseInt(full.slice(at, at + 2), 16));
  };
  const luminance = (rgb: number[]) => {
    const [r, g, b] = rgb.map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a: string, b: string) => {
    const [high, low] = [luminance(hex(a)), luminance(hex(b))].sort((x, y) => y - x);
    return (high + 0.05) / (low + 0.05);
  };
  const pairs = new Map<string, string>();
  for (const page of [...site.pages, ...site.sourcePages]) {
    const html = fs.readFileSync(path.join(siteDir, page.output), 'utf8');
    for (const block of html.split('<pre class="shiki').slice(1)) {
      const backgrounds = /--shiki-light-bg:(#[0-9a-fA-F]+);--shiki-dark-bg:(#[0-9a-fA-F]+)/.exec(block);
      if (!backgrounds) continue;
      const code = block.slice(0, block.indexOf('</pre>'));
      for (const token of code.matchAll(/--shiki-light:(#[0-9a-fA-F]+);--shiki-dark:(#[0-9a-fA-F]+)/g)) {
        pairs.set(`light ${token[1]} on ${backgrounds[1]}`, page.output);
        pairs.set(`dark ${token[2]} on ${backgrounds[2]}`, page.output);
      }
    }
  }
  const problems: string[] = [];
  for (const [pair, page] of pairs) {
    const [, text, , background] = pair.split(' ');
    const value = ratio(text, background);
    if (value < 4.5) problems.push(`${pair}: ${value.toFixed(2)}:1 (needs 4.5), e.g. on ${page}`);
  }
  return { summary: `${pairs.size} colour pairs on ${site.pages.length + site.sourcePages.length} pages, ${problems.length} under 4.5:1`, problems };
}

/** The site's 404 page, as the checks visit it. */
const NOT_FOUND_PAGE: Page = { kind: 'not-found', source: '', output: '404.html', title: 'Page not found', navLabel: '' };

function sizeOf(page: Page): number {
  return fs.statSync(path.join(siteDir, page.output)).size;
}

// ------------------------------------------------------------ main

async function main(): Promise<void> {
  const started = performance.now();
  let server: SiteServer | undefined;
  let browser: Browser | undefined;
  const shutDown = async () => {
    await browser?.close();
    await server?.close();
  };
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: shutting the browser and the server down`);
    shutDown().finally(() => process.exit(1));
  };
  process.on('SIGINT', stopOnSignal);
  process.on('SIGTERM', stopOnSignal);
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`✖ the docs check ${why}${progress.step ? `, during "${progress.step}"` : ''}: stopping`);
    shutDown().finally(() => process.exit(1));
  };
  const watchdog = setInterval(() => {
    const now = performance.now();
    const quiet = now - progress.at;
    if (quiet > STALL_MS) stop(`saw nothing move for ${Math.round(quiet / 1000)} s (the last thing was ${progress.what})`);
    else if (now - started > OVERALL_TIMEOUT_MS) stop(`took longer than ${OVERALL_TIMEOUT_MS / 1000} s in all`);
  }, 5000);

  try {
    let build: BuildResult | undefined;
    await step('build', async () => {
      build = await buildSite();
      const lessons = build.pages.filter((page) => page.kind === 'lesson' && !page.part).length;
      return {
        summary: `${build.pages.length} pages (${lessons} lessons) + ${build.sourcePages.length} source pages in ${(build.milliseconds / 1000).toFixed(2)} s`,
        problems: build.brokenLinks,
      };
    });
    // Without a site there is nothing more to check; the summary below still reports the failure.
    if (build) await checkSite(build);
  } finally {
    await shutDown();
    clearInterval(watchdog);
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }

  const failed = results.filter((result) => !result.ok);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`docs check: ${results.length - failed.length} passed, ${failed.length} failed (${seconds} s)`);
  if (failed.length > 0) console.log(`failed: ${failed.map((result) => result.name).join(', ')}`);
  process.exitCode = failed.length === 0 ? 0 : 1;

  async function checkSite(site: BuildResult): Promise<void> {
    server = await serveSite(siteDir, 0);
    const origin = new URL(server.url).origin;
    await step('links and anchors', () => checkLinks(server!));

    const search = findBrowser();
    if ('missing' in search) {
      await step('code colours, every page', async () => staticCodeContrast(site));
      if (process.env.CI === 'true') {
        await step('browser', async () => ({ summary: 'no browser, and CI=true requires one', problems: [`${search.missing}: ${HOW_TO_GET_A_BROWSER}`] }));
      } else {
        console.log(
          `- browser checks skipped: ${search.missing}. To run them, ${HOW_TO_GET_A_BROWSER}, ` +
            `then: node --require tsx/cjs scripts/docs/check.ts (under CI=true a missing browser fails)`,
        );
      }
      return;
    }
    try {
      browser = await launchBrowser();
    } catch (error) {
      await step('browser', async () => ({ summary: 'could not start Chromium', problems: [(error as Error).message] }));
      return;
    }
    // Every page that loads, in any tab, is a sign of life for the watchdog.
    browser.context.on('page', (opened) => opened.on('load', () => madeProgress(`loading ${opened.url()}`)));
    const outside: string[] = [];
    await browser.context.route(
      (url) => url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'about:',
      (route) => {
        outside.push(route.request().url());
        return route.abort();
      },
    );
    const tab = await browser.context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(`script error on ${tab.url()}: ${error.message}`));
    tab.on('console', (message) => {
      if (message.type() === 'error' && !tab.url().endsWith('/no-such-lesson.html')) errors.push(`console error on ${tab.url()}: ${message.text()}`);
    });

    let searchNote = '';
    await step('browser', async () => {
      const problems = await walkNextLinks(tab, server!, site.pages);
      const search = await searchAndLand(tab, server!, site.searchIndex);
      searchNote = search.note;
      problems.push(...search.problems);
      const lesson = site.pages.find((page) => page.kind === 'lesson') ?? site.pages[0];
      problems.push(...(await copyButton(tab, server!, lesson, browser!)));
      problems.push(...(await toggleTheme(tab, server!, lesson)));
      problems.push(...(await readerDetails(tab, server!, site)));
      return {
        summary:
          `walked ${site.pages.length} pages by their next links, searched ${searchNote}, copied a code block, toggled dark mode, ` +
          `"12 of N" and source search, → key, 404 page, chart theme`,
        problems: [...problems, ...errors],
      };
    });
    await tab.evaluate(() => localStorage.clear());
    const sources = process.env.DOCS_CHECK_ALL ? site.sourcePages : sampleOf(site.sourcePages);
    const measures = new Map<string, LayoutMeasure>();
    await step('accessibility (axe-core)', async () => {
      // The changes pages share one template and are mostly diff: the smallest stands for them (DOCS_CHECK_ALL: all).
      const changes = process.env.DOCS_CHECK_ALL ? site.changesPages : [...site.changesPages].sort((a, b) => sizeOf(a) - sizeOf(b)).slice(0, 1);
      const result = await axeOnEveryPage(browser!, server!, [...site.pages, ...changes, NOT_FOUND_PAGE, ...sources], measures);
      const which = `${site.pages.length} pages, ${changes.length} of the ${site.changesPages.length} changes pages, the 404 page and ${sources.length} of the ${site.sourcePages.length} file pages`;
      return { ...result, summary: `${which}: ${result.summary}` };
    });
    let layoutReport: string[] = [];
    await step('layout at 1280 and 390 px', async () => {
      const result = await checkLayout(browser!, server!, [...site.pages, NOT_FOUND_PAGE], measures);
      layoutReport = result.report;
      return result;
    });
    if (process.env.DOCS_REPORT) for (const line of layoutReport) console.log(`    ${line}`);
    await step('code colours, every page', async () => staticCodeContrast(site));
    await step('no request leaves 127.0.0.1', async () => ({
      summary: outside.length ? `${outside.length} blocked` : 'none did',
      problems: [...new Set(outside)].map((url) => `a page asked for ${url}`),
    }));

    if (process.env.DOCS_SCREENSHOT) {
      const lesson = site.pages.find((page) => page.kind === 'lesson') ?? site.pages[0];
      await tab.emulateMedia({ colorScheme: 'light' });
      await tab.goto(new URL(lesson.output, server.url).href);
      await tab.screenshot({ path: process.env.DOCS_SCREENSHOT });
      console.log(`  screenshot of ${lesson.output}: ${process.env.DOCS_SCREENSHOT}`);
    }
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`docs check failed to run: ${(error as Error).stack ?? error}`);
    process.exitCode = 1;
  });
}

