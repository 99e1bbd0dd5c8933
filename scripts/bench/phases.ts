// Reads a V8 CPU profile (.cpuprofile, written by `node --cpu-prof`) of a
// round-robin primary and says how much of its time went to each phase of
// handing a connection over. Pure: the tests feed it made-up profiles.
//
// Each sample is the stack the primary was running when the profiler looked.
// A sample belongs to the phase of its innermost frame that we recognise:
// a sample in JSON.stringify under child_process's writeChannelMessage is
// "writing the offer", the same JSON.stringify under the probe's counting
// is the probe's. Frames we do not recognise (EventEmitter.emit, Map.get,
// a native call) pass the question on to their caller.

/** The phases of one connection in a round-robin primary, in the order they happen. */
export const PHASES = ['accept', 'choose', 'offer', 'answer', 'close', 'gc', 'native', 'other'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_NAMES: Record<Phase, string> = {
  accept: 'accepting and wrapping the connection (net: onconnection, net.Socket and its streams)',
  choose: 'choosing a worker (the round-robin queues)',
  offer: 'writing the offer (cluster protocol, child_process send, JSON, sendmsg)',
  answer: "reading the answer (child_process's channel, JSON.parse, the cluster's reply handling)",
  close: "closing the primary's copy (destroy, handle.close)",
  gc: 'garbage collection',
  native: 'outside JavaScript (libuv: accept, polling; V8)',
  other: 'everything else',
};

export interface CallFrame {
  functionName: string;
  url: string;
}

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  /** µs, on the monotonic clock */
  startTime: number;
  endTime: number;
  samples: number[];
  /** µs between a sample and the one before it */
  timeDeltas: number[];
}

/** Where the time went in some windows of a profile: samples per phase. */
export interface PhaseSamples {
  samples: Record<Phase, number>;
  /** samples in the breakdown's own counters (probe.ts) */
  probe: number;
  /** samples of an idle thread (waiting in epoll): not CPU time */
  idle: number;
}

/**
 * A frame that decides the phase, or undefined: ask its caller. Node's own
 * modules appear as "node:net", "node:internal/child_process"; the names of
 * methods as "Socket._destroy".
 */
export function phaseOfFrame({ functionName, url }: CallFrame): Phase | 'probe' | 'idle' | undefined {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(program)') return 'native';
    if (functionName === '(idle)') return 'idle';
    if (functionName === 'close') return 'close'; // HandleWrap.close, a socket's or a raw handle's
    return undefined; // a builtin or a native call: its caller says what it was for
  }
  if (url.includes('/scripts/bench/')) return 'probe';
  const file = url.slice(Math.max(url.lastIndexOf('/'), url.indexOf(':')) + 1).replace(/\.js$/, '');
  const name = functionName.slice(functionName.lastIndexOf('.') + 1);
  const inStreams = url.startsWith('node:internal/streams/');
  // Closing: net.Socket's destroy() and what it calls.
  if ((file === 'net' || inStreams) && /^(destroy|_destroy|closeSocketHandle|onDestroy|emitCloseNT|emitErrorCloseNT)$/.test(name)) {
    return 'close';
  }
  // Choosing: node's RoundRobinHandle and ours.
  if (file === 'round_robin_handle' || file === 'round-robin-handle.ts') {
    if (/onconnection/.test(functionName)) return 'accept';
    if (/^(distribute|hand[oO]ff)$/.test(name)) return 'choose';
    return 'answer'; // the callback that runs when the worker answers
  }
  // Writing the offer.
  if (file === 'child_process' && /^(_?send|postSend)$/.test(name)) return 'offer';
  if (file === 'serialization' && name === 'writeChannelMessage') return 'offer';
  if (url.startsWith('node:internal/cluster/') && name === 'sendHelper') return 'offer';
  if (/^(protocol|channel|primary-listen|listener-handle|trace)\.ts$/.test(file) && /^(write|request|offerConnection|traceMessage)$/.test(name)) {
    return 'offer';
  }
  // Reading the answer: everything else the channel and the cluster's message handling do.
  if (file === 'child_process' || file === 'serialization' || url.startsWith('node:internal/cluster/')) return 'answer';
  if (/^(protocol|channel|intercept-messages|primary-listen|primary-channels|listener-handle|primary|worker)\.ts$/.test(file)) return 'answer';
  // Accepting: net makes the socket, with its streams and its event emitter.
  if (file === 'net' || inStreams) return 'accept';
  return undefined;
}

/** The phase of a stack, innermost frame first. */
export function phaseOfStack(stack: readonly CallFrame[]): Phase | 'probe' | 'idle' {
  for (const frame of stack) {
    const phase = phaseOfFrame(frame);
    if (phase !== undefined) return phase;
  }
  return 'other';
}

/**
 * Counts, phase by phase, the samples taken inside the windows ([start, end]
 * in µs on the profile's clock). Samples, not the time between them: the
 * profiler's clock is the wall clock, and on a busy machine the gap after a
 * sample also holds the time the process waited for a core. What the
 * counts give is each phase's share of the primary's busy time.
 */
export function phaseSamples(profile: CpuProfile, windows: ReadonlyArray<readonly [number, number]>): PhaseSamples {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const phaseOfNode = new Map<number, Phase | 'probe' | 'idle'>();
  const phaseOf = (id: number): Phase | 'probe' | 'idle' => {
    let phase = phaseOfNode.get(id);
    if (phase === undefined) {
      const stack: CallFrame[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!.callFrame);
      phase = phaseOfStack(stack);
      phaseOfNode.set(id, phase);
    }
    return phase;
  };
  const counted: PhaseSamples = { samples: Object.fromEntries(PHASES.map((phase) => [phase, 0])) as Record<Phase, number>, probe: 0, idle: 0 };
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (!windows.some(([start, end]) => time >= start && time <= end)) continue;
    const phase = phaseOf(profile.samples[i]);
    if (phase === 'idle' || phase === 'probe') counted[phase]++;
    else counted.samples[phase]++;
  }
  return counted;
}
