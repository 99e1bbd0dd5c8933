// Counters for the bench's breakdown run (`npm run bench -- --breakdown`),
// gathered from OUTSIDE the cluster under test: server.ts's processes load
// this file with `--require` before anything else, and it watches the two
// public seams every cluster's IPC goes through. Neither node:cluster nor
// ours knows it is there, and the solutions stay as they are.
//
//   in the primary   child_process.fork() is wrapped, so every worker's
//                    ChildProcess has its `_send` wrapped: each message the
//                    primary writes to a worker (the offers, child_process's
//                    own NODE_HANDLE_ACKs) is counted with its size, and
//                    each answer to an offer is timed from the offer;
//                    diagnostics_channel counts the net.Socket objects net
//                    makes ('net.server.socket', 'net.client.socket').
//   in a worker      process._send is wrapped the same way: what a worker
//                    writes is what the primary reads (the answers, the ACKs).
//
// `_send` is child_process's own, undocumented, method: every message goes
// through it (send() calls it, and so do the ACKs), which is why we count
// there. It costs a JSON.stringify per message, so these counters are only
// loaded in the breakdown run, never in the timed rounds.
import childProcess, { type ChildProcess } from 'node:child_process';
import diagnosticsChannel from 'node:diagnostics_channel';
import net from 'node:net';

/** What one process wrote on its IPC channels, and how many sockets net made in it. */
export interface ProbeCounts {
  messagesSent: number;
  /** bytes of the JSON lines written, framed as child_process frames them */
  bytesSent: number;
  /** messages that carried a handle (a socket, a server, a raw handle) */
  handlesSent: number;
  /** net.Socket objects net made in this process: accepted by a server, or connected */
  socketsMade: number;
  /** primary: answers to offers read (a message with a boolean `accepted`, node's and ours alike) */
  answers: number;
  /** primary: µs from sending an offer to reading its answer, added up (divide by answers) */
  answerMicros: number;
  /** primary: offers made while every other worker still had an offer unanswered */
  offersWithNoOtherFree: number;
}

type SendMethod = (message: unknown, handle?: unknown, options?: unknown, callback?: unknown) => boolean;
type Sender = { _send: SendMethod; _handleQueue?: unknown[] | null };

const counts: ProbeCounts = {
  messagesSent: 0,
  bytesSent: 0,
  handlesSent: 0,
  socketsMade: 0,
  answers: 0,
  answerMicros: 0,
  offersWithNoOtherFree: 0,
};
/** primary: each worker's ChildProcess, and when its unanswered offer (if any) was sent, in µs */
const offeredAt = new Map<object, number | undefined>();
const BENCH_TAG = /^bench:/;

/** Read by server.ts: the counts so far, or undefined when this file is not loaded. */
(globalThis as { __benchProbe?: () => ProbeCounts }).__benchProbe = () => ({ ...counts });

diagnosticsChannel.subscribe('net.server.socket', () => counts.socketsMade++);
diagnosticsChannel.subscribe('net.client.socket', () => counts.socketsMade++);

if (typeof process.send === 'function') {
  countSends(process as unknown as Sender);
} else {
  const fork = childProcess.fork;
  // node:cluster takes fork from this module when it loads, after this runs.
  childProcess.fork = function countingFork(this: unknown, ...args: unknown[]) {
    const child = (fork as (...a: unknown[]) => ChildProcess).apply(this, args);
    countSends(child as unknown as Sender);
    offeredAt.set(child, undefined);
    child.once('exit', () => offeredAt.delete(child));
    // After the cluster has set up its own listeners (ours wraps emit): ours must see the message first.
    setImmediate(() => timeAnswers(child));
    return child;
  } as typeof childProcess.fork;
}

function countSends(sender: Sender): void {
  const send = sender._send;
  if (typeof send !== 'function') return;
  sender._send = function countingSend(this: Sender, message, handle, options, callback) {
    // While a handle is on its way, child_process queues every other message
    // and calls _send again for it once the ACK comes: count it then.
    const command = (message as { cmd?: unknown } | null)?.cmd;
    const queued = this._handleQueue != null && command !== 'NODE_HANDLE_ACK' && command !== 'NODE_HANDLE_NACK';
    if (!queued && !isBenchMessage(message)) count(message, handle);
    if (handle && offeredAt.has(this)) noteOffer(this);
    return send.call(this, message, handle, options, callback);
  };
}

/** An offer to `child` (a message with a handle, on its way or queued). */
function noteOffer(child: object): void {
  let othersBusy = 0;
  for (const [other, at] of offeredAt) if (other !== child && at !== undefined) othersBusy++;
  if (offeredAt.size > 1 && othersBusy === offeredAt.size - 1) counts.offersWithNoOtherFree++;
  offeredAt.set(child, clockMicros());
}

/** Times each answer: node's { cmd: 'NODE_CLUSTER', accepted } and ours { act: 'newconnReply', accepted } alike. */
function timeAnswers(child: ChildProcess): void {
  const emit = child.emit;
  child.emit = function emitTimingAnswers(this: ChildProcess, event: string | symbol, ...args: unknown[]) {
    const message = args[0] as { accepted?: unknown } | null;
    if ((event === 'message' || event === 'internalMessage') && typeof message?.accepted === 'boolean') {
      const at = offeredAt.get(child);
      if (at !== undefined) {
        counts.answers++;
        counts.answerMicros += clockMicros() - at;
        offeredAt.set(child, undefined);
      }
    }
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof child.emit;
}

function clockMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function isBenchMessage(message: unknown): boolean {
  const tag = (message as { tag?: unknown } | null)?.tag;
  return typeof tag === 'string' && BENCH_TAG.test(tag);
}

function count(message: unknown, handle: unknown): void {
  counts.messagesSent++;
  if (handle) counts.handlesSent++;
  const framed = handle ? { cmd: 'NODE_HANDLE', type: handleType(handle), msg: message, ...socketKey(handle) } : message;
  counts.bytesSent += Buffer.byteLength(JSON.stringify(framed)) + 1; // one JSON line per message
}

/** The type child_process writes in the envelope of a message that carries a handle. */
function handleType(handle: unknown): string {
  if (handle instanceof net.Socket) return 'net.Socket';
  if (handle instanceof net.Server) return 'net.Server';
  return 'net.Native';
}

/** child_process adds the server's key to a net.Socket that a server accepted. */
function socketKey(handle: unknown): { key?: string } {
  const server = handle instanceof net.Socket ? (handle as net.Socket & { server?: { _connectionKey?: string } }).server : undefined;
  return server?._connectionKey ? { key: server._connectionKey } : {};
}
