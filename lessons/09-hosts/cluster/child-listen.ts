// Listening inside a worker. A worker must not bind the port itself: a second
// process binding 127.0.0.1:3000 fails with EADDRINUSE. So, in a worker, we
// replace net.Server's listen() (http.Server inherits it) with one that asks
// the primary to share its listener, and then feeds the server the
// connections the primary hands over.
//
// Node does the same inside lib/net.js, which calls into the cluster when a
// worker listens; that call is internal, so we intercept listen() instead.
//
// The primary answers in one of two ways (see scheduling-policy.ts):
//   round-robin:    no socket comes back. The server gets no socket of its
//                   own; the primary offers it connections one by one.
//   shared handle:  the listening socket itself comes back, and the server
//                   listens on it for real.
import type { MessageOptions } from 'node:child_process';
import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressType, Handle, InternalChannel, ListenAddress, ListenQuery, MessageKinds } from './protocol';
import type { Worker } from './worker';
import { bindsItsOwnReusePortSocket } from './reuse-port';

type Sockname = NonNullable<MessageKinds['queryServerReply']['sockname']>;

/** listen({ fd }) is documented as listen(handle), so Node's types leave `fd` out of the options. */
type ListenOptionsWithFd = net.ListenOptions & { fd?: number };

/** What a listen() call asked for, once its many signatures are read. */
interface ListenRequest {
  /** -1 for a pipe, null for an fd */
  port: number | null;
  /** the host, or a pipe's absolute path */
  host: string | null;
  /** a pipe's path as the program gave it: server.address() returns it */
  pipeName?: string;
  backlog?: number;
  fd?: number;
  callback?: () => void;
}

/** The servers of this worker that listen through the primary, by key. */
const routedServers = new Map<string, RoutedServer>();
/** For each address, the next index to give and the indexes of the servers still open (see nextIndex). */
const indexesPerAddress = new Map<string, { next: number; inUse: Set<number> }>();

// #region intercept-listen
export function routeListenThroughPrimary(worker: Worker, channel: InternalChannel): void {
  const listenForReal = net.Server.prototype.listen;
  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    const request = readListenArguments(args);
    // An existing handle, `exclusive: true` or `reusePort: true` (reuse-port.ts): nothing to share, the worker
    // binds by itself.
    if (request === undefined) return listenForReal.apply(this, args as Parameters<typeof listenForReal>);
    if (request.callback) this.once('listening', request.callback);
    askPrimaryToListen(this, request, worker, channel);
    return this;
  } as typeof listenForReal;
}

/**
 * Reads listen(port, host, backlog, cb), listen(path, cb), listen({ port, host }, cb), listen({ fd }), listen(cb)
 * and friends; undefined for what the worker binds by itself.
 */
function readListenArguments(args: unknown[]): ListenRequest | undefined {
  const last = args[args.length - 1];
  const callback = typeof last === 'function' ? (last as () => void) : undefined;
  const [first, second] = args;
  // A handle (a server or a raw handle, as when a listener arrives over IPC) is no options object: nothing to share.
  if (typeof first === 'object' && first !== null && Object.getPrototypeOf(first) !== Object.prototype) return undefined;
  const { backlog, fd } = backlogAndFd(args);
  if (typeof first === 'object' && first !== null) {
    const options = first as net.ListenOptions;
    if (options.exclusive || bindsItsOwnReusePortSocket(options)) return undefined;
    if (fd !== undefined) return { port: null, host: null, fd, backlog, callback };
    if (typeof options.path === 'string') return { ...pipeRequest(options.path), backlog, callback };
    // As in net, an options object names a port only if it has a `port` field.
    if (!('port' in options)) return undefined;
    return { port: Number(options.port ?? 0), host: options.host ?? null, backlog, callback };
  }
  // #region listen-callback
  // #step 7.2 listen-callback
  // listen(), listen(null) and listen(callback) mean "any port", as listen(0) does.
  const isPort = first === undefined || first === null || typeof first === 'function' || typeof first === 'number' || /^\d+$/.test(String(first));
  // #endstep 7.2 listen-callback
  // #endregion listen-callback
  if (!isPort) return typeof first === 'string' ? { ...pipeRequest(first), backlog, callback } : undefined;
  const port = typeof first === 'function' ? 0 : Number(first ?? 0);
  return { port, host: typeof second === 'string' ? second : null, backlog, callback };
}

