// Lesson 4's tests: how a worker leaves. Each name starts with the README step
// it checks. The test process is the primary; the workers are fixtures.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:cluster';
import { guardedTest } from '../../../testing/guard';
import { freePort } from '../../../testing/ports';
import { loadCluster } from '../../../testing/target';
import { describeOutput, startProgram } from '../../../testing/program';
import { isGone, watch, type WatchedWorker } from './watch';

const leavingWorker = path.join(__dirname, 'fixtures', 'leaving-worker.ts');
const greetingWorker = path.join(__dirname, 'fixtures', 'greeting-worker.ts');
const heldPortWorker = path.join(__dirname, 'fixtures', 'held-port-worker.ts');

/** Forks a leaving-worker that will leave the way `leave` says (see the fixture). */
function forkLeavingWorker(leave: 'stay' | 'crash' | 'disconnect' | 'kill' | 'deadline'): WatchedWorker {
  const cluster = loadCluster();
  cluster.setupPrimary({ exec: leavingWorker, args: [], silent: true });
  return watch(cluster.fork({ LEAVE: leave }));
}

/** The worker's exit code and signal, once it has exited, disconnected and closed its output. */
/** Was exitedAfterDisconnect already true in the primary when 'disconnect' came? */
function assertPlannedBeforeDisconnect(watched: WatchedWorker, what: string): void {
  const atDisconnect = watched.events.find((seen) => seen.event === 'disconnect')!;
  assert.ok(
    atDisconnect.exitedAfterDisconnect === true,
    `${what}: the channel closed before the primary knew the leave was planned. When 'disconnect' came in the ` +
      `primary, exitedAfterDisconnect was ${atDisconnect.exitedAfterDisconnect} (node: true), so a supervisor would ` +
      `take this planned leave for a crash${watched.describe()}`,
  );
}

async function departure(watched: WatchedWorker, what: string): Promise<{ code: unknown; signal: unknown }> {
  const [code, signal] = await watched.until('exit', what);
  await watched.until('disconnect', what);
  await watched.until('close', what);
  return { code, signal };
}


/**
 * A worker that greets every connection, listening, and a client it has
 * greeted: the worker's server has an open connection, which holds it.
 */
async function greetingWorkerWithClient(step: number) {
  const cluster = loadCluster();
  cluster.setupPrimary({ exec: greetingWorker, args: [], silent: true });
  const watched = watch(cluster.fork());
  const [address] = (await watched.until('listening', `step ${step}: the worker should listen`)) as [net.AddressInfo];
  const client = net.connect(address.port, '127.0.0.1').setEncoding('utf8');
  try {
    const [greeting] = await once(client, 'data');
    assert.equal(greeting, 'hello\n', `step ${step}: the worker should greet the connection`);
  } catch (error) {
    client.destroy();
    throw error;
  }
  return { cluster, watched, client };
}

const statesOf = (worker: Worker) => `connected=${worker.isConnected()} dead=${worker.isDead()}`;

/** exit's arguments as node:cluster gives them: "(0, null)", "(null, 'SIGKILL')". */
const exitArguments = ([code, signal]: unknown[]) => `(${String(code)}, ${typeof signal === 'string' ? `'${signal}'` : String(signal)})`;

/** Checks exit's (code, signal), saying both what node:cluster gives and what came. */
function assertExit(actual: { code: unknown; signal: unknown }, expected: [number | null, string | null], what: string, watched: WatchedWorker): void {
  const [shown, wanted] = [exitArguments([actual.code, actual.signal]), exitArguments(expected)];
  assert.ok(shown === wanted, `${what}: 'exit' should come with ${wanted}, it came with ${shown}${watched.describe()}`);
}

/** Checks exitedAfterDisconnect, saying what node:cluster has and what we have. */
function assertFlag(worker: Worker, expected: boolean | undefined, what: string): void {
  const actual = worker.exitedAfterDisconnect;
  assert.ok(actual === expected, `${what}: exitedAfterDisconnect should be ${expected}, it is ${actual}`);
}

