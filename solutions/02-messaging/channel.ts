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

// #region channel
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

  // #region send
  /** Sends a message that expects no answer. */
  send<K extends Act>(act: K, fields: MessageKinds[K], handle?: Handle): void {
    // #step 2.3 channel-send
    this.write({ clusterKey: this.clusterKey, act }, fields, handle);
    // #endstep 2.3 channel-send
  }
  // #endregion send

  // #region request-reply
  /** Sends a request and calls `onReply` with the answer: a message of the kind `Replies` names for it. */
  request<K extends RequestAct>(
    act: K,
    fields: MessageKinds[K],
    onReply: ReplyHandler<Replies[K]>,
    handle?: Handle,
  ): void {
    // #step 2.4 request
    const seq = ++this.lastSeq;
    // The map holds handlers of every kind; receive() gives this one the message that acks `seq`, which the
    // other side sent with reply(), whose type ties it to this request.
    this.waitingForReply.set(seq, onReply as ReplyHandler);
    this.write({ clusterKey: this.clusterKey, act, seq }, fields, handle);
    // #endstep 2.4 request
  }

  /** Answers a request with the kind `Replies` names for it: the reply carries the request's seq as its ack. */
  reply<K extends RequestAct>(
    request: Envelope & { act: K },
    act: Replies[K],
    fields: MessageKinds[Replies[K]],
    handle?: Handle,
  ): void {
    // #step 2.4 reply
    this.write({ clusterKey: this.clusterKey, act, ack: request.seq }, fields, handle);
    // #endstep 2.4 reply
  }

  /**
   * Called with every internal message that arrives. A reply goes to the
   * request that is waiting for it; anything else goes to `onMessage`.
   */
  receive(message: InternalMessage, handle: Handle, onMessage: (message: InternalMessage, handle: Handle) => void): void {
    // #step 2.4 receive
    const waiting = message.ack === undefined ? undefined : this.waitingForReply.get(message.ack);
    if (waiting) {
      this.waitingForReply.delete(message.ack!);
      waiting(message, handle);
    } else {
      onMessage(message, handle);
    }
    // #endstep 2.4 receive
  }
  // #endregion request-reply

  /** Puts the envelope and the kind's fields together, shows the message in the trace, and sends it. */
  private write(envelope: Envelope, fields: object, handle: Handle): void {
    const message = { ...envelope, ...fields };
    this.trace(this.direction, message, handle);
    // A write to a channel that has just closed fails; the 'disconnect' and
    // 'exit' events tell the rest of the cluster, so there is nothing to add.
    this.sendFunction(message, handle, {}, () => {});
  }
}
// #endregion channel
