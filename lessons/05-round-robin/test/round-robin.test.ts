// Lesson 5's tests: sharing a port. Each name starts with the README step it
// checks. Every test runs a small primary program from fixtures/ that forks
// its workers, acts as their client and prints what it saw; the test checks
// the lines. (A TODO in a starter may throw inside the primary: as a program
// of its own, it fails with that TODO on its stderr, which describeOutput
// shows first.)
import assert from 'node:assert/strict';
import dns from 'node:dns/promises';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';
import { assertSameLines } from '../../../testing/lines';

const TIMEOUT = 30_000;

/** Runs fixtures/`name` as a primary, with extra environment variables. */
function runFixture(name: string, env: Record<string, string> = {}): Promise<ProgramResult> {
  return runProgram(`lessons/05-round-robin/test/fixtures/${name}`, { env });
}

function assertSucceeded(result: ProgramResult, what: string): void {
  assert.equal(result.code, 0, `${what}: the program failed${describeOutput(result)}`);
}

/** The printed line that starts with `prefix`, without it. */
function valueOf(result: ProgramResult, prefix: string, what: string): string {
  const line = result.lines.find((each) => each.startsWith(prefix));
  assert.ok(line !== undefined, `${what}: no line "${prefix}..."${describeOutput(result)}`);
  return line.slice(prefix.length);
}

/** How many requests each worker answered, from spread.ts's "worker N: count" lines. */
function spreadOf(result: ProgramResult): Map<string, number> {
  const spread = new Map<string, number>();
  for (const line of result.lines) {
    const match = /^(worker \d+): (\d+)$/.exec(line);
    if (match) spread.set(match[1], Number(match[2]));
  }
  return spread;
}

const ALL_WORKERS = 'worker 1, worker 2, worker 3, worker 4';

/**
 * spread.ts stops at the first request without an answer. Said in the
 * client's terms: the connection ended although a worker had taken it.
 */
function assertNoConnectionLost(result: ProgramResult, step: string): void {
  const lost = result.lines.filter((line) => line.startsWith('failed ('));
  const stopped = result.lines.find((line) => line.startsWith('stopped after '));
  assert.equal(
    lost.length,
    0,
    `${step}: requests lost their connection before an answer came: ${lost.join(', ')} (${stopped}). In node:cluster, ` +
      'once a worker has taken a connection the client talks to that worker alone, and the connection stays open ' +
      "until one of them closes it: the primary's copy goes away without closing it for the worker." +
      describeOutput(result),
  );
}

// ------------------------------------------------------------ step 1

guardedTest('step 1: NODE_CLUSTER_SCHED_POLICY picks the policy: rr is SCHED_RR (2), none is SCHED_NONE (1), anything else round-robin', { timeout: TIMEOUT }, async () => {
  const cases: Array<[string, number]> = [['rr', 2], ['none', 1], ['', 2], ['fastest', 2]];
  const results = await Promise.all(cases.map(([value]) => runFixture('policy.ts', { NODE_CLUSTER_SCHED_POLICY: value })));
  for (const [index, [value, policy]] of cases.entries()) {
    const what = `step 1: with NODE_CLUSTER_SCHED_POLICY=${JSON.stringify(value)}`;
    assertSucceeded(results[index], what);
    assertSameLines(results[index], [`schedulingPolicy ${policy}`, 'SCHED_NONE 1 SCHED_RR 2'], what);
  }
});

// ------------------------------------------------------------ step 2

guardedTest('step 2: listen(0) in 4 workers: one shared port per server index; closing all 4 frees it', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('shared-port-zero.ts');
  assertSucceeded(result, 'step 2: two servers on port 0 in each of 4 workers');
  assertSameLines(
    result,
    [
      'every first server has the same port: true',
      'every second server has the same port: true',
      'the two ports differ: true',
      'a port was chosen: true',
      "'listening' events with the first port: 4",
      "'listening' events with the second port: 4",
      'every worker closed its servers',
      'the first port is free again: true',
      'the second port is free again: true',
    ],
    'step 2: port 0 in a cluster',
  );
});

