// The worker's half of a graceful drain. worker.disconnect() closes the
// worker's servers, and an http.Server that closes drops the keep-alive
// connections that are idle at that moment. But a client that keeps its
// connection busy (a request every few ms, as a proxy does) is never idle:
// Node goes on answering it, with "Connection: keep-alive", and the worker
// cannot leave until the drain timeout kills it, mid-request.
//
// So the supervisor tells the worker first (DRAIN_MESSAGE, just before
// disconnect()), and the worker, from then on, answers every request with
// "Connection: close": each connection closes after its answer, and the
// client opens its next one to the primary, which gives it to another worker.
import type http from 'node:http';
import type { Socket } from 'node:net';

/** What the supervisor sends a worker it is about to disconnect. */
export const DRAIN_MESSAGE = { supervisor: 'drain' } as const;

export function isDrainMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { supervisor?: unknown }).supervisor === 'drain';
}

/** What the worker knows of each connection: how many answers it gave, and whether a request is in flight. */
interface ConnectionState {
  answered: number;
  busy: boolean;
}

/** Call it in the worker with the app's server: a drain then closes its keep-alive connections as they become free. */
export function closeConnectionsOnDrain(server: http.Server): void {
  let draining = false;
  const connections = new Map<Socket, ConnectionState>();
  const unanswered = new Set<http.ServerResponse>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { answered: 0, busy: false });
    socket.once('close', () => connections.delete(socket));
  });
  // Before the app's own handler, which may answer at once.
  server.prependListener('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const state = connections.get(request.socket as Socket);
    if (state) state.busy = true;
    response.once('finish', () => {
      if (state) Object.assign(state, { busy: false, answered: state.answered + 1 });
    });
    if (draining) response.setHeader('Connection', 'close');
    else {
      unanswered.add(response);
      response.once('close', () => unanswered.delete(response));
    }
  });
  process.on('message', (message: unknown) => {
    if (!isDrainMessage(message) || draining) return;
    // #step 8.5 close-on-drain
    draining = true;
    // The requests in flight: their connections close after their answers.
    for (const response of unanswered) if (!response.headersSent) response.setHeader('Connection', 'close');
    // The idle keep-alive connections: now. Only those that have been answered already: a connection the
    // primary has just handed over has not sent its request yet, and it is not idle, it is early.
    // end(), not destroy(): an answer may still be on its way out, and a reset would lose it; end() sends it first.
    const endIdleConnections = () => {
      for (const [socket, state] of connections) if (state.answered > 0 && !state.busy) socket.end();
    };
    endIdleConnections();
    // disconnect() comes next and closes the server, and http's close() first closes the connections that
    // IT counts as idle. Since Node 26 those include an early one: its client, about to send its request,
    // gets a reset instead of an answer. So the server's idea of idle becomes ours for the rest of its life.
    server.closeIdleConnections = endIdleConnections;
    // #endstep 8.5 close-on-drain
  });
}
