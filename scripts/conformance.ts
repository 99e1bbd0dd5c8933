// `npm run conformance [-- --mine [N] | --solution N | --node] [--only <text>]`
//
// Runs every program in conformance/ (programs written for node:cluster that
// together use its whole public API: the Node docs' cluster page is the
// checklist) on node:cluster and on the chosen cluster, the newest solution
// by default, through the launcher of `npm run try`, and compares the two
// runs: the same lines, and within each lane the same order (see
// conformance/compare.ts). It prints a table by area and "N of M behave as
// node:cluster"; a program that node:cluster itself does not run to a clean
// end on this Node version is reported as such and not counted.
// With --node both runs are node:cluster: that shows the suite is stable.
import { exitWithUsage, type Target } from './course';
import { inBatches } from './lesson-tests';
import { firstDifference } from './conformance/compare';
import { listPrograms, type ConformanceProgram } from './conformance/programs';
import { runProgram, type ProgramRun } from './conformance/run-program';
import { formatTable } from './tools/table';
import { commandLineOrExit } from './tools/command-line';
import { CHOICE_FLAGS, chooseTarget, NoSuchTarget, targetChoiceFrom, type TargetChoice } from './try/launch';

const USAGE = `usage: npm run conformance [-- --mine [N] | --solution N | --node] [--only <text>]

  (no flag)       compare the newest reference solution with node:cluster
  --solution N    ... lesson N's reference solution
  --mine [N]      ... your code (lessons/NN-*/cluster; the newest lesson, or lesson N)
  --node          ... node:cluster with itself (is every program stable?)
  --only <text>   only the programs whose name (area/name) contains <text>`;

/** Programs at once; each runs on both clusters at the same time (the machine has 2 cores). */
const LANES = 3;

type Verdict = 'same' | 'different' | 'node fails';

interface Outcome {
  program: ConformanceProgram;
  verdict: Verdict;
  /** one line: why it differs, or how node:cluster failed */
  reason: string;
}

function parseArguments(words: string[]): { choice: TargetChoice; only?: string } {
  const line = commandLineOrExit(words, { ...CHOICE_FLAGS, only: { type: 'string', needs: 'a part of a program name' } }, USAGE);
  const choice = targetChoiceFrom(line, USAGE);
  if (line.positionals.length > 0) exitWithUsage(`Unknown argument ${line.positionals[0]}.`, USAGE);
  return { choice, only: line.values.only };
}

/** How node:cluster's own run went wrong, if it did: such a program says nothing about ours. */
function nodeFailure(run: ProgramRun): string | undefined {
  if (run.timedOut) return 'did not end in time on node:cluster';
  if (run.code !== 0) return `node:cluster's run ended with ${run.code ?? run.signal}: ${lastLine(run.stderr)}`;
  return undefined;
}

/** The error a run printed: its first line that names one, or its last line. */
const lastLine = (text: string) => {
  const lines = text.trim().split('\n').filter((line) => line.trim() && !/^\s+at /.test(line) && !/^Node\.js v/.test(line));
  return (lines.find((line) => /^\w*Error\b|^\w+Error:|ERR_/.test(line.trim())) ?? lines.at(-1) ?? '').trim();
};

async function judge(program: ConformanceProgram, target: Target, reference: Target): Promise<Outcome> {
  const [expected, actual] = await Promise.all([runProgram(program, reference), runProgram(program, target)]);
  const failed = nodeFailure(expected);
  if (failed) return { program, verdict: 'node fails', reason: failed };
  const difference = firstDifference(expected.lines, actual.lines);
  if (!difference) return { program, verdict: 'same', reason: '' };
  const why = actual.timedOut ? `timed out; ${difference}` : difference;
  const error = lastLine(actual.stderr) && lastLine(actual.stderr) !== lastLine(expected.stderr) ? ` (stderr: ${lastLine(actual.stderr)})` : '';
  return { program, verdict: 'different', reason: `${why}${error}`.slice(0, 300) };
}

function printReport(outcomes: Outcome[], target: Target): void {
  const areas = [...new Set(outcomes.map((outcome) => outcome.program.area))];
  const rows = areas.map((area) => {
    const mine = outcomes.filter((outcome) => outcome.program.area === area);
    const counted = mine.filter((outcome) => outcome.verdict !== 'node fails');
    const same = counted.filter((outcome) => outcome.verdict === 'same');
    const skipped = mine.length - counted.length;
    return [area, `${same.length}/${counted.length}`, same.length === counted.length ? '✔' : '✖', skipped ? `${skipped} node:cluster fails` : ''];
  });
  console.log(`\n${formatTable(['area', 'same as node:cluster', '', 'not counted'], rows, ['left', 'right'])}\n`);
  for (const outcome of outcomes.filter((each) => each.verdict !== 'same')) {
    const mark = outcome.verdict === 'different' ? '✖' : '·';
    console.log(`${mark} ${outcome.program.name}: ${outcome.verdict === 'node fails' ? `not counted: ${outcome.reason}` : outcome.reason}`);
  }
  const counted = outcomes.filter((outcome) => outcome.verdict !== 'node fails');
  const same = counted.filter((outcome) => outcome.verdict === 'same').length;
  const skipped = outcomes.length - counted.length;
  const note = skipped ? ` (${skipped} skipped: node:cluster itself fails them on Node ${process.version})` : '';
  console.log(`\n${same} of ${counted.length} behave as node:cluster on ${target.description}${note}`);
}

async function main(words: string[]): Promise<void> {
  const { choice, only } = parseArguments(words);
  let target: Target;
  try {
    target = chooseTarget(choice);
  } catch (error) {
    if (error instanceof NoSuchTarget) exitWithUsage(error.message, USAGE);
    throw error;
  }
  const reference = chooseTarget({ kind: 'node' });
  const programs = listPrograms().filter((program) => !only || program.name.includes(only));
  if (programs.length === 0) exitWithUsage(`No conformance program's name contains ${JSON.stringify(only)}.`, USAGE);
  console.log(`▶ conformance: ${programs.length} programs, each on node:cluster and on ${target.description}`);
  const outcomes = await inBatches(
    programs.map((program) => async () => {
      const outcome = await judge(program, target, reference);
      console.log(`${outcome.verdict === 'same' ? '✔' : outcome.verdict === 'different' ? '✖' : '·'} ${program.name}`);
      return outcome;
    }),
    LANES,
  );
  printReport(outcomes, target);
  process.exitCode = outcomes.every((outcome) => outcome.verdict !== 'different') ? 0 : 1;
}

void main(process.argv.slice(2));