// #region pipe-request
/** listen('/path/to.sock') or listen('app.sock'): a pipe, shared through the primary like a port. */
function pipeRequest(given: string): ListenRequest {
  // #step 7.1 pipe-request
  // The path is read where the program runs: a relative one is relative to
  // this worker's working directory, not the primary's.
  return { port: -1, host: path.resolve(given), pipeName: given };
  // #endstep 7.1 pipe-request
}
// #endregion pipe-request

// #region backlog-and-fd
/** Two more things net reads from listen()'s arguments, which the primary's listener needs too. */
function backlogAndFd(args: unknown[]): { backlog?: number; fd?: number } {
  // #step 7.2 backlog-and-fd
  const [first] = args;
  const options: ListenOptionsWithFd = typeof first === 'object' && first !== null ? first : {};
  // The backlog: an option, or a number right after the port or path (or after the host), as in net.
  const backlog = options.backlog ?? [args[1], args[2]].find((arg): arg is number => typeof arg === 'number' && arg >= 0);
  // An fd names a socket that is already open: the primary's, since the primary listens.
  const fd = typeof options.fd === 'number' && options.fd >= 0 ? options.fd : undefined;
  return { backlog, fd };
  // #endstep 7.2 backlog-and-fd
}
// #endregion backlog-and-fd
// #endregion intercept-listen

// #region ask-primary
function askPrimaryToListen(
  server: net.Server,
  request: ListenRequest,
  worker: Worker,
  channel: InternalChannel,
): void {
  resolveHost(request, (error, address, addressType) => {
    if (error) {
      server.emit('error', error);
      return;
    }
    // Our 'listening' listener goes on now, before the reply: with no host
    // that is still inside listen(), so the primary hears of 'listening' before
    // the program's own listeners run (one of them may end the worker).
    let listeningOn: ListenAddress | undefined;
    server.once('listening', () => {
      // The program may have closed the server in its own listen() callback
      // (worker.disconnect() there does): then, as in node, nothing is announced.
      if (listeningOn && server.listening) announceListening(worker, channel, listeningOn);
    });
    const { backlog, fd } = request;
    const index = nextIndex(address, request.port, addressType);
    const wanted: ListenQuery = { address, port: request.port, addressType, index, backlog, fd };
    channel.request('queryServer', wanted, (reply, handle) => {
      const { key, sockname, errorCode } = reply;
      if (errorCode !== null) {
        server.emit('error', listenError(errorCode, wanted));
        return;
      }
      // Like node, the primary hears of it with the port filled in (a pipe has none: -1),
      // and the fd listen() was given, if any.
      listeningOn = { address, port: sockname?.port ?? request.port, addressType, fd };
      if (handle instanceof net.Server) {
        listenOnSharedHandle(server, key, handle, wanted, channel);
      } else {
        adoptRoundRobinServer(server, key, sockname ?? request.pipeName ?? null, wanted, channel);
        server.emit('listening');
      }
    });
  });
}
// #endregion ask-primary

/** The server listens: the worker's state says so, and the primary hears of it, with the real port. */
export function announceListening(worker: Worker, channel: InternalChannel, address: ListenAddress): void {
  worker.state = 'listening';
  channel.send('listening', address);
}

/**
 * Like net, a host is looked up first, even an IP address (the answer comes
 * on a later tick, as net's does); no host means every address (IPv4 type),
 * at once. A pipe is type -1, an fd null.
 */
function resolveHost(
  { host, port, fd }: ListenRequest,
  done: (error: Error | null, address: string | null, addressType: AddressType) => void,
): void {
  if (fd !== undefined) return done(null, null, null);
  if (port === -1) return done(null, host, -1);
  if (host === null) return done(null, null, 4);
  dns.lookup(host, (error, address, family) => done(error, address, family));
}

// #region next-index
/**
 * A server's number among this worker's servers on one address: 0, 1, 2...
 * Once every one of them has closed, numbering starts again at 0, as in
 * node: a worker that closes its server and listens again gets the same key,
 * so it joins the listener the other workers still share (a new index would
 * mean a second listener on the same port, and EADDRINUSE). A listen that
 * failed keeps its index, as in node.
 */
