// "What changed in this lesson": lesson N's page shows the diff from
// solutions/(N-1)-*/ to solutions/N-*/, made from the real files at build
// time, so it cannot drift from the code. Lesson 1 lists its solution's files.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../course';
import { diffLines, toHunks, type DiffLine } from './diff';
import { escapeHtml, highlightLines, resolveLanguage } from './highlight';
import { languageOfFile } from './include';

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

/** The section's HTML for lesson `number`, or '' when a solution folder it needs is missing. */
export async function changesSection(number: number, context: ChangesContext): Promise<string> {
  const current = solutionDirOf(number);
  if (!current) return '';
  if (number === 1) return fileListSection(current, context);
  const previous = solutionDirOf(number - 1);
  if (!previous) return '';
  return diffSection(previous, current, context);
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
  html: string;
}

async function diffSection(previous: string, current: string, context: ChangesContext): Promise<string> {
  const before = filesUnder(previous);
  const after = filesUnder(current);
  const all = [...new Set([...before, ...after])].sort();
  const changes: FileChange[] = [];
  for (const file of all) {
    changes.push(await compareFile(file, previous, current, before.includes(file), after.includes(file), context));
  }
  const shown = changes.filter((change) => change.status !== 'unchanged');
  const unchanged = changes.filter((change) => change.status === 'unchanged');
  const count = (status: FileChange['status']) => changes.filter((change) => change.status === status).length;
  const counts = [
    count('added') && `${count('added')} new`,
    count('changed') && `${count('changed')} changed`,
    count('removed') && `${count('removed')} removed`,
    count('unchanged') && `${count('unchanged')} unchanged`,
  ].filter(Boolean);

  const summary = shown
    .map(
      (change) =>
        `<li><a href="#${fileAnchor(change.file)}"><code>${escapeHtml(change.file)}</code></a> ` +
        `<span class="badge badge-${change.status}">${change.status === 'added' ? 'new' : change.status}</span> ` +
        `<span class="stat"><span class="plus">+${change.added}</span> <span class="minus">−${change.removed}</span></span></li>`,
    )
    .join('\n');
  const unchangedNote = unchanged.length
    ? `<p class="unchanged">Unchanged: ${unchanged.map((change) => `<code>${escapeHtml(change.file)}</code>`).join(', ')}.</p>\n`
    : '';
  return (
    `<section class="changes" aria-labelledby="${CHANGES_ID}">\n${heading()}` +
    `<p>Everything this lesson adds to the code, from <code>${previous}/</code> to <code>${current}/</code> ` +
    `(${counts.join(', ')}). The diff is made from the real solution files each time the site is built, so it is always ` +
    `the code the tests run.</p>\n<ul class="change-summary">\n${summary}\n</ul>\n${unchangedNote}` +
    shown.map((change) => change.html).join('\n') +
    `</section>\n`
  );
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
  const oldText = existedBefore ? read(`${previous}/${file}`) : '';
  const newText = existsAfter ? read(`${current}/${file}`) : '';
  const oldLines = existedBefore ? linesOf(oldText) : [];
  const newLines = existsAfter ? linesOf(newText) : [];
  const lines = diffLines(oldLines, newLines);
  const added = lines.filter((line) => line.kind === 'added').length;
  const removed = lines.filter((line) => line.kind === 'removed').length;
  const status = !existedBefore ? 'added' : !existsAfter ? 'removed' : added + removed === 0 ? 'unchanged' : 'changed';
  if (status === 'unchanged') return { file, status, added, removed, html: '' };

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
  return { file, status, added, removed, html };
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
