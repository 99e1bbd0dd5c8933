// What the primary and a worker say to each other for the cluster itself:
// every kind of internal message, the fields each kind carries, and which
// kind answers which request. Types only: nothing here runs.

// #region kinds
/** Every kind of internal message, and the fields each one carries. Each lesson adds its own. */
export interface MessageKinds {
  /** worker → primary: the worker's cluster code is running. */
  online: Record<never, never>;
}

export type Act = keyof MessageKinds;

/**
 * Each request, and the kind of message that answers it. Nothing in lesson 2
 * asks a question yet: lesson 3's queryServer is the first.
 */
export interface Replies {}

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
// #endregion kinds

/** A connection handle sent along with a message (lesson 5 sends sockets and servers). */
export type Handle = import('node:net').Socket | import('node:net').Server | undefined;
