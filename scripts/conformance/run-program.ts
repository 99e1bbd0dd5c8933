// One run of one conformance program on one cluster, through the same
// launcher as `npm run try`, in a fresh folder of its own (so that socket
// files and other files a program makes never meet another run's), bounded
// by a deadline after which its whole process group is killed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, type Target } from '../course';
import { collectOutput } from '../tools/collect-output';
import { reapGroup, signalGroup } from '../tools/process-group';
import { launch } from '../try/launch';
import type { ConformanceProgram } from './programs';

export interface ProgramRun {
  /** stdout, line by line, then one line "exit: <status>" (or "exit: timeout") */
  lines: string[];
  stderr: string;
  timedOut: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A program gets this long: a sound one ends within a few seconds, and a loaded machine must not make it fail. */
export const PROGRAM_DEADLINE_MS = 20_000;
/** After its primary has ended, a program's workers get this long to follow. */
const WORKERS_GRACE_MS = 2000;

export async function runProgram(program: ConformanceProgram, target: Target): Promise<ProgramRun> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-'));
  const child = launch(path.join(repoRoot, program.file), target, {
    cwd: folder,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Colours would differ between runs and targets; nothing else is changed.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const collected = collectOutput(child);
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    signalGroup(child.pid, 'SIGKILL');
  }, PROGRAM_DEADLINE_MS);
  // Workers hold the pipes open: once the primary has exited they get their grace, then the group goes.
  child.on('exit', () => void reapGroup(child.pid, WORKERS_GRACE_MS));
  const { stdout, stderr, code, signal } = await collected;
  clearTimeout(deadline);
  signalGroup(child.pid, 'SIGKILL');
  fs.rmSync(folder, { recursive: true, force: true });
  const lines = stdout.split('\n').filter((line) => line !== '');
  lines.push(`exit: ${timedOut ? 'timeout' : (code ?? signal)}`);
  return { lines, stderr, timedOut, code, signal };
}