guardedTest("step 2: 'listening' gives node's four keys: addressType, address, port, and fd (undefined for a port)", { timeout: TIMEOUT }, async () => {
  const result = await runProgram('lessons/05-round-robin/test/fixtures/listening-address.ts');
  assert.equal(result.code, 0, `the primary failed${describeOutput(result)}`);
  const address = 'address=127.0.0.1 addressType=4 fd=undefined port=(a port)';
  assertSameLines(
    result,
    [`worker: ${address}`, `cluster: ${address}`],
    "node's 'listening' address, on the Worker and on cluster: the host, addressType 4, the real port, and an fd " +
      'key that is undefined, since the server was given a port, not a file descriptor',
  );
});

guardedTest('step 2: a worker that closes its servers and listens again joins the listeners the others still share', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('relisten.ts');
  assertSucceeded(result, 'step 2: worker 1 restarts its two servers on port 0');
  assertSameLines(
    result,
    [
      "each worker's two servers got two different ports: true",
      'both workers share those two ports: true',
      'worker 1 listened again on the same two ports: true',
    ],
    'step 2: once a worker has closed its servers on an address, their numbers start again at 0',
  );
});

/** The errors worker 1's servers get in bind-error.ts: the same in node:cluster under both policies. */
const BIND_ERRORS = [
  'error: {"message":"bind EADDRINUSE 127.0.0.1:BUSY_PORT","code":"EADDRINUSE","errno":-98,"syscall":"bind","address":"127.0.0.1","port":BUSY_PORT}',
  'error: {"message":"bind EADDRNOTAVAIL 10.15.32.49:BUSY_PORT","code":"EADDRNOTAVAIL","errno":-99,"syscall":"bind","address":"10.15.32.49","port":BUSY_PORT}',
  // Port 0 is "any port": node names only the address, and the error has no port.
  'error: {"message":"bind EADDRNOTAVAIL 10.15.32.49","code":"EADDRNOTAVAIL","errno":-99,"syscall":"bind","address":"10.15.32.49"}',
];

function assertBindErrors(result: ProgramResult, what: string): void {
  const seen = result.lines.filter((line) => line.startsWith('error: '));
  for (const line of BIND_ERRORS) {
    assert.ok(result.lines.includes(line), `${what}: worker 1's server should emit\n  ${line}\nbut its errors were\n  ${seen.join('\n  ') || '(none)'}${describeOutput(result)}`);
  }
}

guardedTest("step 2: a failed listen reaches the worker's server as node's error (bind EADDRINUSE 127.0.0.1:PORT, EADDRNOTAVAIL)", { timeout: TIMEOUT }, async () => {
  const result = await runFixture('bind-error.ts', { NODE_CLUSTER_SCHED_POLICY: 'rr' });
  assertBindErrors(result, 'step 2: under round-robin');
});

guardedTest("regression (lesson 3): listen('0', host), listen(undefined, host) and listen(0, 'localhost') all ask the primary for port 0: one shared port", { timeout: TIMEOUT }, async () => {
  const result = await runFixture('forms.ts', { NODE_CLUSTER_SCHED_POLICY: 'rr' });
  assertSucceeded(result, 'regression (lesson 3): three ways of asking for port 0');
  // A host name is looked up in the worker; the primary gets the address.
  const localhost = await dns.lookup('localhost');
  const sameAddress = localhost.address === '127.0.0.1';
  assertSameLines(
    result,
    [
      'worker 1 listens on 127.0.0.1 (addressType 4), the first port',
      'worker 2 listens on 127.0.0.1 (addressType 4), the first port',
      `worker 3 listens on ${localhost.address} (addressType ${localhost.family}), ${sameAddress ? 'the first port' : 'a port of its own'}`,
    ],
    "regression (lesson 3): a port as a string, no port, and 'localhost'",
  );
});

guardedTest('step 2: exclusive: true listens in the worker itself (its own port, no primary involved)', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('exclusive.ts');
  assertSucceeded(result, 'step 2: an exclusive and a shared server in each of 2 workers');
  assertSameLines(
    result,
    [
      'the exclusive servers got different ports: true',
      'exclusive port of worker 1 answered by: worker 1',
      'exclusive port of worker 1 held by: worker 1',
      'exclusive port of worker 2 answered by: worker 2',
      'exclusive port of worker 2 held by: worker 2',
      'the shared servers got one port: true',
      'shared port held by: primary',
      "'listening' events for the exclusive servers: 0",
    ],
    'step 2: exclusive: true',
  );
});

// ------------------------------------------------------------ step 3