guardedTest('step 1: isConnected() and isDead(), in the primary and inside the worker', { timeout: 30_000 }, async () => {
  const watched = forkLeavingWorker('stay');
  const { worker } = watched;
  assert.equal(statesOf(worker), 'connected=true dead=false', 'step 1: right after fork(), isConnected() is true and isDead() false');
  await watched.until('listening', 'step 1: the worker should start and listen');
  await watched.untilLine('start connected=true dead=false', 'step 1: inside, the worker sees itself connected and alive');
  assertFlag(worker, undefined, 'step 1: while the worker runs');

  process.kill(worker.process.pid!, 'SIGKILL'); // from outside: no cluster API involved
  const gone = await departure(watched, 'step 1: a worker killed with SIGKILL should be gone');
  assertExit(gone, [null, 'SIGKILL'], 'step 1: killed with SIGKILL', watched);
  assert.equal(statesOf(worker), 'connected=false dead=true', `step 1: once it has gone, isConnected() is false and isDead() true${watched.describe()}`);
});

guardedTest('step 2: disconnect() from the primary waits for an open connection, then the worker exits by itself', { timeout: 30_000 }, async () => {
  const { cluster, watched, client } = await greetingWorkerWithClient(2);
  const { worker } = watched;
  try {
    assert.equal(statesOf(worker), 'connected=true dead=false', 'step 2: a listening worker is connected and alive');

    assert.equal(worker.disconnect(), worker, 'step 2: worker.disconnect() returns the worker');
    assertFlag(worker, true, 'step 2: right after worker.disconnect(), the leave is planned');
    assert.equal(cluster.workers?.[worker.id], undefined, 'step 2: right after worker.disconnect(), the worker is no longer in cluster.workers');

    // The worker is closing its server, and the server waits for the connection.
    await sleep(300);
    const early = watched.events.filter((seen) => seen.event === 'disconnect' || seen.event === 'exit');
    assert.deepEqual(early, [], `step 2: while its server still has an open connection, node's worker neither disconnects nor exits${watched.describe()}`);
    assert.equal(statesOf(worker), 'connected=true dead=false', 'step 2: 300 ms after disconnect(), with a connection open, the worker is still connected and alive');
    assert.equal(isGone(worker.process.pid!), false, 'step 2: the worker process is alive while its connection is open');

    client.end(); // the last connection ends: the server closes, then the channel, then the process
    await watched.until('disconnect', "step 2: once its last connection has ended, the worker's channel should close ('disconnect')");
    assert.equal(worker.isConnected(), false, "step 2: after 'disconnect', isConnected() is false");
    const gone = await departure(watched, 'step 2: with nothing left to do, the worker should exit by itself');
    assertExit(gone, [0, null], 'step 2: a worker that leaves by disconnect() exits by itself', watched);
    assert.equal(statesOf(worker), 'connected=false dead=true', "step 2: after 'exit', isConnected() is false and isDead() true");
    assertFlag(worker, true, 'step 2: the primary asked it to leave');
  } finally {
    client.destroy();
  }
});

guardedTest("step 2: worker.disconnect() leaves worker.state as it is; 'disconnect' makes it 'disconnected', 'exit' 'dead'", { timeout: 30_000 }, async () => {
  const watched = forkLeavingWorker('stay');
  // (node's typings leave out `state`, which every Worker has.)
  const worker = watched.worker as Worker & { state: string };
  await watched.until('listening', 'step 2: the worker should listen');
  const states: string[] = [];
  worker.on('disconnect', () => states.push(`disconnect ${worker.state}`));
  worker.on('exit', () => states.push(`exit ${worker.state}`));
  worker.disconnect();
  states.push(`after disconnect() ${worker.state}`);
  await departure(watched, 'step 2: worker.disconnect() should end the worker');
  assert.deepEqual(
    states,
    ['after disconnect() listening', 'disconnect disconnected', 'exit dead'],
    "step 2: in node's primary, disconnect() does not touch the state: it becomes 'disconnected' with the " +
      `'disconnect' event and 'dead' with 'exit'${watched.describe()}`,
  );
});

