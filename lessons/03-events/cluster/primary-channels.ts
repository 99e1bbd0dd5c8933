// Each worker's end of the private conversation, in the primary (channel.ts
// says what a channel is). fork() opens one for every worker; the code that
// keeps the listeners (primary-listen.ts) writes to a worker through it
// directly, as node's primary writes to worker.process.
import type { Worker } from './worker';
import type { InternalChannel } from './protocol';

const channels = new WeakMap<Worker, InternalChannel>();

/** The worker's channel; undefined once it has disconnected: then nothing can reach it. */
export function channelTo(worker: Worker): InternalChannel | undefined {
  return channels.get(worker);
}

export function openChannel(worker: Worker, channel: InternalChannel): void {
  channels.set(worker, channel);
}

export function closeChannel(worker: Worker): void {
  channels.delete(worker);
}
