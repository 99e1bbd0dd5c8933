// Telling the cluster's messages from the program's, on the one channel both use.
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
import type { Handle, InternalMessage } from './messages';
import { todo } from '../../todo';

/** One key per primary, handed to its workers in their environment. */
export function newClusterKey(): string {
  return randomUUID();
}

// #region is-internal
export function isInternalMessage(message: unknown, clusterKey: string): message is InternalMessage {
  // #step 2.2 is-internal
  return todo(2, 2, `is ${JSON.stringify(message)} one of the cluster's own messages? Only a message that carries ` +
    "this cluster's key is; anything else is the program's, even { act: 'online' } or { cmd: 'CLUSTER' }, and must " +
    'be delivered to it as a message.');
  // #endstep 2.2 is-internal
}
// #endregion is-internal

// #region intercept
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
  // #step 2.2 intercept
  // TODO lesson 2, step 2: in node:cluster, the cluster's own messages (those that carry this cluster's key) reach
  // the cluster with their handle, and no 'message' listener ever sees them, not even one added before the cluster's
  // or with prependListener(); every other message and event is emitted as before.
  // #endstep 2.2 intercept
}
// #endregion intercept
