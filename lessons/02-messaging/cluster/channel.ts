// One end of the private conversation between the primary and one worker:
// it sends the cluster's messages, numbers the requests, and routes each
// reply back to whoever asked.
import type { Act, Envelope, Handle, InternalMessage, MessageKinds, Replies, RequestAct } from './messages';
import { todo } from '../../todo';

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
    todo(2, 3, `the cluster's '${act}' message must reach the other side as the cluster's own (marked with this ` +
      `cluster's key), with its fields ${JSON.stringify(fields)}${handle ? ' and its handle' : ''}, and show as one ` +
      'line of the trace (CLUSTER_TRACE=1) as it leaves.');
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
    todo(2, 4, `a '${act}' request: the other side must receive it as a question it can answer, and its answer must ` +
      'reach this request\'s onReply, and no other, even when other requests were answered before it.');
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
    todo(2, 4, `the answer '${act}' to request ${request.seq}: it must reach the other side as the answer to that ` +
      'request, and to no other.');
    // #endstep 2.4 reply
  }

  /**
   * Called with every internal message that arrives. A reply goes to the
   * request that is waiting for it; anything else goes to `onMessage`.
   */
  receive(message: InternalMessage, handle: Handle, onMessage: (message: InternalMessage, handle: Handle) => void): void {
    // #step 2.4 receive
    if (message.ack !== undefined) {
      todo(2, 4, `an answer to request ${message.ack} arrived: it must reach the onReply of that request, once, and ` +
        'not the ordinary messages.');
    }
    onMessage(message, handle);
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
