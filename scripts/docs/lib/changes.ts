// "What changed in this lesson": the diff from solutions/(N-1)-*/ to
// solutions/N-*/, made from the real files at build time, so it cannot drift
// from the code. Lesson N's page shows a summary and the list of files; the
// diff itself has a page of its own. Lesson 1 lists its solution's files.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../course';
import { diffLines, toHunks, type DiffLine } from './diff';
import { escapeHtml } from '../../tools/escape-html';
import { highlightLines, resolveLanguage } from './highlight';
import { ANY_MARKER, languageOfFile } from './include';

/** The line a page may contain to choose where the section goes (else it goes at the end). */
export const CHANGES_MARKER = '<!-- changes -->';
export const CHANGES_HEADING = 'What changed in this lesson';
export const CHANGES_ID = 'what-changed-in-this-lesson';

export interface ChangesContext {
  /** a link from the current page to the source page of a repository file */
  linkToSource(repoPath: string): string;
}

/** solutions/NN-topic for lesson `number`, or undefined if it does not exist yet. */
export function solutionDirOf(number: number): string | undefined {
  const root = path.join(repoRoot, 'solutions');
  if (!fs.existsSync(root)) return undefined;
  const prefix = `${String(number).padStart(2, '0')}-`;
  const name = fs
    .readdirSync(root, { withFileTypes: true })
    .find((entry) => entry.isDirectory() && entry.name.startsWith(prefix))?.name;
  return name ? `solutions/${name}` : undefined;
}

/** Every file under a folder, relative to it, sorted. */
function filesUnder(repoDir: string): string[] {
  const root = path.join(repoRoot, repoDir);
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(child);
      } else if (entry.isFile()) {
        found.push(child);
      }
    }
  };
  walk('');
  return found.sort();
}

const read = (repoPath: string) => fs.readFileSync(path.join(repoRoot, repoPath), 'utf8');
const linesOf = (text: string) => text.replace(/\n$/, '').split('\n');

/** What the build makes of one lesson's changes: a section on the lesson's page and, from lesson 2 on, a page of its own. */
export interface LessonChanges {
  /** on the lesson page: a one-paragraph summary and the list of files */
  section: string;
  /** the whole diff, on its own page (lesson 1 has no diff) */
  page?: { title: string; body: string; searchText: string };
}

export interface ChangesPageContext extends ChangesContext {
  /** from the lesson page to the changes page */
  pageUrl: string;
  /** from the changes page back to the lesson page */
  lessonUrl: string;
  lessonTitle: string;
}

/** Lesson `number`'s changes, or undefined when a solution folder it needs is missing. */
export async function lessonChanges(number: number, onLesson: ChangesContext, onPage: ChangesPageContext): Promise<LessonChanges | undefined> {
  const current = solutionDirOf(number);
  if (!current) return undefined;
  if (number === 1) return { section: fileListSection(current, onLesson) };
  const previous = solutionDirOf(number - 1);
  if (!previous) return undefined;
  const before = filesUnder(previous);
  const after = filesUnder(current);
  const changes: FileChange[] = [];
  for (const file of [...new Set([...before, ...after])].sort()) {
    changes.push(await compareFile(file, previous, current, before.includes(file), after.includes(file), onPage));
  }
  const title = `What changed in lesson ${number}: ${onPage.lessonTitle}`;
  const shown = changes.filter((change) => change.status !== 'unchanged');
  return {
    section: summarySection(changes, previous, current, onPage),
    page: {
      title,
      body: changesPage(title, changes, previous, current, onPage),
      searchText: shown.map((change) => `${current}/${change.file} ${change.purpose}`).join(' '),
    },
  };
}

function heading(): string {
  return `<h2 id="${CHANGES_ID}" tabindex="-1">${CHANGES_HEADING} <a class="anchor" href="#${CHANGES_ID}" aria-label="Link to this section">#</a></h2>\n`;
}

/** The first sentence of a file's opening comment: what the file is for. */
function purposeOf(text: string): string {
  const comment: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*\/\/\s?(.*)$/.exec(line);
    if (!match) break;
    if (match[1].trim() === '' && comment.length > 0) break;
    comment.push(match[1].trim());
  }
  const joined = comment.join(' ').trim();
  const sentence = /^(.+?\.)(\s|$)/.exec(joined);
  return sentence ? sentence[1] : joined;
}