export function nextIndex(address: string | null, port: number | null, addressType: AddressType): number {
  // #step 5.2 next-index
  const where = `${address}:${port}:${addressType}`;
  let indexes = indexesPerAddress.get(where);
  if (!indexes) {
    indexes = { next: 0, inUse: new Set() };
    indexesPerAddress.set(where, indexes);
  }
  const index = indexes.next++;
  indexes.inUse.add(index);
  return index;
  // #endstep 5.2 next-index
}

/** The server has closed: its index is free. */
export function releaseIndex({ address, port, addressType, index }: ListenQuery): void {
  // #step 5.2 release-index
  const where = `${address}:${port}:${addressType}`;
  const indexes = indexesPerAddress.get(where);
  indexes?.inUse.delete(index);
  if (indexes?.inUse.size === 0) indexesPerAddress.delete(where);
  // #endstep 5.2 release-index
}
// #endregion next-index

// #region bind-error
/** The error node's cluster gives a worker whose listen failed in the primary (not net's own). */
export function listenError(code: string, wanted: ListenAddress): Error {
  // #step 5.2 bind-error
  // Port 0 is "any port": then node names the address alone.
  const where = wanted.port! > 0 ? `${wanted.address}:${wanted.port}` : `${wanted.address}`;
  return Object.assign(new Error(`bind ${code} ${where}`), {
    errno: -(os.constants.errno[code as keyof typeof os.constants.errno] ?? 0),
    code,
    syscall: 'bind',
    address: wanted.address,
    ...(wanted.port! > 0 ? { port: wanted.port } : {}),
  });
  // #endstep 5.2 bind-error
}
// #endregion bind-error

interface RoutedServer {
  server: net.Server;
  /** the sockets handed to this server that are still open: close() waits for them */
  connections: Set<net.Socket>;
  /** what it asked the primary for: its index is given back when it closes */
  wanted: ListenQuery;
  /** shared handle: it listens on its own copy of the socket (round-robin: it has none) */
  holdsListener: boolean;
  /** close() was called: 'close' comes once the last connection has gone */
  closing?: boolean;
}

// #region shared-handle-server
/** Shared handle: the listening socket came with the reply. Listen on it for real. */
function listenOnSharedHandle(server: net.Server, key: string, listener: net.Server, wanted: ListenQuery, channel: InternalChannel): void {
  // #step 5.4 listen-on-handle
  const routed: RoutedServer = { server, connections: new Set(), wanted, holdsListener: true };
  routedServers.set(key, routed);
  server.once('close', () => forget(key, routed, channel));
  // A handle is not an address: our listen() passes it to net's own, which listens on it.
  server.listen(listener);
  // #endstep 5.4 listen-on-handle
}
// #endregion shared-handle-server

// #region round-robin-server
/**
 * Makes `server` behave as a listening server without a socket of its own:
 * it reports the primary's address, and close() stops the hand-over and
 * waits for its connections before emitting 'close', as a real one does.
 * These are per-object overrides: the class itself is untouched.
 */
function adoptRoundRobinServer(server: net.Server, key: string, sockname: Sockname | string | null, wanted: ListenQuery, channel: InternalChannel): void {
  const routed: RoutedServer = { server, connections: new Set(), wanted, holdsListener: false };
  routedServers.set(key, routed);
  Object.defineProperty(server, 'listening', { configurable: true, get: () => routedServers.get(key) === routed });
  server.address = () => sockname;
  server.close = function close(callback?: (error?: Error) => void) {
    if (callback) server.once('close', callback);
    if (routedServers.get(key) !== routed) return server;
    forget(key, routed, channel);
    // http.Server closes its idle keep-alive connections when it closes; do the same.
    (server as net.Server & { closeIdleConnections?: () => void }).closeIdleConnections?.();
    emitCloseOnceDrained(routed);
    return server;
  };
  holdTheLoopWhileListening(server);
}

// #region hold-the-loop
/**
 * A listening server keeps its process running, and server.unref() lets the
 * process end anyway. A round-robin server has no socket to do that, so node's
 * worker gives it a stand-in that holds the event loop instead: so do we.
 */
function holdTheLoopWhileListening(server: net.Server): void {
  // #step 7.5 hold-the-loop
  const standIn = setInterval(() => {}, MAX_TIMER_DELAY);
  server.ref = () => {
    standIn.ref();
    return server;
  };
  server.unref = () => {
    standIn.unref();
    return server;
  };
  server.once('close', () => clearInterval(standIn));
  // #endstep 7.5 hold-the-loop
}
// #endregion hold-the-loop

