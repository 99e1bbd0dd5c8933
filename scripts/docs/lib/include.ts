// `<<< path/from/repo/root.ts` and `<<< path.ts#name`: code on a page comes
// from the real files, so what a lesson shows is what the tests run.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../course';

export interface IncludeRequest {
  /** relative to the repository root */
  file: string;
  region?: string;
}

/** The include line's syntax: `<<< file` or `<<< file#region`. */
export const INCLUDE_LINE = /^<<<\s+(\S+?)(?:#([\w.-]+))?\s*$/;

/** A failure the build reports as is (where, and what to do), without a stack trace. */
export class DocsError extends Error {}

const regionStart = (name: string) => new RegExp(`^\\s*(?://|#|<!--|/\\*)\\s*#region\\s+${escapeRegExp(name)}\\b`);
const regionEnd = (name: string) => new RegExp(`^\\s*(?://|#|<!--|/\\*)\\s*#endregion\\s+${escapeRegExp(name)}\\b`);
/** A marker line of any region, and the `// #step N.S name` lines that mark a learner's code for the starters. */
export const ANY_MARKER = /^\s*(?:\/\/|#|<!--|\/\*)\s*#(?:end)?(?:region|step)\b/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The included text. Throws a DocsError naming the page and line when the file or region is missing. */
export function readInclude(request: IncludeRequest, where: string): string {
  const absolute = path.resolve(repoRoot, request.file);
  if (!absolute.startsWith(repoRoot + path.sep) || !fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
    throw new DocsError(`${where}: <<< ${request.file}: no such file (paths are relative to the repository root)`);
  }
  const text = fs.readFileSync(absolute, 'utf8');
  if (!request.region) return text.replace(/\n$/, '');
  return extractRegion(text, request, where);
}

function extractRegion(text: string, request: IncludeRequest, where: string): string {
  const name = request.region!;
  const lines = text.split('\n');
  const start = lines.findIndex((line) => regionStart(name).test(line));
  if (start === -1) {
    throw new DocsError(
      `${where}: <<< ${request.file}#${name}: the file has no region "${name}" ` +
        `(mark it with a line "// #region ${name}" before it and "// #endregion ${name}" after it)`,
    );
  }
  const length = lines.slice(start + 1).findIndex((line) => regionEnd(name).test(line));
  if (length === -1) {
    throw new DocsError(`${where}: <<< ${request.file}#${name}: "#region ${name}" has no "// #endregion ${name}" after it`);
  }
  // Other regions' markers inside this one are not shown either.
  const body = lines.slice(start + 1, start + 1 + length).filter((line) => !ANY_MARKER.test(line));
  return dedent(body).join('\n');
}

/** Removes the indentation that every non-empty line shares. */
function dedent(lines: string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => line.match(/^\s*/)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common));
}

/** The language shiki should use for a file, from its extension. */
export function languageOfFile(file: string): string {
  const extension = path.extname(file).slice(1).toLowerCase();
  const byExtension: Record<string, string> = { ts: 'typescript', mts: 'typescript', cts: 'typescript', js: 'javascript', mjs: 'javascript', cjs: 'javascript', md: 'markdown', sh: 'bash', yml: 'yaml' };
  if (path.basename(file) === 'run') return 'bash';
  return byExtension[extension] ?? (extension || 'text');
}
