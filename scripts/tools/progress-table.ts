// `npm run progress`'s table: one row per lesson, one column per step, each
// cell done (✔), next (▶) or not yet (·), then the total and the one line
// that says what to do next. The next step is the first failing step of the
// first lesson not done, in the course's order.
import type { Lesson } from '../course';
import type { TestRun } from '../lesson-tests';
import { hintCommand } from './hint-line';
import { describeFailure } from './run-summary';
import type { StepReport } from './step-status';
import { formatTable } from './table';

export interface LessonProgress {
  lesson: Lesson;
  run: TestRun;
  reports: StepReport[];
}

/** "Fork: one process per core" → "Fork": the table has room for the topic only. */
export const shortTitle = (lesson: Lesson) => lesson.title.split(':')[0];

export function progressReport(progress: LessonProgress[]): string {
  const next = progress
    .flatMap(({ lesson, reports }) => reports.filter((report) => report.state === 'failing').map((report) => ({ lesson, step: report.step })))
    .at(0);
  const widest = Math.max(0, ...progress.map(({ reports }) => reports.length));
  const header = ['lesson', ...Array.from({ length: widest }, (_, index) => String(index + 1)), 'done'];
  const notes: string[] = [];
  const rows = progress.map(({ lesson, run, reports }) => {
    const cells: string[] = reports.map((report) => {
      if (report.state === 'done') return '✔';
      if (report.state === 'untested') return '?';
      return next?.lesson === lesson && next.step === report.step ? '▶' : '·';
    });
    while (cells.length < widest) cells.push('');
    const done = reports.filter((report) => report.state === 'done').length;
    // Tests that did not run to the end, or a failure named for no step: the table alone would hide it.
    const problem = reports.some((report) => report.state === 'failing') ? undefined : describeFailure(run);
    if (problem) notes.push(problem);
    return [`${String(lesson.number).padStart(2)} ${shortTitle(lesson)}`, ...cells, `${done}/${reports.length}${problem ? ' ✖' : ''}`];
  });
  const done = progress.reduce((sum, { reports }) => sum + reports.filter((report) => report.state === 'done').length, 0);
  const total = progress.reduce((sum, { reports }) => sum + reports.length, 0);
  const untested = rows.some((row) => row.includes('?'));
  const lines = [
    formatTable(header, rows, ['left', ...header.slice(1).map(() => 'right' as const)]),
    '',
    `total: ${done} of ${total} steps done  (✔ done, ▶ next, · not yet${untested ? ', ? no test of this step ran' : ''})`,
    ...notes.map((note) => `\n${note}`),
  ];
  if (next) lines.push(`next: lesson ${next.lesson.number}, step ${next.step}: ${hintCommand(next.lesson.number, next.step)}`);
  else if (notes.length === 0) {
    lines.push(progress.length === 1 ? `next: lesson ${progress[0].lesson.number} is done on your code.` : 'next: nothing. Every step of every lesson passes on your code.');
  }
  return lines.join('\n');
}
