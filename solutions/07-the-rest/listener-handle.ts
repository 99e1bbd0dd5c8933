// What the primary keeps for each address its workers listen on: a
// round-robin handle or a shared handle (see scheduling-policy.ts). Both
// look the same to the rest of the primary, and both talk to a worker with
// the two requests at the bottom, on the worker's channel.
import net from 'node:net';
import path from 'node:path';
import type { Worker } from './worker';
import type { Handle, ListenAddress, ListenQuery, MessageKinds } from './protocol';
import { channelTo } from './primary-channels';

export type QueryServerReply = MessageKinds['queryServerReply'];

/** Tells a worker how its listen() went; in shared-handle mode (and for UDP) the socket travels along. */
export type Answer = (reply: QueryServerReply, server?: Handle, onSent?: () => void) => void;

export interface ListenerHandle {
  /** Lets `worker` listen here; `answer` tells it the outcome. */
  add(worker: Worker, answer: Answer): void;
  /** The worker stopped listening here, or is gone. True when it was the last one, and the listener closed. */
  remove(worker: Worker): boolean;
}

/** How a listen went: the real address (none for a pipe), or the code of the error that stopped it. */
export type ListenOutcome = { sockname: net.AddressInfo | null; errorCode: null } | { sockname: null; errorCode: string };

/** Starts listening on `wanted`; resolves with the server's address, or the error code that stopped it. */
export function listenOn(wanted: ListenQuery, server: net.Server): Promise<ListenOutcome> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve({ sockname: null, errorCode: error.code ?? 'EINVAL' });
    server.once('error', onError);
    server.listen(listenOptions(wanted), () => {
      server.off('error', onError);
      resolve({ sockname: socknameOf(server), errorCode: null });
    });
  });
}

/** The listening address to send a worker. A pipe's address is its path, a string: node's primary sends none. */
export function socknameOf(server: net.Server): net.AddressInfo | null {
  const address = server.address();
  return typeof address === 'object' ? address : null;
}

// #region listen-options
/** What the primary's own listen() gets for a worker's request: a port, a pipe's path, or an open fd. */
export function listenOptions(wanted: ListenQuery): net.ListenOptions & { fd?: number } {
  const where: net.ListenOptions = isPipe(wanted) ? { path: shortestPath(wanted.address!) } : { host: wanted.address ?? undefined, port: wanted.port! };
  // #step 7.2 listen-options
  // An fd is a socket the primary has already open: listen on it instead of an address.
  if (wanted.fd !== undefined && wanted.fd >= 0) return { fd: wanted.fd, backlog: wanted.backlog };
  return { ...where, backlog: wanted.backlog };
  // #endstep 7.2 listen-options
}
// #endregion listen-options

/** A pipe (a Unix domain socket) is asked for with a path and port -1. */
export function isPipe(wanted: ListenAddress): boolean {
  return typeof wanted.address === 'string' && wanted.port === -1;
}

// #region shortest-path
/**
 * The worker sends a pipe's absolute path. A socket's path may hold about 100 bytes
 * only, so the primary listens on the shorter of that path and the same path
 * relative to its own working directory, as node's does.
 */
export function shortestPath(absolute: string): string {
  // #step 7.1 shortest-path
  const relative = path.relative(process.cwd(), absolute);
  return relative.length < absolute.length ? relative : absolute;
  // #endstep 7.1 shortest-path
}
// #endregion shortest-path

// #region offer-connection
/** Offers a connection to a worker (a newconn request); `decided` says whether its server took it. */
export function offerConnection(worker: Worker, key: string, socket: net.Socket, decided: (accepted: boolean) => void): void {
  const channel = channelTo(worker);
  if (!channel) return decided(false); // it has disconnected: it cannot take it
  channel.request('newconn', { key }, (reply) => decided(reply.accepted), socket);
}
// #endregion offer-connection

/** Asks a worker for a copy of the socket it holds for `key` (lendServer); resolves with none if it has none. */
export function borrowCopy(holder: Worker, key: string): Promise<Handle> {
  return new Promise((resolve) => {
    const channel = channelTo(holder);
    if (!channel) return resolve(undefined);
    holder.once('disconnect', () => resolve(undefined)); // it left before answering
    channel.request('lendServer', { key }, (_reply, handle) => resolve(handle));
  });
}
