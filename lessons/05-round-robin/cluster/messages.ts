// What the primary and a worker say to each other for the cluster itself:
// every kind of internal message, the fields each kind carries, and which
// kind answers which request. Types only: nothing here runs.

/** An address to listen on, as the worker's program asked for it. */
export interface ListenAddress {
  /** the host given to listen(), or null for "every address" */
  address: string | null;
  port: number;
  /** 4 or 6, as node reports it */
  addressType: number;
}

/** A listen request: the address, and which of this worker's servers on that address it is (0, 1, ...). */
export interface ListenQuery extends ListenAddress {
  index: number;
}

/** Every kind of internal message, and the fields each one carries. Each lesson adds its own. */
export interface MessageKinds {
  /** worker → primary: the worker's cluster code is running. */
  online: Record<never, never>;
  /** worker → primary, a request: "let my server listen on this address". */
  queryServer: ListenQuery;
  /**
   * primary → worker, the reply: the listener's key, and either its
   * real address or the code of the error that stopped it (never both). In
   * shared-handle mode the listening server itself travels with it, as the handle.
   */
  queryServerReply:
    | { key: string; sockname: { address: string; family: string; port: number }; errorCode: null }
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

/** Each request, and the kind of message that answers it. */
export interface Replies {
  queryServer: 'queryServerReply';
  // #region lesson-5-replies
  newconn: 'newconnReply';
  lendServer: 'serverLent';
  // #endregion lesson-5-replies
  exitedAfterDisconnect: 'ack';
}

export type RequestAct = keyof Replies;

/** What every internal message carries besides its kind's own fields. */
export interface Envelope {
  clusterKey: string;
  act: Act;
  /** set on a request: the reply carries it back as `ack` */
  seq?: number;
  /** set on a reply: the `seq` of the request it answers */
  ack?: number;
}

/**
 * What travels on the channel: the envelope, its kind in `act`, and that
 * kind's fields. Without K it is the union of every kind, so checking `act`
 * tells the compiler which fields the message has.
 */
export type InternalMessage<K extends Act = Act> = { [Kind in K]: Envelope & { act: Kind } & MessageKinds[Kind] }[K];

/** A connection handle sent along with a message (lesson 5 sends sockets and servers). */
export type Handle = import('node:net').Socket | import('node:net').Server | undefined;
