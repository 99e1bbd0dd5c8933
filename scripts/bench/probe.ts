// Counters for the bench's breakdown run (`npm run bench -- --breakdown`),
// gathered from OUTSIDE the cluster under test: server.ts's processes load
// this file with `--require` before anything else, and it watches the two
// public seams every cluster's IPC goes through. Neither node:cluster nor
// ours knows it is there, and the solutions stay as they are.
//
//   in the primary   child_process.fork() is wrapped, so every worker's
//                    ChildProcess has its `_send` wrapped: each message the
//                    primary writes to a worker (the offers, child_process's
//                    own NODE_HANDLE_ACKs) is counted with its size;
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
}

type SendMethod = (message: unknown, handle?: unknown, options?: unknown, callback?: unknown) => boolean;
type Sender = { _send: SendMethod; _handleQueue?: unknown[] | null };

const counts: ProbeCounts = { messagesSent: 0, bytesSent: 0, handlesSent: 0, socketsMade: 0 };
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
    return send.call(this, message, handle, options, callback);
  };
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
