// `npm run lesson <n> [-- --mine | --node] [--trace] [--workers N] [--hosts N] [--port N]`
//
// Runs lesson n's demo program. The demo is one file; which cluster it runs
// on is chosen by CLUSTER_TARGET (see testing/cluster.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exitWithUsage, lessonMenu, repoRoot, targetFor, TYPESCRIPT_LOADER, type Lesson, type TargetKind } from './course';
import { atMostOneLesson, TARGET_FLAGS, targetKindFrom } from './tools/arguments';
import { commandLineOrExit } from './tools/command-line';
import { exitStatusOf, forwardSignals, signalGroup } from './tools/process-group';

const USAGE = `usage: npm run lesson <n> [-- --mine | --node] [--trace] [--workers N] [--hosts N] [--port N]

  --mine        run the demo on your code (lessons/NN-*/cluster) instead of the reference solution
  --node        run it on real node:cluster, to compare
  --trace       print every cluster-internal message as it passes (lesson 2 on; not with --node)
  --workers N   how many workers the demo forks (on each host, in lesson 9)
  --hosts N     how many hosts lesson 9's demo starts behind nginx
  --port N      the port the demo listens on (lessons with a server)

lessons:
${lessonMenu()}`;

interface LessonRequest {
  lesson: Lesson;
  kind: TargetKind;
  trace: boolean;
  /** demo options, passed to the demo as environment variables */
  demoEnvironment: Record<string, string>;
}

/** The demos' numeric options: the smallest value each takes, and the variable the demo reads it from. */
const COUNT_OPTIONS = {
  workers: { smallest: 1, variable: 'WORKERS' },
  hosts: { smallest: 1, variable: 'HOSTS' },
  port: { smallest: 0, variable: 'PORT' },
};

const needs = (name: keyof typeof COUNT_OPTIONS) => `a whole number (${COUNT_OPTIONS[name].smallest} or more)`;

const OPTIONS = {
  ...TARGET_FLAGS,
  trace: { type: 'boolean' },
  workers: { type: 'string', needs: needs('workers') },
  hosts: { type: 'string', needs: needs('hosts') },
  port: { type: 'string', needs: needs('port') },
} as const;

function parseArguments(words: string[]): LessonRequest {
  const { values, positionals } = commandLineOrExit(words, OPTIONS, USAGE);
  const kind = targetKindFrom(values, USAGE) ?? 'solution';
  const lesson = atMostOneLesson(positionals, USAGE) ?? exitWithUsage('Which lesson? Give its number.', USAGE);
  const demoEnvironment: Record<string, string> = {};
  for (const name of Object.keys(COUNT_OPTIONS) as Array<keyof typeof COUNT_OPTIONS>) {
    const value = values[name];
    if (value === undefined) continue;
    const { smallest, variable } = COUNT_OPTIONS[name];
    if (!/^\d+$/.test(value) || Number(value) < smallest || Number(value) > 65535) {
      exitWithUsage(`--${name} needs ${needs(name)}, got ${value}.`, USAGE);
    }
    demoEnvironment[variable] = value;
  }
  const trace = values.trace === true;
  if (trace && kind === 'node') {
    exitWithUsage("--trace shows this course's own protocol; node:cluster's messages are internal to Node.", USAGE);
  }
  return { lesson, kind, trace, demoEnvironment };
}

function runDemo(request: LessonRequest): void {
  const { lesson, kind } = request;
  const target = targetFor(lesson, kind);
  const demo = path.join(lesson.lessonDir, 'demo.ts');
  if (!fs.existsSync(path.join(repoRoot, demo))) exitWithUsage(`Lesson ${lesson.number} has no demo.ts yet.`, USAGE);
  console.log(`▶ lesson ${lesson.number} (${lesson.title}): ${demo} on ${target.description}`);

  // The demo gets a process group of its own, so that Ctrl-C (or any signal
  // sent to this runner) reaches the primary and every worker, and so that
  // nothing it started can outlive it.
  const child = spawn(process.execPath, [...TYPESCRIPT_LOADER, demo], {
    cwd: repoRoot,
    stdio: 'inherit',
    detached: true,
    env: {
      ...process.env,
      ...request.demoEnvironment,
      CLUSTER_TARGET: target.clusterTarget,
      ...(request.trace ? { CLUSTER_TRACE: '1' } : {}),
    },
  });
  const stopForwarding = forwardSignals(child.pid, ['SIGINT', 'SIGTERM']);
  child.on('exit', (code, signal) => {
    // The primary is gone; a worker it left behind (possible before lesson 4
    // teaches workers to follow their primary) goes with it.
    signalGroup(child.pid, 'SIGKILL');
    process.exitCode = exitStatusOf(code, signal);
    stopForwarding();
  });
}

runDemo(parseArguments(process.argv.slice(2)));
