// The course's other checks run as commands: the starters check, the type
// check, the scripts' own tests, the docs checks.
import { repoRoot } from '../course';
import { runCollecting } from '../tools/collect-output';

export interface CourseCheck {
  name: string;
  ok: boolean;
  seconds: number;
  output: string;
  /** what to show under a check that passed: its last line that says something (a count, a skip) */
  summary: string;
}

export async function runCommand(name: string, command: string, args: string[]): Promise<CourseCheck> {
  const started = Date.now();
  const { code, output } = await runCollecting(command, args, { cwd: repoRoot });
  return { name, ok: code === 0, seconds: (Date.now() - started) / 1000, output, summary: skipLines(output) };
}

/** node:test's own lines, which say "skipped" in a count or a test's name, not about a skip. */
const TEST_RUNNER_LINE = /^(?:[ℹ#] skipped \d+|# Subtest: .*|(?:not )?ok \d+ - .*)$/;

/** A check that skipped part of itself says so in a line with "skipped"; that line is shown even when it passed. */
function skipLines(output: string): string {
  return output
    .split('\n')
    .filter((line) => /\bskipped\b/i.test(line) && !TEST_RUNNER_LINE.test(line.trim()))
    .join('\n');
}
