// Lesson 5, "A third way: reusePort". Not a step: the code is given in the
// starter, and this test shows what it does. Skipped on a Node that does not
// know the option (before 22.12): there node:cluster ignores it, and so do we.
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram } from '../../../testing/program';
import { assertSameLines } from '../../../testing/lines';
import { freePort } from '../../../testing/ports';
import assert from 'node:assert/strict';

const [major, minor] = process.version.slice(1).split('.').map(Number);
const hasReusePort = major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);

guardedTest(
  'reusePort (Node 22.12 and later): each worker binds its own socket on the port, the kernel spreads the connections, the primary is not asked',
  {
    timeout: 30_000,
    skip: !hasReusePort && `listen({ reusePort: true }) needs Node 22.12 or later; this is ${process.version}`,
  },
  async () => {
    // A fixed port, since port 0 would give each worker a port of its own.
    const port = await freePort();
    const result = await runProgram('lessons/05-round-robin/test/fixtures/reuse-port.ts', { env: { PORT: String(port) } });
    assert.equal(result.code, 0, `reusePort: the program failed${describeOutput(result)}`);
    assertSameLines(
      result,
      [
        'port held by: worker 1, worker 2',
        'answered by: worker 1, worker 2',
        'a plain listen on the port: failed (EADDRINUSE)',
        'a reusePort listen on the port: listening',
        'the outsider got connections: true',
        "'listening' events in the primary: 0",
      ],
      'reusePort: true',
    );
  },
);