guardedTest("step 2: a worker that is leaving gets no new server: a listen() after disconnect() is never answered", { timeout: 30_000 }, async () => {
  // An open connection holds the worker's first server, and so the worker, while it leaves.
  const { watched, client } = await greetingWorkerWithClient(2);
  const { worker } = watched;
  try {
    // The worker calls listen() as it learns it must leave. (Another port: in
    // lessons 3 and 4 a worker's two servers on one address would share a key.)
    worker.send(`listen on ${await freePort()}`);
    worker.disconnect();
    await watched.untilLine('second listen() called', 'step 2: the worker should try to listen again');
    await sleep(300); // time for an answer, were there one
    const listenings = watched.events.filter((seen) => seen.event === 'listening').length;
    assert.equal(listenings, 1, `step 2: a worker that is leaving gets no new server: 1 'listening' expected (its first server), got ${listenings}${watched.describe()}`);
    assert.equal(watched.lines.includes('the second server listens'), false, `step 2: a listen() made while leaving is never answered, yet its callback ran${watched.describe()}`);

    client.end();
    const gone = await departure(watched, 'step 2: once the connection ends, the worker should leave');
    assertExit(gone, [0, null], 'step 2: it leaves as usual', watched);
    assertFlag(worker, true, 'step 2: after a disconnect() from the primary');
  } finally {
    client.destroy();
  }
});

guardedTest('step 3: cluster.worker.disconnect() inside the worker: a planned leave, exit code 0', { timeout: 30_000 }, async () => {
  const watched = forkLeavingWorker('disconnect');
  const gone = await departure(watched, 'step 3: a worker that calls disconnect() should leave');
  assertExit(gone, [0, null], 'step 3: a worker that calls cluster.worker.disconnect() exits by itself', watched);
  assert.deepEqual(
    watched.lines,
    [
      'start connected=true dead=false',
      'after disconnect() connected=true dead=false', // its server closes first
      'disconnect event connected=false dead=false',
      'second disconnect() returned',
    ],
    `step 3: what the worker saw of itself, in order (a second disconnect() while leaving does nothing)${watched.describe()}`,
  );
  assertPlannedBeforeDisconnect(watched, 'step 3: cluster.worker.disconnect()');
  assertFlag(watched.worker, true, 'step 3: after cluster.worker.disconnect()');
  assert.equal(statesOf(watched.worker), 'connected=false dead=true', "step 3: after 'exit', isConnected() is false and isDead() true");
  // The worker left from inside its server's listen() callback, which closed
  // that server before the primary heard of it: node never reports it.
  assert.equal(watched.has('listening'), false, "step 3: node emits no 'listening' for a server that closed in its own listen() callback");
});

guardedTest('step 3: cluster.worker.kill() inside the worker: it tells the primary, disconnects, exits with 0; a second kill() does nothing', { timeout: 30_000 }, async () => {
  const watched = forkLeavingWorker('kill');
  const gone = await departure(watched, 'step 3: a worker that calls kill() should leave');
  assertExit(gone, [0, null], 'step 3: cluster.worker.kill() sends no signal: the worker ends with code 0', watched);
  assert.deepEqual(
    watched.lines,
    ['start connected=true dead=false', 'second kill() returned', 'disconnect event connected=false dead=false'],
    `step 3: what the worker saw of itself (a second kill() does nothing)${watched.describe()}`,
  );
  assertPlannedBeforeDisconnect(watched, 'step 3: cluster.worker.kill()');
  assertFlag(watched.worker, true, 'step 3: after cluster.worker.kill()');
});

