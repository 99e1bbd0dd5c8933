// Step 3: restarts with backoff; step 4: the crash-loop guard.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { describeOutput } from '../../../testing/program';
import { loadSupervisor } from '../supervisor-target';
import { get } from '../load';
import { endFixture, expectLine, sleep, startFixture, withOptions } from './helpers';

guardedTest('step 3: the restart delay starts at restartDelay, grows by restartFactor up to maxRestartDelay, and starts over after resetAfter', {}, async () => {
  const { nextRestartDelay } = loadSupervisor();
  const settings = { restartDelay: 100, restartFactor: 2, maxRestartDelay: 1000, resetAfter: 30_000 };
  const delays: number[] = [];
  let delay: number | undefined;
  for (let i = 0; i < 6; i++) delays.push((delay = nextRestartDelay(delay, 50, settings)));
  assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000], 'step 3: six quick crashes in a row should wait 100, 200, 400, 800, 1000, 1000 ms');
  assert.equal(nextRestartDelay(1000, 30_000, settings), 100, 'step 3: a worker that was up for resetAfter should restart after restartDelay again');
});

guardedTest('step 3: a worker killed mid-request costs at most the requests it held, and its slot is restarted', { timeout: 40_000 }, async () => {
  const fixture = await startFixture('supervised.ts', 3, { ...withOptions({ workers: 3, env: { APP_LOG: '1' } }) });
  const outcomes = new Map<string, boolean>();
  const inFlight = new Set<string>();
  let next = 0;
  let sending = true;
  const lane = async () => {
    while (sending) {
      const id = `r${++next}`;
      inFlight.add(id);
      outcomes.set(id, (await get(fixture.port, `/slow?ms=300&id=${id}`)).ok);
      inFlight.delete(id);
    }
  };
  const lanes = Array.from({ length: 6 }, lane);
  // The lanes stop whatever happens: a failed wait must not leave them sending.
  let inFlightAtKill: string[] = [];
  // The last request sent before the primary saw the worker exit: node:cluster's
  // primary may hand a new connection to a worker that has just died.
  let lastSentBeforeExit = 0;
  const victim = 2;
  try {
    await sleep(800);
    const pid = Number(/: (\d+)$/.exec(await expectLine(fixture, /^pid of slot 2: \d+$/, 3, 'the fixture should say which process serves slot 2'))?.[1]);
    process.kill(pid, 'SIGKILL');
    inFlightAtKill = [...inFlight];
    await expectLine(fixture, new RegExp(`^supervisor: worker ${victim} \\(slot 2\\) exited killed by SIGKILL; restarting the slot in 100 ms$`), 3,
      `the supervisor should say that worker ${victim} was killed and when slot 2 restarts`);
    lastSentBeforeExit = next;
    await expectLine(fixture, /^ready: worker 4 in slot 2$/, 3, 'a new worker (4) should be ready in slot 2');
    await sleep(600);
  } finally {
    sending = false;
    await Promise.all(lanes);
  }
  const result = await endFixture(fixture);

  const took = new Set(result.lines.flatMap((line) => new RegExp(`^worker ${victim} took (r\\d+)$`).exec(line)?.[1] ?? []));
  const answered = new Set(result.lines.flatMap((line) => new RegExp(`^worker ${victim} answered (r\\d+)$`).exec(line)?.[1] ?? []));
  const takenByAnother = (id: string) =>
    result.lines.some((line) => {
      const taken = /^worker (\d+) took (r\d+)$/.exec(line);
      return taken !== null && taken[2] === id && taken[1] !== String(victim);
    });
  // Held: it took them and never answered; or (node:cluster) the primary was handing them to it when it died,
  // which can also be a request sent after the kill, before the primary saw the exit.
  const held = [...took].filter((id) => !answered.has(id));
  const failed = [...outcomes].filter(([, ok]) => !ok).map(([id]) => id);
  const mayFail = (id: string) => inFlightAtKill.includes(id) || Number(id.slice(1)) <= lastSentBeforeExit;
  assert.ok(
    failed.every((id) => mayFail(id) && !takenByAnother(id)),
    `step 3: only requests in flight to worker ${victim} when it was killed, or sent before the primary saw it exit, may fail: failed ${failed.join(', ') || 'none'}; in flight then ${inFlightAtKill.join(', ')}; worker ${victim} held ${held.join(', ') || 'none'}${describeOutput(result)}`,
  );
  assert.ok(outcomes.size > failed.length * 5, `step 3: the other requests should be answered (${outcomes.size} sent, ${failed.length} failed)`);
});

guardedTest('step 4: a slot that exits more than maxRestarts times within restartWindow stops, says so once, and the others keep serving', { timeout: 40_000 }, async () => {
  const options = { workers: 2, restartDelay: 50, restartFactor: 2, maxRestarts: 2, restartWindow: 30_000, env: { APP_BREAK_SLOT: '2' } };
  const fixture = await startFixture('supervised.ts', 4, withOptions(options), /^ready: worker \d+ in slot 1$/);
  await expectLine(
    fixture,
    /^supervisor: slot 2 stopped: its worker exited 3 times within 30 s \(the last one, worker \d+, with exit code 1\); not restarting it\. The other workers keep serving\.$/,
    4,
    'slot 2 crashes at start-up: after 2 restarts, its 3rd exit within the window should stop it, with one line that says which slot, how many exits and the last exit code',
  );
  await sleep(1000);
  const answers = await Promise.all(Array.from({ length: 6 }, () => get(fixture.port, '/')));
  const result = await endFixture(fixture);
  const restarts = result.lines.filter((line) => /^supervisor: worker \d+ \(slot 2\) exited with exit code 1; restarting the slot in \d+ ms$/.test(line));
  assert.deepEqual(restarts.map((line) => Number(/in (\d+) ms/.exec(line)![1])), [50, 100], `step 4: slot 2 should be restarted twice, after 50 and 100 ms${describeOutput(result)}`);
  assert.equal(result.lines.filter((line) => line.includes('slot 2 stopped')).length, 1, `step 4: the slot stops once, and says so once${describeOutput(result)}`);
  assert.ok(answers.every((answer) => answer.ok && /\(slot 1\)$/.test(answer.text)), `step 4: slot 1 should keep serving: ${JSON.stringify(answers)}`);
});