guardedTest('step 3: round-robin: 400 connections over 4 workers, each answers 80 to 120; only the primary holds the listener', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('spread.ts', { NODE_CLUSTER_SCHED_POLICY: 'rr' });
  assertSucceeded(result, 'step 3: 400 requests under round-robin');
  assert.equal(valueOf(result, 'schedulingPolicy ', 'step 3'), '2', `step 3: with NODE_CLUSTER_SCHED_POLICY=rr, cluster.schedulingPolicy should be 2 (SCHED_RR)${describeOutput(result)}`);
  assert.equal(valueOf(result, 'listener held by: ', 'step 3'), 'primary', `step 3: under round-robin the workers have no listening socket${describeOutput(result)}`);
  assertNoConnectionLost(result, 'step 3');
  const spread = spreadOf(result);
  assert.deepEqual([...spread.keys()].sort(), ALL_WORKERS.split(', '), `step 3: every worker should answer${describeOutput(result)}`);
  for (const [worker, count] of spread) {
    assert.ok(count >= 80 && count <= 120, `step 3: ${worker} answered ${count} of 400, not 80 to 120${describeOutput(result)}`);
  }
  assert.equal([...spread.values()].reduce((sum, count) => sum + count, 0), 400, `step 3: every request should be answered${describeOutput(result)}`);
});

guardedTest('step 3: a busy worker is passed over: connections go to the workers that are free', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('busy.ts');
  assertSucceeded(result, 'step 3: one worker busy for 1.5 s, 12 requests meanwhile');
  assertSameLines(result, ['the busy worker answered at most 1 of the 12: true', 'every request was answered: true'], 'step 3: a busy worker');
});

guardedTest('regression (lesson 3): a worker killed while connections stream in: the others keep answering, the primary carries on', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('killed.ts');
  assertSucceeded(result, 'step 3: worker 2 killed with SIGKILL mid-stream');
  for (const line of [
    'worker 2 exited: code null, signal SIGKILL',
    'before the kill, every worker answered: true',
    'after the exit, answers came from: worker 1, worker 3, worker 4',
    'the primary is still running: true',
  ]) {
    assert.ok(result.lines.includes(line), `step 3: expected the line "${line}"${describeOutput(result)}`);
  }
});

guardedTest('step 3: a connection on offer to a worker whose server then closes is refused, and goes to another worker', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('closing.ts', { NODE_CLUSTER_SCHED_POLICY: 'rr' });
  assertSucceeded(result, 'step 3: a worker closes its server while busy');
  // The sequence drawn in the README: the offer waits while the worker is
  // busy; its server closes; it refuses; the connection goes round again.
  assertSameLines(
    result,
    ['the busy worker answered its own request: true', 'both requests sent while it was busy were answered by the other worker: true'],
    'step 3: a connection offered to a worker whose server closes',
  );
});

guardedTest('step 3: a worker at its maxConnections refuses the offer, and the primary gives the connection to another', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('full.ts', { NODE_CLUSTER_SCHED_POLICY: 'rr' });
  assertSucceeded(result, 'step 3: worker 1 with maxConnections = 1');
  assert.deepEqual(
    result.lines,
    [
      'the first connection went to: worker 1 (maxConnections 1)',
      // Worker 1 is the free worker that has waited longest each time: it is
      // offered every connection first, and refuses while it is full.
      'while worker 1 is full, 4 connections went to: worker 2, worker 2, worker 2, worker 2',
      'worker 1 says: its connection closed',
      'once it has room again, the next went to: worker 1',
    ],
    `step 3: maxConnections under round-robin${describeOutput(result)}`,
  );
});

guardedTest('regression (lesson 4): a worker that leaves by itself (disconnect()) while connections stream in: none is lost, the others take over', { timeout: TIMEOUT }, async () => {
  const policies = ['rr', 'none'];
  const results = await Promise.all(policies.map((policy) => runFixture('leaving.ts', { NODE_CLUSTER_SCHED_POLICY: policy })));
  for (const [index, result] of results.entries()) {
    const policy = policies[index];
    const what = `step ${policy === 'rr' ? 3 : 4}: under NODE_CLUSTER_SCHED_POLICY=${policy}, worker 2 leaves mid-stream`;
    assertSucceeded(result, what);
    // Its server closes first: under round-robin it refuses what it is
    // offered from then on, and the primary offers that to another worker;
    // with a shared handle it stops accepting. What it has, it serves.
    for (const line of [
      'worker 2 left: code 0, signal null, exitedAfterDisconnect true',
      'every connection was echoed: true',
      'after worker 2 left, none came from it: true',
    ]) {
      assert.ok(result.lines.includes(line), `${what}: expected the line "${line}"${describeOutput(result)}`);
    }
    if (policy === 'rr') {
      // The kernel's choice (shared handle) may pass a worker over; round-robin does not.
      assert.equal(
        valueOf(result, 'after worker 2 left, echoes came from: ', what),
        'worker 1, worker 3, worker 4',
        `${what}: under round-robin every worker still listening should get some of the connections after worker 2 left${describeOutput(result)}`,
      );
    }
  }
});

