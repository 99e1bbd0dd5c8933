// `npm test`                          the course's self-check (see README, "How the course checks itself")
// `npm test -- lesson-4`              lesson 4's tests on the reference solution
// `npm test -- lesson-4 --mine`       ... on your code in lessons/04-*/cluster
// `npm test -- lesson-4 --node`       ... on real node:cluster
// `npm test -- --mine`                every lesson's tests on your code
// `npm test -- --behaviour`           the self-check's runs that depend on the Node version only (the version matrix)
import { exitWithUsage, lessonMenu, listLessons, targetFor, type Lesson, type TargetKind } from './course';
import { runLessonTests, type TestRun } from './lesson-tests';
import { hintLine } from './tools/hint-line';
import { selfCheck } from './self-check/run';
import { atMostOneLesson, TARGET_FLAGS, targetKindFrom } from './tools/arguments';
import { commandLineOrExit } from './tools/command-line';

const USAGE = `usage: npm test [-- lesson-<n>] [--mine | --node]   or   npm test [-- --behaviour]

  (nothing)       the self-check: every lesson on its solution, on node:cluster, on its starter, on the
                  solution before it and step by step, then the starters, types, the scripts' tests and the docs
  --behaviour     the self-check's solution, node:cluster and starter runs only
  lesson-<n>      one lesson's tests (also: <n>, lesson-0<n>), on the reference solution
  --mine          on your code in lessons/NN-*/cluster
  --node          on real node:cluster

lessons:
${lessonMenu()}`;

// Node 20 reads and parses the certificates NODE_EXTRA_CA_CERTS names as each
// process starts (Node 22 and later wait for the first TLS connection). With a
// system bundle that is about 80 ms of every start, and the self-check starts
// thousands of processes: a quarter of its time. Nothing npm test runs makes a
// TLS connection (every test talks to 127.0.0.1), so its processes go without.
delete process.env.NODE_EXTRA_CA_CERTS;

// Ctrl-C ends the run as before, through process.exit(), so that the results
// files of the runs under way are removed (lesson-tests.ts).
process.once('SIGINT', () => process.exit(130));

// ---------------------------------------------------------------- one target

async function testOnTarget(lessons: Lesson[], kind: TargetKind): Promise<void> {
  let failed = false;
  for (const lesson of lessons) {
    const target = targetFor(lesson, kind);
    console.log(`Testing lesson ${lesson.number} (${lesson.title}) on ${target.description}`);
    const run = await runLessonTests(lesson, target, true);
    if (run.exitCode !== 0) failed = true;
    if (kind === 'mine') printWhereToGoOn(lesson, run);
  }
  process.exitCode = failed ? 1 : 0;
}

/** Under the learner's test run: where the failures stop, with the hint command for each such step. */
function printWhereToGoOn(lesson: Lesson, run: TestRun): void {
  const failures = run.outcomes.filter((test) => test.outcome === 'failed');
  if (failures.length === 0) return;
  // Most failures stop at the same stub: one line per step they point at.
  const byHint = new Map<string, string[]>();
  for (const test of failures) {
    const hint = hintLine(lesson.number, test) ?? '(no step named: read the failure above)';
    byHint.set(hint, [...(byHint.get(hint) ?? []), test.name]);
  }
  console.log(`\nLesson ${lesson.number}: ${failures.length} test(s) to go.`);
  for (const [hint, names] of byHint) {
    console.log(`  ${hint}   (${names.length === 1 ? `"${names[0]}"` : `${names.length} tests, first "${names[0]}"`})`);
  }
}

// ---------------------------------------------------------------- arguments

function main(words: string[]): Promise<void> {
  const { values, positionals } = commandLineOrExit(words, { ...TARGET_FLAGS, behaviour: { type: 'boolean' } }, USAGE);
  const kind = targetKindFrom(values, USAGE);
  const lesson = atMostOneLesson(positionals, USAGE);
  if (values.behaviour && (lesson || kind)) exitWithUsage('--behaviour is a kind of self-check: it takes no lesson, --mine or --node.', USAGE);
  if (!lesson && !kind) return selfCheck({ behaviourOnly: values.behaviour === true });
  return testOnTarget(lesson ? [lesson] : listLessons(), kind ?? 'solution');
}

main(process.argv.slice(2));