guardedTest('step 3: cluster.worker.disconnect() closes every server of the worker, and waits for the open connections of each', { timeout: 30_000 }, async () => {
  const cluster = loadCluster();
  cluster.setupPrimary({ exec: greetingWorker, args: [], silent: true });
  const watched = watch(cluster.fork());
  const { worker } = watched;
  const [first] = (await watched.until('listening', 'step 3: the worker should listen')) as [net.AddressInfo];
  const secondListening = once(worker, 'listening');
  worker.send(`listen on ${await freePort()}`);
  const [second] = (await secondListening) as [net.AddressInfo];

  // One client on each server, both staying.
  const clients = [net.connect(first.port, '127.0.0.1'), net.connect(second.port, '127.0.0.1')];
  try {
    for (const client of clients) await once(client.setEncoding('utf8'), 'data');
    worker.send('leave'); // it calls cluster.worker.disconnect()
    const nothingEnded = async (what: string) => {
      await sleep(300);
      const ended = watched.events.filter((seen) => seen.event === 'disconnect' || seen.event === 'exit');
      assert.deepEqual(ended, [], `step 3: ${what}${watched.describe()}`);
      assert.equal(worker.isConnected(), true, `step 3: ${what}`);
    };
    await nothingEnded("while both its servers still have a connection, node's worker neither disconnects nor exits");
    clients[0].end();
    await nothingEnded("once one server's connection has ended, the other server still has one: the worker still waits");
    clients[1].end();
    const gone = await departure(watched, 'step 3: once both connections end, the worker should leave');
    assertExit(gone, [0, null], 'step 3: a planned leave', watched);
    assertFlag(worker, true, 'step 3: after cluster.worker.disconnect()');
  } finally {
    for (const client of clients) client.destroy();
  }
});

guardedTest('step 3: kill() inside a worker that has disconnected but still has work (a shutdown deadline) exits at once, with 0', { timeout: 30_000 }, async () => {
  const watched = forkLeavingWorker('deadline');
  // Its timer would keep it alive for good: only kill() ends it.
  const gone = await departure(watched, 'step 3: kill() should end a worker whose channel has closed');
  assertExit(gone, [0, null], 'step 3: kill() after the channel has closed: a planned exit', watched);
  assert.deepEqual(
    watched.lines,
    ['start connected=true dead=false', 'disconnect event connected=false dead=false', 'kill() once disconnected'],
    `step 3: what the worker saw of itself${watched.describe()}`,
  );
  assertPlannedBeforeDisconnect(watched, 'step 3: cluster.worker.disconnect(), then kill()');
});

guardedTest("step 3: a worker whose listen() failed (EADDRINUSE) leaves by disconnect(): no server to close, exit code 0", { timeout: 30_000 }, async () => {
  const held = net.createServer(); // the test's own server: the primary's cluster has no part in it
  await new Promise<void>((resolve) => held.listen(0, 'localhost', resolve));
  try {
    const cluster = loadCluster();
    cluster.setupPrimary({ exec: heldPortWorker, args: [], silent: true });
    const watched = watch(cluster.fork({ HELD_PORT: String((held.address() as net.AddressInfo).port) }));
    const gone = await departure(watched, 'step 3: the worker should leave after its listen() failed');
    assertExit(gone, [0, null], 'step 3: it leaves by disconnect(), with no server to wait for', watched);
    assert.deepEqual(
      watched.lines,
      ['listen error EADDRINUSE (server.listening: false)', 'disconnect event connected=false'],
      `step 3: the error reached the worker's server, then it left${watched.describe()}`,
    );
    assert.equal(watched.has('listening'), false, "step 3: no 'listening' for a server that failed");
    assertFlag(watched.worker, true, 'step 3: after cluster.worker.disconnect()');
  } finally {
    held.close();
  }
});

