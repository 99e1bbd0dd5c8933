// One end of the private conversation between the primary and one worker:
// it sends the cluster's messages, numbers the requests, and routes each
// reply back to whoever asked.
import type { Act, Envelope, Handle, InternalMessage, MessageKinds, Replies, RequestAct } from './messages';

/** The `send` both ends have: ChildProcess#send in the primary, process.send in a worker. */
type SendFunction = (
  message: Envelope,
  handle: Handle,
  options: object,
  callback: (error: Error | null) => void,
) => boolean;

/** Shows a message as it leaves (trace.ts prints it under `--trace`). */
export type TraceMessage = (direction: string, message: Envelope, handle: Handle) => void;

/** What waits for the answer to a request. */
type ReplyHandler<K extends Act = Act> = (reply: InternalMessage<K>, handle: Handle) => void;

export class InternalChannel {
  private lastSeq = 0;
  private readonly waitingForReply = new Map<number, ReplyHandler>();

  constructor(
    private readonly sendFunction: SendFunction,
    private readonly clusterKey: string,
    /** for the trace: "primary → worker 2" or "worker 2 → primary" */
    private readonly direction: string,
    private readonly trace: TraceMessage = () => {},
  ) {}

  /** Sends a message that expects no answer. */
  send<K extends Act>(act: K, fields: MessageKinds[K], handle?: Handle): void {
    this.write({ clusterKey: this.clusterKey, act }, fields, handle);
  }

  /** Sends a request and calls `onReply` with the answer: a message of the kind `Replies` names for it. */
  request<K extends RequestAct>(
    act: K,
    fields: MessageKinds[K],
    onReply: ReplyHandler<Replies[K]>,
    handle?: Handle,
  ): void {
    const seq = ++this.lastSeq;
    // The map holds handlers of every kind; receive() gives this one the message that acks `seq`, which the
    // other side sent with reply(), whose type ties it to this request.
    this.waitingForReply.set(seq, onReply as ReplyHandler);
    this.write({ clusterKey: this.clusterKey, act, seq }, fields, handle);
  }

  /** Answers a request with the kind `Replies` names for it: the reply carries the request's seq as its ack. */
  reply<K extends RequestAct>(
    request: Envelope & { act: K },
    act: Replies[K],
    fields: MessageKinds[Replies[K]],
    handle?: Handle,
  ): void {
    this.write({ clusterKey: this.clusterKey, act, ack: request.seq }, fields, handle);
  }

  /**
   * Called with every internal message that arrives. A reply goes to the
   * request that is waiting for it; anything else goes to `onMessage`.
   */
  receive(message: InternalMessage, handle: Handle, onMessage: (message: InternalMessage, handle: Handle) => void): void {
    const waiting = message.ack === undefined ? undefined : this.waitingForReply.get(message.ack);
    if (waiting) {
      this.waitingForReply.delete(message.ack!);
      waiting(message, handle);
    } else {
      onMessage(message, handle);
    }
  }

  /** Puts the envelope and the kind's fields together, shows the message in the trace, and sends it. */
  private write(envelope: Envelope, fields: object, handle: Handle): void {
    const message = { ...envelope, ...fields };
    this.trace(this.direction, message, handle);
    // A write to a channel that has just closed fails; the 'disconnect' and
    // 'exit' events tell the rest of the cluster, so there is nothing to add.
    this.sendFunction(message, handle, {}, () => {});
  }
}