/** Plain text with `backticks` shown as code. */
function withCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function fileListSection(current: string, context: ChangesContext): string {
  const files = filesUnder(current);
  const items = files
    .map((file) => {
      const repoPath = `${current}/${file}`;
      const purpose = purposeOf(read(repoPath));
      return `<li><a href="${context.linkToSource(repoPath)}"><code>${escapeHtml(file)}</code></a>${purpose ? `: ${withCode(purpose)}` : ''}</li>`;
    })
    .join('\n');
  return (
    `<section class="changes" aria-labelledby="${CHANGES_ID}">\n${heading()}` +
    `<p>This is the first stage, so there is no diff yet: here is every file of <code>${current}/</code>, ` +
    `the code this lesson builds. From lesson 2 on, this section shows exactly what each lesson adds to the one before, ` +
    `computed from the real solution files every time the site is built.</p>\n<ul class="file-list">\n${items}\n</ul>\n</section>\n`
  );
}

interface FileChange {
  file: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  added: number;
  removed: number;
  /** the first sentence of the file's opening comment */
  purpose: string;
  html: string;
}

function countsOf(changes: FileChange[]): string {
  const count = (status: FileChange['status']) => changes.filter((change) => change.status === status).length;
  return [
    count('added') && `${count('added')} new`,
    count('changed') && `${count('changed')} changed`,
    count('removed') && `${count('removed')} removed`,
    count('unchanged') && `${count('unchanged')} unchanged`,
  ]
    .filter(Boolean)
    .join(', ');
}

const badge = (change: FileChange) => `<span class="badge badge-${change.status}">${change.status === 'added' ? 'new' : change.status}</span>`;
const statOf = (change: FileChange) =>
  `<span class="stat"><span class="plus">+${change.added}</span> <span class="minus">−${change.removed}</span></span>`;

/** One line per file: name (a link to `href(file)`), badge, +/−, and (on the changes page) what the file is for. */
function fileLines(changes: FileChange[], href: (file: string) => string, withPurpose = false): string {
  return changes
    .filter((change) => change.status !== 'unchanged')
    .map(
      (change) =>
        `<li><a href="${href(change.file)}"><code>${escapeHtml(change.file)}</code></a> ${badge(change)} ${statOf(change)}` +
        `${withPurpose && change.purpose ? `<span class="purpose">${withCode(change.purpose)}</span>` : ''}</li>`,
    )
    .join('\n');
}

function unchangedNote(changes: FileChange[]): string {
  const unchanged = changes.filter((change) => change.status === 'unchanged');
  if (unchanged.length === 0) return '';
  return `<p class="unchanged">Unchanged: ${unchanged.map((change) => `<code>${escapeHtml(change.file)}</code>`).join(', ')}.</p>\n`;
}

/** On the lesson page: how much changed, where, and a link to the whole diff. */
function summarySection(changes: FileChange[], previous: string, current: string, page: ChangesPageContext): string {
  const added = changes.reduce((sum, change) => sum + change.added, 0);
  const removed = changes.reduce((sum, change) => sum + change.removed, 0);
  return (
    `<section class="changes" aria-labelledby="${CHANGES_ID}">\n${heading()}` +
    `<p>From <code>${previous}/</code> to <code>${current}/</code>, this lesson adds ${added} lines and removes ${removed} ` +
    `(${countsOf(changes)} files). <a href="${page.pageUrl}">See the whole diff</a>, file by file, made from the real ` +
    `solution files each time the site is built, so it is always the code the tests run.</p>\n` +
    `<ul class="change-summary compact">\n${fileLines(changes, (file) => `${page.pageUrl}#${fileAnchor(file)}`)}\n</ul>\n${unchangedNote(changes)}` +
    `</section>\n`
  );
}

