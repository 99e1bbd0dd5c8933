// Listening, the worker's half (listen-in-primary.ts is the primary's).
//
// A worker must not bind the port itself: a second process binding
// 127.0.0.1:3000 fails with EADDRINUSE. So, in a worker, we replace
// net.Server's listen() (http.Server inherits it) with one that asks the
// primary to share its listener. Node does the same inside lib/net.js, which
// calls into the cluster when a worker listens; that call is internal, so we
// intercept listen() instead.
//
// The primary answers in one of two ways (see scheduling-policy.ts):
//   round-robin:    no socket comes back. The server gets no socket of its
//                   own; the primary offers it connections one by one.
//   shared handle:  the listening socket itself comes back, and the server
//                   listens on it for real.
import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';
import util from 'node:util';
import type { Handle, InternalChannel, InternalMessage, ListenAddress, ListenQuery, Sockname } from './protocol';
import { bindsItsOwnReusePortSocket } from './reuse-port';

/** What a listen() call asked for, once its many signatures are read. */
interface ListenRequest {
  port: number;
  host: string | null;
  callback?: () => void;
}

/** This worker's servers that listen through the primary, by the primary's key. */
const serversByKey = new Map<string, net.Server>();
/** For round-robin servers: the connections handed to each, which its close() waits for. */
const handedConnections = new WeakMap<net.Server, Set<net.Socket>>();
/** For each address, the next index to give and the indexes of the servers still open (see nextIndex). */
const indexesPerAddress = new Map<string, { next: number; inUse: Set<number> }>();
/** Each server's address and index, to give the index back when the server closes. */
const queryOfServer = new WeakMap<net.Server, ListenQuery>();
/** net.Server's own listen(), for what is not ours to share. */
let listenForReal: net.Server['listen'];

// #region intercept-listen
export function routeListenThroughPrimary(channel: InternalChannel, onListening: (address: ListenAddress) => void): void {
  listenForReal = net.Server.prototype.listen;
  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    const request = readListenArguments(args);
    // A pipe path, an existing handle, an fd, `exclusive: true` or `reusePort: true` (reuse-port.ts): nothing to
    // share, the worker binds by itself.
    if (request === undefined) return listenForReal.apply(this, args as Parameters<typeof listenForReal>);
    if (request.callback) this.once('listening', request.callback);
    askPrimaryToShare(this, request, channel, onListening);
    return this;
  } as typeof listenForReal;
}

/** Reads listen(port, host, backlog, cb), listen({ port, host }, cb) and friends; undefined for anything else. */
function readListenArguments(args: unknown[]): ListenRequest | undefined {
  const last = args[args.length - 1];
  const callback = typeof last === 'function' ? (last as () => void) : undefined;
  const [first, second] = args;
  if (typeof first === 'object' && first !== null) {
    // As in net, an object names a port only if it has a `port` field; { path },
    // { fd } and handles do not.
    const options = first as net.ListenOptions;
    if (!('port' in options) || options.exclusive || bindsItsOwnReusePortSocket(options)) return undefined;
    return { port: Number(options.port ?? 0), host: options.host ?? null, callback };
  }
  const isPort = first === undefined || first === null || typeof first === 'number' || /^\d+$/.test(String(first));
  if (!isPort) return undefined;
  return { port: Number(first ?? 0), host: typeof second === 'string' ? second : null, callback };
}
// #endregion intercept-listen

// #region ask-primary
function askPrimaryToShare(
  server: net.Server,
  request: ListenRequest,
  channel: InternalChannel,
  onListening: (address: ListenAddress) => void,
): void {
  resolveHost(request.host, (error, address, addressType) => {
    if (error) {
      server.emit('error', error);
      return;
    }
    const query: ListenQuery = { address, port: request.port, addressType, index: nextIndex(address, request.port, addressType) };
    channel.request('queryServer', query, (reply, handle) => {
      const { key, sockname, errorCode } = reply as InternalMessage<'serverShared'>;
      if (errorCode !== null) {
        server.emit('error', bindError(errorCode, query));
        return;
      }
      serversByKey.set(key, server);
      queryOfServer.set(server, query);
      // Like node, the primary hears of it with the port filled in, unless
      // the program closed the server in its own listen() callback (a
      // worker.disconnect() there does): then nothing is announced.
      server.once('listening', () => {
        if (server.listening) onListening({ address, port: sockname.port, addressType });
      });
      if (handle instanceof net.Server) listenOnSharedHandle(server, key, handle, channel);
      else listenRoundRobin(server, key, sockname, channel);
    });
  });
}
// #endregion ask-primary

