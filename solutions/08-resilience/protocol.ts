// The cluster's private protocol: the messages the primary and a worker
// exchange for themselves, on the same IPC channel as the program's own
// messages.
//
// Node tags its internal messages { cmd: 'NODE_CLUSTER' }, and child_process
// routes any message whose cmd starts with 'NODE_' to a hidden event, so user
// listeners never see them. That route is internal to Node, so we cannot
// use it. Instead we catch our messages where they arrive (see
// interceptInternalMessages) and mark them with a key that the primary draws
// at random when it starts: a program's own message can never carry it by
// accident, so it is never mistaken for ours, and ours never reach it.
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { traceMessage } from './trace';

/** An address to listen on, as the worker's program asked for it. */
export interface ListenAddress {
  /** the host given to listen(), or null for "every address"; for a pipe, its absolute path */
  address: string | null;
  /** -1 for a pipe; null for listen({ fd }) until the real port is known */
  port: number | null;
  /** as node reports it: 4 or 6 (TCP), -1 (a pipe), 'udp4' or 'udp6' (dgram), null (listen({ fd })) */
  addressType: AddressType;
  /** listen({ fd }): a socket the primary already has open, by its file descriptor (in the primary); -1 for dgram */
  fd?: number;
}

export type AddressType = number | 'udp4' | 'udp6' | null;

/** A listen request: the address, and which of this worker's servers on that address it is (0, 1, ...). */
export interface ListenQuery extends ListenAddress {
  index: number;
  /** the length of the queue of connections not yet accepted, when listen() was given one */
  backlog?: number;
}

/** Every kind of internal message, and the fields each one carries. */
export interface MessageKinds {
  /** worker → primary: the worker's cluster code is running. */
  online: Record<never, never>;
  /** worker → primary, a request: "let my server listen on this address". */
  queryServer: ListenQuery;
  /**
   * primary → worker, the reply: the shared listener's key, and either its
   * real address or the code of the error that stopped it (never both). In
   * shared-handle mode the listening server itself travels with it, as the handle.
   */
  serverShared:
    | { key: string; sockname: { address: string; family: string; port: number } | null; errorCode: null }
    | { key: string; sockname: null; errorCode: string };
  /** worker → primary: a server of mine is listening; the primary emits 'listening'. */
  listening: ListenAddress;
  // #region lesson-5-messages
  /** primary → worker: a new connection for the server listening as `key`; the socket is the handle. */
  newconn: { key: string };
  /** worker → primary, the reply: did the server take it? (No, if it has just closed or is full.) */
  newconnReply: { accepted: boolean };
  /** primary → worker, a request (shared-handle mode): "send me a copy of your listener for `key`". */
  lendServer: { key: string };
  /** worker → primary, the reply: the listening server travels as the handle (none if it has closed). */
  serverLent: Record<never, never>;
  // #endregion lesson-5-messages
  /** worker → primary: my server for `key` has closed; send me no more of its connections. */
  close: { key: string };
  /** primary → worker: close your servers, then your channel (the primary called worker.disconnect()). */
  disconnect: Record<never, never>;
  /** worker → primary, a request: "I am leaving on purpose" (so exitedAfterDisconnect becomes true). */
  exitedAfterDisconnect: Record<never, never>;
  /** the plain reply: "done". */
  ack: Record<never, never>;
}

export type Act = keyof MessageKinds;

/** What every internal message carries besides its kind's own fields. */
export interface Envelope {
  clusterKey: string;
  act: Act;
  /** set on a request: the reply carries it back as `ack` */
  seq?: number;
  /** set on a reply: the `seq` of the request it answers */
  ack?: number;
}

/** What travels on the channel: the envelope, and the fields of its kind. */
export type InternalMessage<K extends Act = Act> = Envelope & { act: K } & MessageKinds[K];

/** A handle sent along with a message (lesson 5 sends sockets and servers, lesson 7 UDP sockets). */
export type Handle = import('node:net').Socket | import('node:net').Server | import('node:dgram').Socket | undefined;

