// Lesson 2, steps 2 and 4, on the private protocol alone, with no processes.
// Step 2 on its own changes nothing a program can see yet (the cluster sends
// its first message in step 3), so its test drives interceptInternalMessages()
// on a plain EventEmitter. Nothing in lesson 2 asks a question yet (lessons 3
// to 5 do), so step 4's test joins two InternalChannels back to back.
// node:cluster keeps both inside Node, where no test can reach them, so on
// node these tests are skipped.
import assert from 'node:assert/strict';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { guardedTest } from '../../../testing/guard';
import { onNode } from '../../../testing/target';

const skip = onNode && "node:cluster's request/reply pairing is internal to Node; these tests check the course's protocol.ts";
const CLUSTER_KEY = 'key-of-this-test';

/** What these tests use of protocol.ts (typed loosely: any act will do for pairing). */
interface Message {
  clusterKey: string;
  act: string;
  seq?: number;
  ack?: number;
  [field: string]: unknown;
}
type Send = (message: Message, handle: undefined, options: object, callback: (error: Error | null) => void) => boolean;
interface Channel {
  send(act: string, fields: object): void;
  request(act: string, fields: object, onReply: (reply: Message) => void): void;
  reply(request: Message, act: string, fields: object): void;
  receive(message: Message, handle: undefined, onMessage: (message: Message) => void): void;
}
interface ProtocolModule {
  InternalChannel: new (send: Send, clusterKey: string, direction: string) => Channel;
  interceptInternalMessages(
    emitter: EventEmitter,
    clusterKey: string,
    onInternal: (message: Message, handle: unknown) => void,
  ): void;
}

/** protocol.ts of the code under test (CLUSTER_TARGET is its folder). */
function loadProtocol(): ProtocolModule {
  return require(path.resolve(__dirname, '..', '..', '..', process.env.CLUSTER_TARGET!, 'protocol'));
}

type Side = 'primary' | 'worker';

/**
 * A primary's and a worker's channel, joined back to back. What one sends
 * reaches the other a turn later, as over a real pipe. Messages that are no
 * reply land in `ordinary[side]`.
 */
function joinedChannels() {
  const { InternalChannel } = loadProtocol();
  const wire: Message[] = [];
  const ordinary: Record<Side, Message[]> = { primary: [], worker: [] };
  const ends = {} as Record<Side, Channel>;
  const sendTo =
    (to: Side): Send =>
    (message, handle, _options, callback) => {
      wire.push(message);
      setImmediate(() => {
        ends[to].receive(message, handle, (received) => ordinary[to].push(received));
        callback(null);
      });
      return true;
    };
  ends.primary = new InternalChannel(sendTo('worker'), CLUSTER_KEY, 'primary → worker 1');
  ends.worker = new InternalChannel(sendTo('primary'), CLUSTER_KEY, 'worker 1 → primary');
  return { ...ends, wire, ordinary };
}

const settle = async () => {
  for (let turn = 0; turn < 3; turn++) await nextTurn();
};

guardedTest("step 2: the cluster's own messages go to the cluster, and to no 'message' listener", { skip }, async () => {
  const { interceptInternalMessages } = loadProtocol();
  // Stands for a worker's ChildProcess, or for process in a worker.
  const channelEnd = new EventEmitter();
  const heard: string[] = [];
  const listener = (where: string) => (message: unknown) => heard.push(`${where}: ${JSON.stringify(message)}`);
  channelEnd.on('message', listener('added before the cluster'));
  const toCluster: Array<[Message, unknown]> = [];
  interceptInternalMessages(channelEnd, CLUSTER_KEY, (message, handle) => toCluster.push([message, handle]));
  channelEnd.on('message', listener('added after'));
  channelEnd.prependListener('message', listener('prepended after'));
  const otherEvents: unknown[] = [];
  channelEnd.on('error', (error) => otherEvents.push(error));

  const ours = { clusterKey: CLUSTER_KEY, act: 'online' };
  const handle = { a: 'socket' };
  const lookAlikes = [{ clusterKey: 'another cluster', act: 'online' }, { act: 'online' }, { cmd: 'CLUSTER' }, null, 'text'];
  assert.equal(channelEnd.emit('message', ours, handle), true, "emitting the cluster's message counts as handled");
  for (const message of lookAlikes) channelEnd.emit('message', message, undefined);
  const problem = new Error('a channel error');
  channelEnd.emit('error', problem);

  assert.deepEqual(toCluster, [[ours, handle]], "step 2: the cluster gets its own message, with its handle, and nothing else");
  const expected = ['prepended after', 'added before the cluster', 'added after'];
  assert.deepEqual(
    heard,
    lookAlikes.flatMap((message) => expected.map((where) => `${where}: ${JSON.stringify(message)}`)),
    "the program's 'message' listeners get every message without this cluster's key, whatever its shape, and never " +
      "the cluster's own, whenever they were added",
  );
  assert.deepEqual(otherEvents, [problem], "other events than 'message' are emitted as before");
});

guardedTest('step 4: each reply reaches the request that asked, even when replies come in another order', { skip }, async () => {
  const { primary, worker, wire, ordinary } = joinedChannels();
  const answered: string[] = [];
  primary.request('question', { text: 'first' }, (reply) => answered.push(`first got ${reply.text}`));
  primary.request('question', { text: 'second' }, (reply) => answered.push(`second got ${reply.text}`));
  await settle();
  const [first, second] = ordinary.worker;
  assert.deepEqual([first?.text, second?.text], ['first', 'second'], 'both requests reached the worker as messages');
  assert.ok(typeof first.seq === 'number' && typeof second.seq === 'number', 'a request carries a seq');
  assert.notEqual(first.seq, second.seq, 'each request has its own seq');

  worker.reply(second, 'answer', { text: 'answer two' });
  worker.reply(first, 'answer', { text: 'answer one' });
  await settle();
  assert.deepEqual(answered, ['second got answer two', 'first got answer one']);
  assert.deepEqual(ordinary.primary, [], "a reply goes to its request's callback, not to the ordinary messages");
  assert.deepEqual(
    wire.filter((message) => message.act === 'answer').map((message) => message.ack),
    [second.seq, first.seq],
    'a reply carries its request’s seq as ack',
  );
  assert.ok(wire.every((message) => message.clusterKey === CLUSTER_KEY), 'every message carries the cluster key');
});