/** The longest delay a timer takes (about 24.8 days): a timer that never needs to fire. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;
// #endregion round-robin-server

/** The server stopped listening: its index is free, and the primary sends it nothing more. */
function forget(key: string, routed: RoutedServer, channel: InternalChannel): void {
  if (routedServers.get(key) !== routed) return;
  routedServers.delete(key);
  releaseIndex(routed.wanted);
  channel.send('close', { key });
}

function emitCloseOnceDrained(routed: RoutedServer): void {
  routed.closing = true;
  if (routed.connections.size === 0) process.nextTick(() => routed.server.emit('close'));
}

/** A connection is no longer the server's: it closed, or went to another process. The last one lets a closing server close. */
function dropConnection(routed: RoutedServer, socket: net.Socket): void {
  if (!routed.connections.delete(socket)) return;
  if (routed.closing && routed.connections.size === 0) routed.server.emit('close');
}

// #region take-connection
/**
 * A connection the primary offers: the server it is for takes it, unless it
 * has just closed or has maxConnections open already; then the answer is no,
 * and the primary offers it to another worker. Refusing closes only our copy
 * of the socket: the primary still holds the connection. The primary hears
 * the answer (`answer`) before the server sets the connection up: until it
 * hears from us, it offers us nothing more.
 */
export function acceptConnection(key: string, socket: Handle, answer: (accepted: boolean) => void): void {
  // #step 6.1 answer-first
  const routed = routedServers.get(key);
  if (!(socket instanceof net.Socket)) return answer(false);
  const maxConnections = routed?.server.maxConnections;
  if (!routed || (maxConnections != null && routed.connections.size >= maxConnections)) {
    answer(false);
    socket.destroy();
    return;
  }
  // Answer first, then set the connection up: the primary can offer us the
  // next one while this one is being set up.
  answer(true);
  routed.connections.add(socket);
  socket.once('close', () => dropConnection(routed, socket));
  applyServerOptions(routed.server, socket);
  routed.server.emit('connection', socket);
  // #endstep 6.1 answer-first
}
// #endregion take-connection

/**
 * What net does to each connection its server accepts, before 'connection':
 * it gives the connection the server's noDelay and keepAlive options.
 * http.Server turns noDelay on by default; without it, an answer written in
 * two parts holds its second part back until the client acknowledges the
 * first (Nagle's algorithm), about 40 ms on Linux. The options are the
 * server's own properties, read as net reads them.
 */
function applyServerOptions(server: net.Server, socket: net.Socket): void {
  const options = server as net.Server & { noDelay?: boolean; keepAlive?: boolean; keepAliveInitialDelay?: number };
  if (options.noDelay) socket.setNoDelay(true);
  // net keeps the initial delay in seconds; setKeepAlive() takes milliseconds.
  if (options.keepAlive) socket.setKeepAlive(true, (options.keepAliveInitialDelay ?? 0) * 1000);
}

// #region sent-away
/**
 * The program sent a connection to another process (`process.send(message, socket)`): unless it asked to keep it
 * open, the socket is that process's now, and this worker's copy is gone without a 'close' event.
 */
export function forgetConnectionSentAway(handle: unknown, options: unknown): void {
  // #step 7.6 sent-away
  if (!(handle instanceof net.Socket)) return;
  if ((options as MessageOptions | undefined)?.keepOpen === true) return;
  // As child_process does for a server's own socket: it no longer counts among the server's connections.
  for (const routed of routedServers.values()) dropConnection(routed, handle);
  // #endstep 7.6 sent-away
}
// #endregion sent-away

// #region lend-listener
/** Shared handle: the listening server for `key`, for the primary to pass to another worker. */
export function listenerToLend(key: string): net.Server | undefined {
  // #step 5.4 lend
  const routed = routedServers.get(key);
  return routed?.holdsListener ? routed.server : undefined;
  // #endstep 5.4 lend
}
// #endregion lend-listener

// #region close-every-server
/** Closes every server sharing a listener (worker.disconnect()), then calls `done` once all have closed. */
export function closeEveryServer(done: () => void): void {
  let stillOpen = routedServers.size;
  if (stillOpen === 0) return done();
  for (const { server } of [...routedServers.values()]) {
    server.close(() => {
      if (--stillOpen === 0) done();
    });
  }
}
// #endregion close-every-server
