// Running a command and keeping what it prints: the self-check's commands,
// a lesson's test run, the coverage run and a conformance program all read
// their child's output this way.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { repoRoot, TYPESCRIPT_LOADER } from '../course';

export interface CollectedOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, in the order their pieces came */
  output: string;
}

/**
 * What `child` prints until it closes (it has exited and its output is
 * complete). A stream that is not piped (inherited, say) adds nothing.
 */
export function collectOutput(child: ChildProcess): Promise<CollectedOutput> {
  const collected: CollectedOutput = { code: null, signal: null, stdout: '', stderr: '', output: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    collected.stdout += chunk;
    collected.output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    collected.stderr += chunk;
    collected.output += chunk;
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ ...collected, code, signal }));
  });
}

/** Starts `command` with stdin closed and stdout and stderr piped, and collects them. */
export function runCollecting(command: string, args: string[], options: SpawnOptions = {}): Promise<CollectedOutput> {
  return collectOutput(spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** One of the course's TypeScript scripts (`scripts/try.ts`, ...), run from the repository's root as npm runs it. */
export function runScript(file: string, args: string[], options: SpawnOptions = {}): Promise<CollectedOutput> {
  return runCollecting(process.execPath, [...TYPESCRIPT_LOADER, file, ...args], { cwd: repoRoot, ...options });
}
