// `npm run coverage`                 how much of each reference solution its lesson's tests run
// `npm run coverage -- 4`            only solutions/04-*
// `npm run coverage -- --check`      ... and exit 1 if a solution is under the target
//
// For each solution, the lesson's tests run exactly as `npm test -- lesson-N`
// runs them (node --require tsx/cjs --test, CLUSTER_TARGET=solutions/NN-x),
// with NODE_V8_COVERAGE set: that is all `c8 <command>` does to collect. Every
// process that inherits the variable writes its V8 coverage when it exits: the
// test process, every program a test starts and every worker those fork. (A
// process killed by a signal writes none: its share is simply not counted.)
// c8 then merges them, maps them back onto the .ts files through tsx's source
// maps and reports, counting only the solution's own files, and in them only
// the code that came from the .ts file (see coverage/compiler-code.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { CoverageMap, CoverageSummary } from 'istanbul-lib-coverage';
import {
  exitWithUsage,
  lessonMenu,
  listLessons,
  repoRoot,
  targetFor,
  testFilesOf,
  TYPESCRIPT_LOADER,
  type Lesson,
} from './course';
import { sourceOnlyReport } from './coverage/c8-report';
import { atMostOneLesson } from './tools/arguments';
import { runCollecting } from './tools/collect-output';
import { commandLineOrExit } from './tools/command-line';
import { formatTable } from './tools/table';

/** The course's bar for every solution: the tests should run nearly every line and branch of it. */
const TARGET = { lines: 95, branches: 90 };

const USAGE = `usage: npm run coverage [-- <n>] [--check]

  (nothing)   every reference solution, under its own lesson's tests
  <n>         only lesson n's solution (also: lesson-<n>, lesson-0<n>)
  --check     exit with status 1 if a solution is under the target
              (${TARGET.lines}% of lines, ${TARGET.branches}% of branches)

Text summaries are printed; HTML reports go to coverage/<solution>/index.html.

lessons:
${lessonMenu()}`;

const coverageRoot = path.join(repoRoot, 'coverage');

interface SolutionCoverage {
  lesson: Lesson;
  lines: number;
  branches: number;
  meetsTarget: boolean;
  testsPassed: boolean;
  /** per file, what no test ran: shown when the target is missed */
  missed: MissedInFile[];
}

interface MissedInFile {
  file: string;
  lines: number[];
  /** the line each branch no test took starts on */
  branchLines: number[];
}

/**
 * The tests that measure a solution: its own lesson's, and the lesson
 * before's. A solution contains the stage before it, so those tests apply to
 * it too; lesson 6, which tunes lesson 5's cluster without adding to its API,
 * relies on them.
 */
function testsMeasuring(lesson: Lesson): string[] {
  const previous = listLessons().find((candidate) => candidate.number === lesson.number - 1);
  return [...(previous ? testFilesOf(previous) : []), ...testFilesOf(lesson)];
}

/** Runs the tests that measure the lesson's solution, every process writing V8 coverage into `rawFolder`. */
async function runTestsCollecting(lesson: Lesson, rawFolder: string): Promise<{ passed: boolean; tally: string; output: string }> {
  const args = [...TYPESCRIPT_LOADER, '--test', '--test-reporter=spec', ...testsMeasuring(lesson)];
  const { code, output } = await runCollecting(process.execPath, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      CLUSTER_TARGET: targetFor(lesson, 'solution').clusterTarget,
      NODE_V8_COVERAGE: rawFolder,
      FORCE_COLOR: '0',
    },
  });
  // node:test's closing lines: "ℹ pass 8", "ℹ fail 0"
  const number = (label: string) => new RegExp(`^ℹ ${label} (\\d+)$`, 'm').exec(output)?.[1] ?? '?';
  return { passed: code === 0, tally: `${number('pass')} passed, ${number('fail')} failed`, output };
}

