// A small made-up lesson for the tools' tests: a solution with two steps
// marked, the steps with their stubs, and a learner's folder, all in a
// git-ignored folder of its own that the test removes. The tools' tests use
// it instead of the course's lessons, whose words change as they are written.
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { repoRoot, type Lesson } from '../course';
import type { Step } from '../steps/plan';

export const SOLUTION_WORKER = `import { EventEmitter } from 'node:events';

export class Worker extends EventEmitter {
  isConnected(): boolean {
    // #step 4.1 connected
    return this.process.connected;
    // #endstep 4.1 connected
  }

  disconnect(): void {
    // #step 4.2 leave
    this.leaving = true;
    this.process.disconnect();
    // #endstep 4.2 leave
  }
}
`;

/** What a learner has after writing steps 1 and 2 their own way. */
export const LEARNER_WORKER = `import { EventEmitter } from 'node:events';
import { todo } from '../../todo';

export class Worker extends EventEmitter {
  isConnected(): boolean {
    // #step 4.1 connected
    return Boolean(this.process.connected);
    // #endstep 4.1 connected
  }

  disconnect(): void {
    // #step 4.2 leave
    this.leaving = true; // mine
    this.process.disconnect();
    // #endstep 4.2 leave
  }
}
`;

export const STEPS: Step[] = [
  { lesson: 4, number: 1, title: 'isConnected()', idea: 'The idea of step 1.', whereToLook: 'Where to look for step 1.', stubs: new Map([['connected', ["return todo(4, 1, 'whether the channel is open');"]]]) },
  { lesson: 4, number: 2, title: 'disconnect()', idea: 'The idea of step 2.', whereToLook: 'Where to look for step 2.', stubs: new Map([['leave', ["todo(4, 2, 'the worker leaves');"]]]) },
];

/** Writes the fixture lesson into .test-results/tools-<pid>-<n>/ and removes it after the test. */
export function fixtureLesson(t: TestContext, learnerWorker = LEARNER_WORKER): Lesson {
  const root = path.join('.test-results', `tools-${process.pid}-${++made}`);
  t.after(() => fs.rmSync(path.join(repoRoot, root), { recursive: true, force: true }));
  const lesson: Lesson = {
    number: 4,
    slug: '04-fixture',
    title: 'Fixture: a made-up lesson',
    lessonDir: path.join(root, 'lessons', '04-fixture'),
    solutionDir: path.join(root, 'solutions', '04-fixture'),
  };
  write(path.join(lesson.solutionDir, 'worker.ts'), SOLUTION_WORKER);
  write(path.join(lesson.lessonDir, 'cluster', 'worker.ts'), learnerWorker);
  return lesson;
}

let made = 0;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(repoRoot, file)), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, file), text);
}