/** One key per primary, handed to its workers in their environment. */
export function newClusterKey(): string {
  return randomUUID();
}

export function isInternalMessage(message: unknown, clusterKey: string): message is InternalMessage {
  return typeof message === 'object' && message !== null && (message as InternalMessage).clusterKey === clusterKey;
}

/** The `send` both ends have: ChildProcess#send in the primary, process.send in a worker. */
type SendFunction = (
  message: InternalMessage,
  handle: Handle,
  options: object,
  callback: (error: Error | null) => void,
) => boolean;

type ReplyHandler = (reply: InternalMessage, handle: Handle) => void;

/**
 * One end of the private conversation between the primary and one worker.
 * It numbers requests and routes each reply back to whoever asked.
 */
export class InternalChannel {
  private lastSeq = 0;
  private readonly waitingForReply = new Map<number, ReplyHandler>();

  constructor(
    private readonly sendFunction: SendFunction,
    private readonly clusterKey: string,
    /** for the trace: "primary → worker 2" or "worker 2 → primary" */
    private readonly direction: string,
  ) {}

  /** Sends a message that expects no answer. */
  send<K extends Act>(act: K, fields: MessageKinds[K], handle?: Handle): void {
    this.write({ clusterKey: this.clusterKey, act, ...fields }, handle);
  }

  /** Sends a message and calls `onReply` when the other side answers it. */
  request<K extends Act>(act: K, fields: MessageKinds[K], onReply: ReplyHandler, handle?: Handle): void {
    const seq = ++this.lastSeq;
    this.waitingForReply.set(seq, onReply);
    this.write({ clusterKey: this.clusterKey, act, seq, ...fields }, handle);
  }

  /** Answers a request: the reply carries the request's seq as its ack. `onSent` runs once it is written. */
  reply<K extends Act>(request: InternalMessage, act: K, fields: MessageKinds[K], handle?: Handle, onSent?: () => void): void {
    this.write({ clusterKey: this.clusterKey, act, ack: request.seq, ...fields }, handle, onSent);
  }

  /**
   * Called with every internal message that arrives. A reply goes to the
   * request that is waiting for it; anything else goes to `onMessage`.
   */
  receive(message: InternalMessage, handle: Handle, onMessage: (message: InternalMessage, handle: Handle) => void): void {
    const waiting = message.ack === undefined ? undefined : this.waitingForReply.get(message.ack);
    if (waiting) {
      this.waitingForReply.delete(message.ack!);
      waiting(message, handle);
    } else {
      onMessage(message, handle);
    }
  }

  // #region keep-open
  private write(message: Envelope, handle: Handle, onSent?: () => void): void {
    traceMessage(this.direction, message, handle);
    // keepOpen: a socket we send stays open on our side too, so that the
    // sender decides when to close it (round-robin closes it only once the
    // worker has accepted the connection). A write to a channel that has
    // just closed fails; the 'disconnect' and 'exit' events tell the rest of
    // the cluster, so there is nothing to add.
    this.sendFunction(message, handle, { keepOpen: true }, () => onSent?.());
  }
  // #endregion keep-open
}

/**
 * Takes our internal messages out of `emitter`'s 'message' events (the
 * worker's global process, or a worker's ChildProcess in the primary) and
 * hands them to `onInternal`. Everything else is emitted as usual, so the
 * program's own listeners see exactly the messages the program sent.
 */
export function interceptInternalMessages(
  emitter: EventEmitter,
  clusterKey: string,
  onInternal: (message: InternalMessage, handle: Handle) => void,
): void {
  const emit = emitter.emit;
  emitter.emit = function emitUnlessInternal(this: EventEmitter, event: string | symbol, ...args: unknown[]) {
    if (event === 'message' && isInternalMessage(args[0], clusterKey)) {
      onInternal(args[0], args[1] as Handle);
      return true;
    }
    return emit.call(this, event, ...args);
  } as typeof emitter.emit;
}