guardedTest('regression (lesson 3): a plain net echo server is shared as well as an http one', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('echo.ts');
  assertSucceeded(result, 'step 3: 8 connections to 4 echo workers');
  const echoes = result.lines.map((line) => /^worker (\d) echoes ping (\d)$/.exec(line));
  assert.equal(echoes.length, 8, `step 3: 8 echoes expected${describeOutput(result)}`);
  for (const [index, echo] of echoes.entries()) {
    assert.equal(echo?.[2], String(index + 1), `step 3: line ${index + 1} should echo "ping ${index + 1}"${describeOutput(result)}`);
  }
  const workers = new Set(echoes.map((echo) => echo?.[1]));
  assert.equal(workers.size, 4, `step 3: every worker should echo some of the 8 connections${describeOutput(result)}`);
});

guardedTest('regression (lesson 3): after a failed listen, the primary and every worker keep serving', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('bind-error.ts', { SERVE: '1' });
  assertSucceeded(result, 'step 3: worker 1 fails to listen three times, then 40 requests');
  assert.equal(valueOf(result, 'the shared port answered: ', 'step 3'), ALL_WORKERS, `step 3: every worker should answer${describeOutput(result)}`);
});

// ------------------------------------------------------------ step 4

guardedTest('step 4: shared handle (SCHED_NONE): every worker holds the listening socket, every request is answered', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('spread.ts', { NODE_CLUSTER_SCHED_POLICY: 'none' });
  assertSucceeded(result, 'step 4: 400 requests under the shared handle');
  assert.equal(valueOf(result, 'schedulingPolicy ', 'step 4'), '1', `step 4: with NODE_CLUSTER_SCHED_POLICY=none, cluster.schedulingPolicy should be 1 (SCHED_NONE)${describeOutput(result)}`);
  // Node's primary keeps a copy too; ours does not (see the README).
  const holders = valueOf(result, 'listener held by: ', 'step 4').replace(/^primary, /, '');
  assert.equal(holders, ALL_WORKERS, `step 4: each worker should hold the listening socket itself${describeOutput(result)}`);
  assertNoConnectionLost(result, 'step 4');
  const spread = spreadOf(result);
  const answered = [...spread.values()].reduce((sum, count) => sum + count, 0);
  assert.equal(answered, 400, `step 4: every request should be answered${describeOutput(result)}`);
});

guardedTest("step 4: under SCHED_NONE a failed listen gives the worker's server the same error as under round-robin", { timeout: TIMEOUT }, async () => {
  const result = await runFixture('bind-error.ts', { NODE_CLUSTER_SCHED_POLICY: 'none' });
  assertBindErrors(result, 'step 4: under the shared handle');
});

guardedTest('step 4: cluster.schedulingPolicy = SCHED_NONE works until the first fork, and changes nothing after it', { timeout: TIMEOUT }, async () => {
  const [before, after] = await Promise.all([
    runFixture('spread.ts', { NODE_CLUSTER_SCHED_POLICY: 'rr', SET_POLICY: 'none', REQUESTS: '40' }),
    runFixture('spread.ts', { NODE_CLUSTER_SCHED_POLICY: 'rr', SET_POLICY_AFTER_FORK: 'none', REQUESTS: '40' }),
  ]);
  assertSucceeded(before, 'step 4: SCHED_NONE set before the first fork');
  assertSucceeded(after, 'step 4: SCHED_NONE set after the first fork');
  const holders = valueOf(before, 'listener held by: ', 'step 4').replace(/^primary, /, '');
  assert.equal(holders, ALL_WORKERS, `step 4: set before the first fork, SCHED_NONE is the policy${describeOutput(before)}`);
  assert.equal(valueOf(after, 'listener held by: ', 'step 4'), 'primary', `step 4: after the first fork, the policy is frozen${describeOutput(after)}`);
});