guardedTest('step 4: kill() in the primary only signals: SIGKILL gives (null, SIGKILL), the default is SIGTERM', { timeout: 30_000 }, async () => {
  const killed = forkLeavingWorker('stay');
  const terminated = forkLeavingWorker('stay');
  const destroyed = forkLeavingWorker('stay');
  for (const watched of [killed, terminated, destroyed]) await watched.until('listening', 'step 4: the workers should listen');

  killed.worker.kill('SIGKILL');
  terminated.worker.kill();
  destroyed.worker.destroy(); // the older name of kill()
  const expected = [
    [killed, 'SIGKILL'],
    [terminated, 'SIGTERM'],
    [destroyed, 'SIGTERM'],
  ] as const;
  for (const [watched, expectedSignal] of expected) {
    const gone = await departure(watched, `step 4: kill() should end worker ${watched.worker.id}`);
    assertExit(gone, [null, expectedSignal], `step 4: worker.kill() in the primary sends ${expectedSignal}`, watched);
    assertFlag(watched.worker, false, 'step 4: in the primary, kill() is a signal, not a planned leave (node 20)');
    assert.equal(statesOf(watched.worker), 'connected=false dead=true', "step 4: after 'exit', isConnected() is false and isDead() true");
  }
});

guardedTest('step 4: exitedAfterDisconnect is false after a crash and after an outside SIGTERM', { timeout: 30_000 }, async () => {
  const crashed = forkLeavingWorker('crash');
  const outside = forkLeavingWorker('stay');
  await outside.until('listening', 'step 4: the worker should listen');
  process.kill(outside.worker.process.pid!, 'SIGTERM');

  const crash = await departure(crashed, 'step 4: the crashing worker should be gone');
  assertExit(crash, [1, null], 'step 4: a worker that calls process.exit(1)', crashed);
  const killed = await departure(outside, 'step 4: the worker sent SIGTERM should be gone');
  assertExit(killed, [null, 'SIGTERM'], 'step 4: a worker sent SIGTERM from outside', outside);
  for (const watched of [crashed, outside]) {
    assertFlag(watched.worker, false, `step 4: once worker ${watched.worker.id} has gone, nobody having planned it (false, never undefined)`);
  }
});

guardedTest('step 4: disconnect() of a disconnected worker and kill() of a dead one do not throw', { timeout: 30_000 }, async () => {
  const watched = forkLeavingWorker('stay');
  const { worker } = watched;
  await watched.until('listening', 'step 4: the worker should listen');
  worker.disconnect();
  await departure(watched, 'step 4: the worker should leave after disconnect()');

  assert.equal(worker.disconnect(), worker, 'step 4: disconnect() of a worker that has gone returns the worker, and does nothing');
  worker.kill();
  worker.kill('SIGKILL');
  worker.destroy();
  await sleep(50);
  assert.equal(watched.has('error'), false, `step 4: disconnect() or kill() of a worker that has gone does nothing: no 'error'${watched.describe()}`);
  assert.equal(statesOf(worker), 'connected=false dead=true', 'step 4: a worker that has gone stays disconnected and dead');
});

guardedTest('step 5: kill -9 of the primary: every worker is gone within 5 s, no orphans', { timeout: 30_000 }, async () => {
  const program = startProgram('lessons/04-worker-methods/test/fixtures/primary-then-killed.ts');
  for (const id of [1, 2, 3]) await program.waitForLine(new RegExp(`^worker ${id} pid \\d+$`));
  const pids = program.lines.map((line) => Number(line.split(' pid ')[1]));

  program.child.kill('SIGKILL');
  const started = Date.now();
  while (!pids.every(isGone) && Date.now() - started < 5000) await sleep(20);
  const alive = pids.filter((pid) => !isGone(pid));
  const result = await Promise.race([program.finished, sleep(3000).then(() => undefined)]);
  const output = describeOutput({ lines: program.lines, stderr: result?.stderr ?? '' });
  assert.deepEqual(alive, [], `step 5: node's workers exit at once when their primary dies; ${alive.length} of 3 (busy with a timer) still run 5 s later${output}`);
  assert.ok(result, `step 5: the workers kept the output open${output}`);
  assert.equal(result.stderr.trim(), '', `step 5: a worker whose primary dies leaves quietly (exit code 0), yet something was printed on stderr${output}`);
});