async function measure(lesson: Lesson): Promise<SolutionCoverage> {
  const rawFolder = path.join(coverageRoot, 'tmp', lesson.slug);
  const reportFolder = path.join(coverageRoot, lesson.slug);
  for (const folder of [rawFolder, reportFolder]) fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(rawFolder, { recursive: true });

  console.log(`\n▶ ${lesson.solutionDir} under lesson ${lesson.number}'s tests`);
  const run = await runTestsCollecting(lesson, rawFolder);
  console.log(`  tests: ${run.tally}`);
  if (!run.passed) console.log(run.output.replace(/^/gm, '    | '));

  const report = sourceOnlyReport({
    include: [`${lesson.solutionDir}/**`],
    exclude: [],
    extension: ['.ts'],
    reporter: ['text', 'html'],
    reportsDirectory: reportFolder,
    tempDirectory: rawFolder,
    all: true,
    src: [repoRoot],
    excludeNodeModules: true,
    omitRelative: true,
    resolve: '',
    excludeAfterRemap: false,
    // The HTML report's colours: green from the target up.
    watermarks: {
      lines: [TARGET.lines - 15, TARGET.lines],
      statements: [TARGET.lines - 15, TARGET.lines],
      branches: [TARGET.branches - 15, TARGET.branches],
      functions: [TARGET.branches - 15, TARGET.branches],
    },
  });
  await report.run();
  const map = await report.getCoverageMapFromAllCoverageFiles();
  fs.rmSync(rawFolder, { recursive: true, force: true });
  console.log(`  HTML: ${path.relative(repoRoot, path.join(reportFolder, 'index.html'))}`);

  const summary = map.getCoverageSummary();
  const lines = percent(summary, 'lines');
  const branches = percent(summary, 'branches');
  return {
    lesson,
    lines,
    branches,
    meetsTarget: lines >= TARGET.lines && branches >= TARGET.branches,
    testsPassed: run.passed,
    missed: whatWasMissed(map),
  };
}

/** istanbul's own figure, as in the table above it (100 for a solution without a single branch). */
function percent(summary: CoverageSummary, what: 'lines' | 'branches'): number {
  return Number(summary[what].pct);
}

function whatWasMissed(map: CoverageMap): MissedInFile[] {
  const missed: MissedInFile[] = [];
  for (const file of map.files()) {
    const coverage = map.fileCoverageFor(file);
    const { branchMap, b: counts } = coverage.data;
    const branchLines = new Set<number>();
    for (const [id, branch] of Object.entries(branchMap)) {
      counts[id].forEach((count, index) => {
        if (count === 0) branchLines.add((branch.locations[index] ?? branch.loc).start.line);
      });
    }
    const lines = coverage.getUncoveredLines().map(Number);
    if (lines.length > 0 || branchLines.size > 0) {
      missed.push({ file: path.relative(repoRoot, file), lines, branchLines: [...branchLines].sort((a, b) => a - b) });
    }
  }
  return missed;
}

/** [3, 4, 5, 9] as "3-5, 9" */
function lineRanges(lines: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    while (lines[i + 1] === lines[i] + 1) i++;
    ranges.push(first === lines[i] ? `${first}` : `${first}-${lines[i]}`);
  }
  return ranges.join(', ');
}

function printSummary(results: SolutionCoverage[]): void {
  console.log(`\nCoverage of the reference solutions (target: ${TARGET.lines}% lines, ${TARGET.branches}% branches)`);
  const rows = results.map((result) => [
    result.lesson.solutionDir,
    `${result.lines.toFixed(2)}%`,
    `${result.branches.toFixed(2)}%`,
    `${result.meetsTarget ? '✔ meets the target' : '✖ under the target'}${result.testsPassed ? '' : ' (tests failed)'}`,
  ]);
  console.log(formatTable(['solution', 'lines', 'branches', 'target'], rows, [], ''));
  for (const result of results.filter((r) => !r.meetsTarget)) {
    console.log(`\n${result.lesson.solutionDir} is under the target. Not run by its tests:`);
    for (const { file, lines, branchLines } of result.missed) {
      const parts = [
        lines.length ? `lines ${lineRanges(lines)}` : '',
        branchLines.length ? `branches on lines ${lineRanges(branchLines)}` : '',
      ];
      console.log(`  ${path.basename(file)}: ${parts.filter(Boolean).join('; ')}`);
    }
  }
}

async function main(words: string[]): Promise<void> {
  const { values, positionals } = commandLineOrExit(words, { check: { type: 'boolean' } }, USAGE);
  const check = values.check === true;
  const only = atMostOneLesson(positionals, USAGE);
  const lessons = (only ? [only] : listLessons()).filter(
    (lesson) => fs.existsSync(path.join(repoRoot, lesson.solutionDir)) && testFilesOf(lesson).length > 0,
  );
  if (lessons.length === 0) exitWithUsage(`Lesson ${only?.number} has no solution with tests yet.`, USAGE);

  const results: SolutionCoverage[] = [];
  for (const lesson of lessons) results.push(await measure(lesson));
  printSummary(results);

  const testsFailed = results.some((result) => !result.testsPassed);
  const underTarget = results.some((result) => !result.meetsTarget);
  if (testsFailed) console.log('\nSome tests failed, so these figures undercount: fix the tests first (npm test).');
  process.exitCode = testsFailed || (check && underTarget) ? 1 : 0;
}

main(process.argv.slice(2));
