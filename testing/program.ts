// Runs a program (a demo or a test fixture) as a primary, on the cluster under
// test, and collects what it prints line by line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { repoRoot } from '../scripts/repo-root';
import { stopAtTodoLine, stopsAtTodo, TODO_LINE } from './guard';

export interface ProgramResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout, one entry per line, in the order they came */
  lines: string[];
  stderr: string;
}

export interface RunningProgram {
  child: ChildProcess;
  lines: string[];
  /** resolves with the first line (already printed or still to come) that matches */
  waitForLine(pattern: RegExp | string): Promise<string>;
  /** resolves once the program has exited and its output is complete */
  finished: Promise<ProgramResult>;
}

export interface ProgramOptions {
  args?: string[];
  /** extra environment variables (the cluster target is inherited) */
  env?: Record<string, string>;
  /** node's own options for the program; default: this process's (the TypeScript loader) */
  execArgv?: string[];
}

/**
 * This process's node options (the TypeScript loader), without node:test's
 * (--test-reporter=..., --test-name-pattern=...): they are the test file's,
 * not the program's.
 */
function loaderArgv(): string[] {
  return process.execArgv.filter((option) => !option.startsWith('--test'));
}

/** Starts `file` (relative to the repository) with the course's TypeScript loader. */
export function startProgram(file: string, options: ProgramOptions = {}): RunningProgram {
  const child = spawn(process.execPath, [...(options.execArgv ?? loaderArgv()), file, ...(options.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiting: Array<{ matches: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let stderr = '';
  // readline splits stdout into lines; a waiter hears of its line as soon as the line is complete.
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiting.filter((w) => w.matches(line))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  // In a test that must fail at a stub (see stopsAtTodo()), a complete TODO
  // line from the program or any of its workers is that failure: the program
  // is stopped at once, rather than left to wait out its deadline.
  const stopAtTodo = stopsAtTodo();
  let stopped = false;
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const todo = stopAtTodo && !stopped ? completeTodoLine(stderr) : undefined;
    if (todo === undefined) return;
    stopped = true;
    stopAtTodoLine(todo);
  });

  const finished = (async (): Promise<ProgramResult> => {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    return { code, signal, lines, stderr };
  })();

  function waitForLine(pattern: RegExp | string): Promise<string> {
    const matches = (line: string) => (typeof pattern === 'string' ? line === pattern : pattern.test(line));
    const seen = lines.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiting.push({ matches, resolve });
      finished.then(() =>
        reject(new Error(`the program ended without printing ${pattern}${describeOutput({ lines, stderr })}`)),
      );
    });
  }

  return { child, lines, waitForLine, finished };
}

/** The first TODO line of `stderr` once it is complete (its newline has come). */
function completeTodoLine(stderr: string): string | undefined {
  const match = TODO_LINE.exec(stderr);
  if (!match || !stderr.slice(match.index).includes('\n')) return undefined;
  return stderr.slice(0, stderr.indexOf('\n', match.index)).split('\n').pop();
}

/** Runs `file` to the end. */
export function runProgram(file: string, options: ProgramOptions = {}): Promise<ProgramResult> {
  return startProgram(file, options).finished;
}

/**
 * The output, for failure messages. A TODO in a starter stops the program
 * with an error naming the step to do next: that error comes first.
 */
export function describeOutput(result: Pick<ProgramResult, 'lines' | 'stderr'>): string {
  const todo = result.stderr.split('\n').find((line) => line.includes('TODO'));
  const parts = [
    todo ? `\n${todo.replace(/^\w*Error: /, '')}` : '',
    `\n--- stdout ---\n${result.lines.join('\n')}`,
    result.stderr.trim() ? `\n--- stderr ---\n${result.stderr.trim().split('\n').slice(0, 15).join('\n')}` : '',
  ];
  return parts.join('');
}
