// Listening inside a worker. A worker must not bind the port itself: a second
// process binding 127.0.0.1:3000 fails with EADDRINUSE. So, in a worker, we
// replace net.Server's listen() (http.Server inherits it) with one that asks
// the primary to share its listener, and then feeds the server the
// connections the primary hands over.
//
// Node does the same inside lib/net.js, which calls into the cluster when a
// worker listens; that call is internal, so we intercept listen() instead.
import dns from 'node:dns';
import net from 'node:net';
import type { Handle, InternalChannel, ListenAddress, MessageKinds } from './protocol';
import type { Worker } from './worker';
import { todo } from '../../todo';

type Sockname = NonNullable<MessageKinds['queryServerReply']['sockname']>;

/** What a listen() call asked for, once its many signatures are read. */
interface ListenRequest {
  port: number;
  host: string | null;
  callback?: () => void;
}

/** The servers of this worker that listen through the primary, by key. */
const routedServers = new Map<string, RoutedServer>();

// #region intercept-listen
export function routeListenThroughPrimary(worker: Worker, channel: InternalChannel): void {
  const listenForReal = net.Server.prototype.listen;
  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    const request = readListenArguments(args);
    // A pipe path, an existing handle or an fd: nothing to share, bind as usual.
    if (request === undefined) return listenForReal.apply(this, args as Parameters<typeof listenForReal>);
    if (request.callback) this.once('listening', request.callback);
    askPrimaryToListen(this, request, worker, channel);
    return this;
  } as typeof listenForReal;
}
// #endregion intercept-listen

/** Reads listen(port, host, backlog, cb), listen({ port, host }, cb) and friends; undefined for anything else. */
function readListenArguments(args: unknown[]): ListenRequest | undefined {
  const last = args[args.length - 1];
  const callback = typeof last === 'function' ? (last as () => void) : undefined;
  const [first, second] = args;
  if (typeof first === 'object' && first !== null) {
    // As in net, an object names a port only if it has a `port` field; { path },
    // { fd } and handles do not.
    const options = first as net.ListenOptions;
    if (!('port' in options)) return undefined;
    return { port: Number(options.port ?? 0), host: options.host ?? null, callback };
  }
  const isPort = first === undefined || first === null || typeof first === 'number' || /^\d+$/.test(String(first));
  if (!isPort) return undefined;
  return { port: Number(first ?? 0), host: typeof second === 'string' ? second : null, callback };
}

// #region ask-primary
function askPrimaryToListen(
  server: net.Server,
  request: ListenRequest,
  worker: Worker,
  channel: InternalChannel,
): void {
  // #step 3.2 ask-primary
  todo(3, 2, `listen(${request.port}, ${request.host}) in a worker: in node:cluster it never binds the port itself. ` +
    'The primary listens once per address for every worker that asks; then this server emits \'listening\' (the ' +
    "listen() callback runs) and server.address() gives the primary's real port, or, if the primary could not " +
    "listen (EADDRINUSE...), it emits 'error' with that code. The primary then emits 'listening' with the real port.");
  // #endstep 3.2 ask-primary
}
// #endregion ask-primary

// #region announce-listening
/** The server listens: the worker's state says so, and the primary hears of it, with the real port. */
function announceListening(worker: Worker, channel: InternalChannel, address: ListenAddress): void {
  // #step 3.2 announce-listening
  todo(3, 2, `a server in worker ${worker.id} listens on ${address.address}:${address.port}: in node:cluster the ` +
    "primary now emits 'listening' for this worker with that address, and cluster.worker.state is 'listening'.");
  // #endstep 3.2 announce-listening
}
// #endregion announce-listening

/**
 * Like net, a host is looked up first, even an IP address (the answer comes
 * on a later tick, as net's does); no host means every address (IPv4 type),
 * at once.
 */
function resolveHost(
  host: string | null,
  done: (error: Error | null, address: string | null, addressType: number) => void,
): void {
  if (host === null) return done(null, null, 4);
  dns.lookup(host, (error, address, family) => done(error, address, family));
}

/** The error net itself would emit for a failed listen. */
function listenError(code: string, wanted: ListenAddress): Error {
  const where = `${wanted.address ?? '0.0.0.0'}:${wanted.port}`;
  return Object.assign(new Error(`listen ${code}: ${where}`), {
    code,
    syscall: 'listen',
    address: wanted.address,
    port: wanted.port,
  });
}

interface RoutedServer {
  server: net.Server;
  /** the sockets handed to this server that are still open: close() waits for them */
  connections: Set<net.Socket>;
}

// #region adopt-round-robin-server
/**
 * Makes `server` behave as a listening server without a socket of its own:
 * it reports the primary's address, and close() stops the hand-over and
 * waits for its connections before emitting 'close', as a real one does.
 * These are per-object overrides: the class itself is untouched.
 */
function adoptRoundRobinServer(server: net.Server, key: string, sockname: Sockname, channel: InternalChannel): void {
  const routed: RoutedServer = { server, connections: new Set() };
  routedServers.set(key, routed);
  Object.defineProperty(server, 'listening', { configurable: true, get: () => routedServers.get(key) === routed });
  server.address = () => sockname;
  server.close = function close(callback?: (error?: Error) => void) {
    if (callback) server.once('close', callback);
    if (routedServers.get(key) !== routed) return server;
    routedServers.delete(key);
    channel.send('close', { key });
    // http.Server closes its idle keep-alive connections when it closes; do the same.
    (server as net.Server & { closeIdleConnections?: () => void }).closeIdleConnections?.();
    emitCloseOnceDrained(routed);
    return server;
  };
}
// #endregion adopt-round-robin-server

function emitCloseOnceDrained(routed: RoutedServer): void {
  if (routed.connections.size === 0) {
    process.nextTick(() => routed.server.emit('close'));
    return;
  }
  for (const socket of routed.connections) {
    socket.once('close', () => {
      if (routed.connections.size === 0) routed.server.emit('close');
    });
  }
}

// #region accept-connection
/** A connection the primary handed over: give it to the server it is for. */
export function acceptConnection(key: string, socket: Handle): void {
  // #step 3.3 accept-connection
  todo(3, 3, `the primary handed this worker a connection (${socket?.constructor.name}) for the server it shares as ` +
    `${key}: it must reach that server as an accepted connection (an http.Server answers the request on it), and ` +
    "the server's close() must wait for it; if that server has closed meanwhile, the connection is closed at once.");
  // #endstep 3.3 accept-connection
}
// #endregion accept-connection

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