/** The changes page: the same summary, then every changed file's diff. */
function changesPage(title: string, changes: FileChange[], previous: string, current: string, page: ChangesPageContext): string {
  const shown = changes.filter((change) => change.status !== 'unchanged');
  return (
    `<h1 id="top" tabindex="-1">${escapeHtml(title)}</h1>\n` +
    `<p class="changes-intro">Everything the lesson <a href="${page.lessonUrl}">${escapeHtml(page.lessonTitle)}</a> adds to the code, from ` +
    `<code>${previous}/</code> to <code>${current}/</code> (${countsOf(changes)}). Added lines are green and marked <code>+</code>, ` +
    `removed lines red and marked <code>-</code>; each file folds, and "whole file" opens it as it is now.</p>\n` +
    `<ul class="change-summary">\n${fileLines(changes, (file) => `#${fileAnchor(file)}`, true)}\n</ul>\n${unchangedNote(changes)}` +
    `<section class="changes">${shown.map((change) => change.html).join('\n')}</section>\n`
  );
}

/**
 * The marker comments (`// #region name` for the pages, `// #step N.S name`
 * for the starters) belong to each stage's own lesson: they are left out of
 * the diff, which shows the code.
 */
function withoutMarkers(text: string): string {
  return text
    .split('\n')
    .filter((line) => !ANY_MARKER.test(line))
    .join('\n');
}

function fileAnchor(file: string): string {
  return `change-${file.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

async function compareFile(
  file: string,
  previous: string,
  current: string,
  existedBefore: boolean,
  existsAfter: boolean,
  context: ChangesContext,
): Promise<FileChange> {
  const language = await resolveLanguage(languageOfFile(file));
  const oldText = existedBefore ? withoutMarkers(read(`${previous}/${file}`)) : '';
  const newText = existsAfter ? withoutMarkers(read(`${current}/${file}`)) : '';
  const oldLines = existedBefore ? linesOf(oldText) : [];
  const newLines = existsAfter ? linesOf(newText) : [];
  const lines = diffLines(oldLines, newLines);
  const added = lines.filter((line) => line.kind === 'added').length;
  const removed = lines.filter((line) => line.kind === 'removed').length;
  const status = !existedBefore ? 'added' : !existsAfter ? 'removed' : added + removed === 0 ? 'unchanged' : 'changed';
  const purpose = purposeOf(newText || oldText);
  if (status === 'unchanged') return { file, status, added, removed, purpose, html: '' };

  const oldHtml = existedBefore ? highlightLines(oldText, language) : [];
  const newHtml = existsAfter ? highlightLines(newText, language) : [];
  const hunks = status === 'changed' ? toHunks(lines) : [{ lines }];
  const body = hunks
    .map((hunk) => hunkHeader(hunk.lines) + hunk.lines.map((line) => diffLineHtml(line, oldHtml, newHtml)).join(''))
    .join('');
  const shownPath = existsAfter ? `${current}/${file}` : `${previous}/${file}`;
  const stat = `<span class="stat"><span class="plus">+${added}</span> <span class="minus">−${removed}</span></span>`;
  const html =
    `<details class="file-diff" id="${fileAnchor(file)}" open>\n` +
    `<summary><span class="badge badge-${status}">${status === 'added' ? 'new' : status}</span> ` +
    `<code>${escapeHtml(shownPath)}</code> ${stat}</summary>\n` +
    // Not inside <summary>: a link in there would be a control inside a control.
    `<a class="view-file" href="${context.linkToSource(shownPath)}">whole file</a>\n` +
    `<pre class="shiki diff" tabindex="0"><code>${body}</code></pre>\n</details>\n`;
  return { file, status, added, removed, purpose, html };
}

function hunkHeader(lines: DiffLine[]): string {
  const range = (numbers: Array<number | undefined>) => {
    const present = numbers.filter((n): n is number => n !== undefined);
    return present.length ? `${present[0]},${present.length}` : '0,0';
  };
  const old = range(lines.map((line) => line.oldNumber));
  const now = range(lines.map((line) => line.newNumber));
  return `<span class="line hunk">@@ -${old} +${now} @@</span>\n`;
}

function diffLineHtml(line: DiffLine, oldHtml: string[], newHtml: string[]): string {
  const code = line.kind === 'removed' ? oldHtml[line.oldNumber! - 1] : newHtml[line.newNumber! - 1];
  const sign = line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' ';
  const number = line.kind === 'removed' ? line.oldNumber : line.newNumber;
  return `<span class="line ${line.kind}" data-line="${number}"><span class="sign">${sign}</span>${code ?? ''}</span>\n`;
}
