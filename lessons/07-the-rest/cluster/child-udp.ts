// UDP inside a worker: dgram sockets are shared through the primary too.
//
// A worker that binds a dgram socket to a port the other workers bind as well
// would get EADDRINUSE, as with TCP. So node's dgram, in a worker, asks the
// primary: the primary binds the socket once and hands every worker that asks
// for the same address the socket itself (a shared handle, whatever the
// scheduling policy: UDP has no connections to hand out one by one). Each
// datagram then reaches one of the workers, as the kernel decides.
// `bind({ exclusive: true })` opts out: that worker binds a socket of its own.
//
// Node does this inside lib/dgram.js; we replace dgram.Socket's bind() in the
// worker, as child-listen.ts replaces net.Server's listen().
import dgram from 'node:dgram';
import dns from 'node:dns';
import type { Handle, InternalChannel, ListenQuery } from './protocol';
import { announceListening, listenError, nextIndex, releaseIndex } from './child-listen';
import type { Worker } from './worker';
import { todo } from '../../todo';

/** What a bind() call asked for, once its signatures are read. */
interface BindRequest {
  port: number;
  address: string | undefined;
  callback?: () => void;
}

/** A program's socket, and the shared one the primary sent for it. */
interface SharedUdpSocket {
  socket: dgram.Socket;
  copy: dgram.Socket;
  wanted: ListenQuery;
}

/** This worker's sockets bound through the primary, by key. */
const sharedSockets = new Map<string, SharedUdpSocket>();

// #region intercept-bind
export function routeBindThroughPrimary(worker: Worker, channel: InternalChannel): void {
  const bindForReal = dgram.Socket.prototype.bind;
  dgram.Socket.prototype.bind = function bind(this: dgram.Socket, ...args: unknown[]) {
    const request = readBindArguments(args);
    // `exclusive: true`, an fd, or a handle (a socket arriving over IPC binds that way): the worker binds by itself.
    if (request === undefined) return bindForReal.apply(this, args as Parameters<typeof bindForReal>);
    if (request.callback) this.once('listening', request.callback);
    askPrimaryForSocket(this, request, worker, channel);
    return this;
  } as typeof bindForReal;
}

/** Reads bind(port, address, cb) and bind({ port, address, exclusive }, cb); undefined for what the worker binds alone. */
function readBindArguments(args: unknown[]): BindRequest | undefined {
  const last = args[args.length - 1];
  const callback = typeof last === 'function' ? (last as () => void) : undefined;
  const [first, second] = args;
  if (typeof first === 'object' && first !== null) {
    // Only a plain options object: anything else is a handle.
    if (Object.getPrototypeOf(first) !== Object.prototype) return undefined;
    const options = first as dgram.BindOptions;
    if (options.exclusive || options.fd !== undefined) return undefined;
    return { port: Number(options.port ?? 0), address: options.address, callback };
  }
  return { port: Number(typeof first === 'function' ? 0 : (first ?? 0)), address: typeof second === 'string' ? second : undefined, callback };
}
// #endregion intercept-bind

// #region ask-primary-udp
function askPrimaryForSocket(
  socket: dgram.Socket,
  request: BindRequest,
  worker: Worker,
  channel: InternalChannel,
): void {
  // #step 7.3 ask-for-socket
  todo(7, 3, `this worker binds a ${typeOf(socket)} socket to port ${request.port}. In node:cluster the worker ` +
    'asks the primary, which binds it once and sends the socket itself to every worker that asks for the same address; ' +
    "the socket then emits 'listening', and the primary emits 'listening' with addressType 'udp4' or 'udp6'.");
  // #endstep 7.3 ask-for-socket
}
// #endregion ask-primary-udp

/** 'udp4' or 'udp6': what the program created, read back the public way. */
function typeOf(socket: dgram.Socket): 'udp4' | 'udp6' {
  return (socket as dgram.Socket & { type: 'udp4' | 'udp6' }).type;
}

/** The methods of a dgram.Socket that act on its bound socket: the program's calls them, the shared copy answers. */
const DELEGATED = [
  'address', 'send', 'connect', 'disconnect', 'remoteAddress', 'ref', 'unref', 'setBroadcast', 'setTTL',
  'setMulticastTTL', 'setMulticastLoopback', 'setMulticastInterface', 'addMembership', 'dropMembership',
  'addSourceSpecificMembership', 'dropSourceSpecificMembership', 'setRecvBufferSize', 'setSendBufferSize',
  'getRecvBufferSize', 'getSendBufferSize', 'getSendQueueSize', 'getSendQueueCount',
] as const;

// #region use-shared-socket
/**
 * The program keeps its own dgram.Socket object; the socket that reads and
 * writes is the primary's copy. So the program's object forwards its calls to
 * the copy, and the copy's datagrams and errors come out of the program's
 * object. (Node swaps the handle inside the object; that is internal to node.)
 */
function useSharedSocket(socket: dgram.Socket, shared: SharedUdpSocket, key: string, channel: InternalChannel): void {
  sharedSockets.set(key, shared);
  const { copy } = shared;
  const methods = socket as unknown as Record<string, unknown>;
  for (const name of DELEGATED) {
    const method = (copy as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
    methods[name] = (...args: unknown[]) => {
      const result = method.apply(copy, args);
      return result === copy ? socket : result; // chaining returns the program's object
    };
  }
  copy.on('message', (message, remote) => socket.emit('message', message, remote));
  copy.on('error', (error) => socket.emit('error', error));
  copy.on('connect', () => socket.emit('connect'));
  const closeForReal = socket.close;
  socket.close = function close(callback?: () => void) {
    if (sharedSockets.get(key) === shared) {
      // As node's worker does: tell the primary, free the index, close our copy.
      sharedSockets.delete(key);
      releaseIndex(shared.wanted);
      channel.send('close', { key });
      copy.close();
    }
    return closeForReal.call(socket, callback);
  };
}
// #endregion use-shared-socket

/** The shared socket for `key`, for the primary to pass to another worker. */
export function udpSocketToLend(key: string): Handle {
  return sharedSockets.get(key)?.copy;
}

/** Closes every UDP socket bound through the primary (worker.disconnect()), then calls `done`. */
export function closeEveryUdpSocket(done: () => void): void {
  const open = [...sharedSockets.values()];
  if (open.length === 0) return done();
  let stillOpen = open.length;
  for (const { socket } of open) {
    socket.close(() => {
      if (--stillOpen === 0) done();
    });
  }
}
