// Step 5: draining one worker; step 6: SIGTERM and SIGINT to the primary.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { guardedTest } from '../../../testing/guard';
import { describeOutput } from '../../../testing/program';
import { get } from '../load';
import { endFixture, expectLine, startFixture, withOptions } from './helpers';

/** An idle keep-alive connection to the cluster: resolves once it has been used once; `closed` tells when it closes. */
async function idleKeepAliveConnection(port: number): Promise<{ closed: Promise<number> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const answer = await get(port, '/', agent);
  assert.ok(answer.ok, `step 5: the first request should be answered: ${answer.text}`);
  const socket = Object.values(agent.freeSockets).flat()[0];
  assert.ok(socket, 'step 5: the keep-alive connection should stay open after its answer');
  return { closed: new Promise((resolve) => socket.once('close', () => resolve(Date.now()))) };
}

/** A GET on a keep-alive connection of its own: resolves with the answer's Connection header and when its connection closed. */
function keepAliveGet(port: number, path: string): Promise<{ connection: string | undefined; closedAt: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume();
      response.on('end', () => {
        const socket = response.socket;
        const done = () => resolve({ connection: response.headers.connection, closedAt: Date.now() });
        if (socket.destroyed) done();
        else socket.once('close', done);
        // Bounded: a connection the server keeps open is closed by us after 5 s (and the test sees it was not closed by the server).
        setTimeout(() => agent.destroy(), 5000).unref();
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ connection: `failed (${error.code})`, closedAt: Date.now() }));
  });
}

guardedTest('step 5: a drain closes idle keep-alive connections at once, lets requests in flight finish, and kills the worker after the timeout', { timeout: 40_000 }, async () => {
  const fixture = await startFixture('drain.ts', 5);
  const idle = await idleKeepAliveConnection(fixture.port);
  const slow = ['s1', 's2'].map((id) => get(fixture.port, `/slow?ms=1500&id=${id}`).then((answer) => ({ ...answer, at: Date.now() })));
  const busyKeepAlive = keepAliveGet(fixture.port, '/slow?ms=1500&id=k1');
  const hung = get(fixture.port, '/hang?id=h1');
  for (const id of ['s1', 's2', 'k1', 'h1']) await expectLine(fixture, new RegExp(`^worker 1 took ${id}$`), 5, `the worker should receive request ${id}`);
  fixture.child.kill('SIGURG');
  await expectLine(fixture, /^draining worker 1$/, 5, 'the fixture should start the drain');
  const [first, second] = await Promise.all(slow);
  const idleClosedAt = await idle.closed;
  const hungAnswer = await hung;
  const busy = await busyKeepAlive;
  const result = await fixture.finished;
  assert.ok(first.ok && second.ok, `step 5: both requests in flight should be answered during the drain: ${JSON.stringify([first, second])}${describeOutput(result)}`);
  assert.ok(idleClosedAt < Math.min(first.at, second.at), `step 5: the idle keep-alive connection should close as the drain starts, before the slow answers${describeOutput(result)}`);
  assert.equal(busy.connection, 'close', `step 5: a keep-alive connection busy when the drain starts should be answered with "Connection: close", so that it closes after its answer${describeOutput(result)}`);
  assert.equal(hungAnswer.ok, false, 'step 5: the request that never ends goes with its worker');
  assert.ok(result.lines.some((line) => /^drain over after \d+ ms, killed: true$/.test(line)), `step 5: the worker held by a request that never ends should be killed after the drain timeout${describeOutput(result)}`);
  assert.ok(result.lines.includes('exit: worker 1, code null, signal SIGKILL, after disconnect: true'), `step 5: a drained worker leaves after disconnect(), so it is not restarted${describeOutput(result)}`);
  assert.equal(result.code, 0, `step 5: with its only worker drained, the primary should end by itself${describeOutput(result)}`);
});

/** What a connection opened now gets back for a request sent on it later, when `send()` is called: all it received, or how it failed. */
function connectionWithLateRequest(port: number): { send: () => Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  const ended = new Promise<string>((resolve) => {
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`${received}failed (${error.code})`));
    socket.on('close', () => resolve(received || 'closed with nothing received'));
  });
  // Bounded: a connection still open after 10 s is ended by us.
  setTimeout(() => socket.destroy(), 10_000).unref();
  return {
    send: () => {
      if (!socket.destroyed) socket.write('GET /?id=late HTTP/1.1\r\nHost: localhost\r\n\r\n');
      return ended;
    },
  };
}

