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

/** One key per primary, handed to its workers in their environment. */
export function newClusterKey(): string {
  return randomUUID();
}

export function isInternalMessage(message: unknown, clusterKey: string): message is InternalMessage {
  return typeof message === 'object' && message !== null && (message as InternalMessage).clusterKey === clusterKey;
}

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
  const emit = emitter.emit;
  emitter.emit = function emitUnlessInternal(this: EventEmitter, event: string | symbol, ...args: unknown[]) {
    if (event === 'message' && isInternalMessage(args[0], clusterKey)) {
      onInternal(args[0], args[1] as Handle);
      return true;
    }
    return emit.call(this, event, ...args);
  } as typeof emitter.emit;
}