guardedTest('step 6: cluster.disconnect(callback): every worker leaves, callback once, cluster.workers empty', { timeout: 30_000 }, async () => {
  const cluster = loadCluster();
  const watched = [forkLeavingWorker('stay'), forkLeavingWorker('stay'), forkLeavingWorker('stay')];
  for (const each of watched) await each.until('listening', 'step 6: the workers should listen');

  const calls: Array<{ workers: string[]; gone: number }> = [];
  const result = cluster.disconnect(() =>
    calls.push({
      workers: Object.keys(cluster.workers ?? {}),
      gone: watched.filter(({ worker }) => worker.isDead() && !worker.isConnected()).length,
    }),
  );
  assert.equal(result, undefined, 'step 6: cluster.disconnect() returns nothing');
  assert.equal(
    calls.length,
    0,
    'step 6: the callback ran before cluster.disconnect() returned, with all 3 workers still running. Node runs it ' +
      'only once one of them has gone: the disconnect() calls themselves empty cluster.workers at once, and that is ' +
      'not the moment the callback waits for',
  );
  for (const each of watched) {
    const gone = await departure(each, 'step 6: cluster.disconnect() should end every worker');
    assertExit(gone, [0, null], 'step 6: each leaves as with worker.disconnect()', each);
    assertFlag(each.worker, true, 'step 6: after cluster.disconnect()');
  }
  await sleep(100); // time for a second call, if there were one
  assert.equal(calls.length, 1, `step 6: node runs the callback exactly once; it ran ${calls.length} time(s)`);
  assert.deepEqual(calls[0].workers, [], 'step 6: when the callback runs, cluster.workers is empty');
  // Node calls back as soon as cluster.workers is found empty after the call:
  // when the first worker is both disconnected and dead, not the last.
  assert.ok(calls[0].gone >= 1, `step 6: node runs the callback once a worker has gone (disconnected and exited); it ran when ${calls[0].gone} had`);
});

guardedTest('step 6: cluster.disconnect() works taken off the cluster, as node\'s does', { timeout: 30_000 }, async () => {
  const cluster = loadCluster();
  const watched = forkLeavingWorker('stay');
  await watched.until('listening', 'step 6: the worker should listen');
  const { disconnect } = cluster;
  let calls = 0;
  disconnect(() => calls++);
  await departure(watched, 'step 6: disconnect(), taken off the cluster, should end every worker');
  for (let waited = 0; calls === 0 && waited < 3000; waited += 20) await sleep(20);
  assert.equal(calls, 1, 'step 6: the callback of a detached disconnect() runs once, as with cluster.disconnect()');
});

guardedTest('step 6: cluster.disconnect(callback) with no workers still calls back', { timeout: 10_000 }, async () => {
  const cluster = loadCluster();
  // The workers of earlier tests are gone; each leaves cluster.workers once its last event is in.
  for (let waited = 0; Object.keys(cluster.workers ?? {}).length > 0 && waited < 3000; waited += 20) await sleep(20);
  assert.deepEqual(Object.keys(cluster.workers ?? {}), [], 'step 6 (lesson 3): a worker stays in cluster.workers only until it has exited and disconnected');
  let calls = 0;
  cluster.disconnect(() => calls++);
  assert.equal(calls, 0, 'step 6: the callback never runs before cluster.disconnect() returns');
  await sleep(100);
  assert.equal(calls, 1, `step 6: with no worker, node still runs the callback once, on the next tick; it ran ${calls} time(s)`);
});