/** Like net, a host name is looked up first; no host means every address (IPv4 type). */
function resolveHost(host: string | null, done: (error: Error | null, address: string | null, addressType: number) => void): void {
  if (host === null) return done(null, null, 4);
  if (net.isIP(host)) return done(null, host, net.isIP(host));
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
function nextIndex(address: string | null, port: number, addressType: number): number {
  const where = `${address}:${port}:${addressType}`;
  let indexes = indexesPerAddress.get(where);
  if (!indexes) {
    indexes = { next: 0, inUse: new Set() };
    indexesPerAddress.set(where, indexes);
  }
  const index = indexes.next++;
  indexes.inUse.add(index);
  return index;
}

/** The server has closed: its index is free. */
function releaseIndex({ address, port, addressType, index }: ListenQuery): void {
  const where = `${address}:${port}:${addressType}`;
  const indexes = indexesPerAddress.get(where);
  indexes?.inUse.delete(index);
  if (indexes?.inUse.size === 0) indexesPerAddress.delete(where);
}
// #endregion next-index

// #region bind-error
/** The error node's own cluster gives a worker whose listen failed in the primary. */
function bindError(code: string, query: ListenQuery): NodeJS.ErrnoException {
  const errno = -(os.constants.errno[code as keyof typeof os.constants.errno] ?? 0);
  const where = query.port > 0 ? `${query.address}:${query.port}` : `${query.address}`;
  return Object.assign(new Error(`bind ${code} ${where}`), {
    errno,
    code,
    syscall: 'bind',
    address: query.address,
    port: query.port,
    description: util.getSystemErrorMap().get(errno)?.[1],
  });
}
// #endregion bind-error

// #region shared-handle-server
/** Shared handle: the listening socket came with the reply. Listen on it for real. */
function listenOnSharedHandle(server: net.Server, key: string, listener: net.Server, channel: InternalChannel): void {
  server.once('close', () => forget(key, server, channel));
  listenForReal.call(server, listener);
}
// #endregion shared-handle-server

// #region round-robin-server
/**
 * Round-robin: the server has no socket of its own. These per-object
 * overrides make it report the primary's address, and make close() stop the
 * hand-over and wait for its connections before emitting 'close', as a real
 * one does. The class itself is untouched.
 */
function listenRoundRobin(server: net.Server, key: string, sockname: Sockname, channel: InternalChannel): void {
  const connections = new Set<net.Socket>();
  handedConnections.set(server, connections);
  Object.defineProperty(server, 'listening', { configurable: true, get: () => serversByKey.get(key) === server });
  server.address = () => sockname;
  server.close = function close(callback?: (error?: Error) => void) {
    if (callback) server.once('close', callback);
    if (serversByKey.get(key) !== server) return server;
    forget(key, server, channel);
    // http.Server closes its idle keep-alive connections when it closes; do the same.
    (server as net.Server & { closeIdleConnections?: () => void }).closeIdleConnections?.();
    emitCloseOnceDrained(server, connections);
    return server;
  };
  server.emit('listening');
}
// #endregion round-robin-server

/** The server stopped listening: tell the primary to leave us out. */
function forget(key: string, server: net.Server, channel: InternalChannel): void {
  if (serversByKey.get(key) !== server) return;
  serversByKey.delete(key);
  releaseIndex(queryOfServer.get(server)!);
  channel.send('close', { key });
}

function emitCloseOnceDrained(server: net.Server, connections: Set<net.Socket>): void {
  if (connections.size === 0) {
    process.nextTick(() => server.emit('close'));
    return;
  }
  for (const socket of connections) {
    socket.once('close', () => {
      if (connections.size === 0) server.emit('close');
    });
  }
}

// #region take-connection
/**
 * The primary offers a connection. The server takes it unless it has just
 * closed, or has maxConnections open already; then the primary offers it to
 * another worker. Refusing closes only our copy of the socket: the primary
 * still holds the connection. Either way `answer` tells the primary, and it
 * is told before the server sets the connection up: until it hears from us,
 * the primary offers us nothing more.
 */
export function takeConnection(key: string, socket: Handle, answer: (accepted: boolean) => void): void {
  const server = serversByKey.get(key);
  const connections = server && handedConnections.get(server);
  const full = server?.maxConnections != null && connections !== undefined && connections.size >= server.maxConnections;
  if (!server || full || !(socket instanceof net.Socket)) {
    answer(false);
    if (socket instanceof net.Socket) socket.destroy(); // our copy only: the primary still holds it
    return;
  }
  // Answer first, then set the connection up: the primary can offer us the
  // next one while this one is being parsed. (Measured in lesson 6.)
  answer(true);
  if (connections) {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  }
  server.emit('connection', socket);
}
// #endregion take-connection

// #region lend-listener
/** Shared handle: the listening server for `key`, for the primary to pass to another worker. */
export function listenerToLend(key: string): net.Server | undefined {
  const server = serversByKey.get(key);
  return server && !handedConnections.has(server) ? server : undefined;
}
// #endregion lend-listener

/** Closes every server listening through the primary (worker.disconnect()), then calls `done`. */
export function closeEveryServer(done: () => void): void {
  let stillOpen = serversByKey.size;
  if (stillOpen === 0) return done();
  for (const server of [...serversByKey.values()]) {
    server.close(() => {
      if (--stillOpen === 0) done();
    });
  }
}