guardedTest('step 5: a connection handed to a worker just before its drain is answered, even when its request comes after the drain began', { timeout: 40_000 }, async () => {
  const fixture = await startFixture('drain.ts', 5, { APP_LOG_CONNECTIONS: '1' });
  const early = connectionWithLateRequest(fixture.port);
  await expectLine(fixture, /^worker 1 got a connection$/, 5, 'the worker should receive the connection');
  fixture.child.kill('SIGURG');
  await expectLine(fixture, /^draining worker 1$/, 5, 'the fixture should start the drain');
  // Once the drain has closed the worker's server (or ended the worker), the request goes.
  await expectLine(fixture, /^(worker 1 stopped listening|exit: worker 1,.*)$/, 5, "disconnect() should close the drained worker's server");
  const answer = await early.send();
  const result = await fixture.finished;
  assert.match(
    answer,
    /^HTTP\/1\.1 200 OK\r\n(.+\r\n)*Connection: close\r\n/,
    `step 5: a connection the worker already had when the drain began is one of its connections in flight: its request, sent after the drain began, should be answered with "Connection: close", not closed unanswered; it got: ${JSON.stringify(answer)}${describeOutput(result)}`,
  );
  assert.ok(result.lines.some((line) => /^drain over after \d+ ms, killed: false$/.test(line)), `step 5: once that answer is sent, the worker should leave by itself${describeOutput(result)}`);
});

guardedTest('step 6: SIGTERM to the primary drains every worker, loses no request in flight, and exits 0', { timeout: 40_000 }, async () => {
  const fixture = await startFixture('supervised.ts', 6, withOptions({ workers: 2, env: { APP_LOG: '1' } }));
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const answers = Promise.all(ids.map((id) => get(fixture.port, `/slow?ms=1500&id=${id}`)));
  for (const id of ids) await expectLine(fixture, new RegExp(`^worker \\d took ${id}$`), 6, `a worker should receive request ${id}`);
  fixture.child.kill('SIGTERM');
  const result = await fixture.finished;
  const got = await answers;
  assert.ok(got.every((answer) => answer.ok), `step 6: every request in flight at SIGTERM should be answered: ${JSON.stringify(got)}${describeOutput(result)}`);
  assert.ok(result.lines.includes('supervisor: SIGTERM: draining 2 workers, then exiting (SIGTERM again: at once)'), `step 6: the supervisor should say it drains${describeOutput(result)}`);
  assert.ok(result.lines.includes('supervisor: every worker has left; exiting'), `step 6: ... and that every worker has left${describeOutput(result)}`);
  assert.equal(result.code, 0, `step 6: after the drain the primary should exit 0${describeOutput(result)}`);
  assert.equal(result.lines.filter((line) => /after disconnect: false/.test(line)).length, 0, `step 6: every worker should leave after disconnect()${describeOutput(result)}`);
});

guardedTest('step 6: a second signal during the drain kills the workers and exits at once', { timeout: 40_000 }, async () => {
  const fixture = await startFixture('supervised.ts', 6, withOptions({ workers: 1, drainTimeout: 60_000, env: { APP_LOG: '1' } }));
  const hung = get(fixture.port, '/hang?id=h');
  await expectLine(fixture, /^worker 1 took h$/, 6, 'the worker should receive the request that never ends');
  fixture.child.kill('SIGTERM');
  await expectLine(fixture, /^supervisor: SIGTERM: draining 1 workers/, 6, 'the first SIGTERM should start the drain');
  fixture.child.kill('SIGINT');
  const result = await fixture.finished;
  await hung;
  assert.ok(result.lines.includes('supervisor: SIGINT again: killing the workers and exiting now'), `step 6: the second signal should be acknowledged${describeOutput(result)}`);
  assert.equal(result.code, 130, `step 6: the primary should exit at once with 128 + SIGINT's number${describeOutput(result)}`);
});
