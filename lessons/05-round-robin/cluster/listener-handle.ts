// What the primary keeps for each address its workers listen on: a
// round-robin handle or a shared handle (see scheduling-policy.ts). Both
// look the same to the rest of the primary, and both talk to a worker with
// the two requests at the bottom, on the worker's channel.
import net from 'node:net';
import type { Worker } from './worker';
import type { Handle, ListenAddress, MessageKinds } from './protocol';
import { channelTo } from './primary-channels';

export type QueryServerReply = MessageKinds['queryServerReply'];

/** Tells a worker how its listen() went; in shared-handle mode the listener travels along. */
export type Answer = (reply: QueryServerReply, server?: net.Server, onSent?: () => void) => void;

export interface ListenerHandle {
  /** Lets `worker` listen here; `answer` tells it the outcome. */
  add(worker: Worker, answer: Answer): void;
  /** The worker stopped listening here, or is gone. True when it was the last one, and the listener closed. */
  remove(worker: Worker): boolean;
}

/** How a listen went: the real address, or the code of the error that stopped it. */
export type ListenOutcome = { sockname: net.AddressInfo; errorCode: null } | { sockname: null; errorCode: string };

/** Starts listening on `wanted`; resolves with the server's address, or the error code that stopped it. */
export function listenOn(wanted: ListenAddress, server: net.Server): Promise<ListenOutcome> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve({ sockname: null, errorCode: error.code ?? 'EINVAL' });
    server.once('error', onError);
    server.listen({ host: wanted.address ?? undefined, port: wanted.port }, () => {
      server.off('error', onError);
      resolve({ sockname: server.address() as net.AddressInfo, errorCode: null });
    });
  });
}

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
