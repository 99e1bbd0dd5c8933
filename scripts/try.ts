// `npm run try -- app.js [--mine [N] | --solution N | --node] [-- program arguments]`
//
// Runs a program written for node:cluster, unchanged, on the course's
// cluster: the newest reference solution by default, your own code with
// --mine, a given lesson's solution with --solution N, node:cluster itself
// with --node. CommonJS (`require('node:cluster')`), ES modules (`import
// cluster, { isPrimary } from 'node:cluster'`) and TypeScript all work; see
// scripts/try/preload.ts for how the module is replaced in the program and
// in every worker it forks.
import fs from 'node:fs';
import path from 'node:path';
import { exitWithUsage } from './course';
import { exitStatusOf, forwardSignals, reapGroup } from './tools/process-group';
import { commandLineOrExit } from './tools/command-line';
import { CHOICE_FLAGS, chooseTarget, launch, NoSuchTarget, targetChoiceFrom, type TargetChoice } from './try/launch';

const USAGE = `usage: npm run try -- <program> [--mine [N] | --solution N | --node] [-- <program arguments>]

  <program>       a program written for node:cluster: .js, .cjs, .mjs, .ts, .mts or .cts
  (no flag)       run it on the newest reference solution (solutions/NN-*)
  --solution N    ... on lesson N's reference solution
  --mine [N]      ... on your code (lessons/NN-*/cluster; the newest lesson, or lesson N)
  --node          ... on real node:cluster
  -- ...          everything after a second -- goes to the program

It runs unchanged: its require('node:cluster') and import ... from 'node:cluster' get the chosen cluster,
in the program and in every worker it forks.`;

/** How long workers get to follow their primary out before the rest of the group is killed. */
const WORKERS_GRACE_MS = 2000;

interface TryRequest {
  file: string;
  choice: TargetChoice;
  args: string[];
}

function parseArguments(words: string[]): TryRequest {
  const line = commandLineOrExit(words, { ...CHOICE_FLAGS, help: { type: 'boolean', short: 'h' } }, USAGE, { separator: true });
  if (line.values.help) exitWithUsage("Runs a program written for node:cluster on the course's cluster.", USAGE);
  const choice = targetChoiceFrom(line, USAGE);
  const [file, extra] = line.positionals;
  if (file === undefined) exitWithUsage('Which program? Give the file to run.', USAGE);
  if (extra !== undefined) exitWithUsage(`One program at a time: got ${file} and ${extra} (its own arguments go after --).`, USAGE);
  return { file, choice, args: line.afterSeparator };
}

/** `npm run` starts scripts in the package's folder; the learner's own folder is INIT_CWD. */
const callersFolder = () => process.env.INIT_CWD ?? process.cwd();

function checkedFile(file: string): string {
  const absolute = path.resolve(callersFolder(), file);
  if (!fs.existsSync(absolute)) exitWithUsage(`There is no file ${file} (looked for ${absolute}).`, USAGE);
  if (!fs.statSync(absolute).isFile()) exitWithUsage(`${file} is not a file: give the program's main file.`, USAGE);
  return absolute;
}

function main(words: string[]): void {
  const request = parseArguments(words);
  const file = checkedFile(request.file);
  let target;
  try {
    target = chooseTarget(request.choice);
  } catch (error) {
    if (error instanceof NoSuchTarget) exitWithUsage(error.message, USAGE);
    throw error;
  }
  const shown = path.relative(callersFolder(), file) || file;
  console.log(`▶ try ${shown} on ${target.description}`);

  const child = launch(file, target, { args: request.args, cwd: callersFolder(), stdio: 'inherit' });
  // Ctrl-C in the terminal reaches this process; the program's group gets it too.
  const stopForwarding = forwardSignals(child.pid, ['SIGINT', 'SIGTERM', 'SIGHUP']);
  child.on('error', (error) => {
    process.stderr.write(`Could not start ${shown}: ${error.message}\n`);
    process.exitCode = 2;
  });
  child.on('exit', async (code, signal) => {
    const status = exitStatusOf(code, signal);
    await reapGroup(child.pid, WORKERS_GRACE_MS);
    stopForwarding();
    if (status !== 0) {
      const how = signal ? `was stopped by ${signal}` : `ended with exit code ${code}`;
      process.stderr.write(`✖ ${shown} ${how} (on ${target.description})\n`);
    }
    process.exitCode = status;
  });
}

main(process.argv.slice(2));
