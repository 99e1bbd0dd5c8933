// The demo's load: two steady, bounded loads (load.ts) in a process of its
// own, so that the client's CPU is not the primary's, and so that the load
// goes on whatever the primary is busy with. demo.ts starts it with
// child_process.fork and talks to it over the IPC channel:
//
//   argv: PORT FIRST-PHASE
//   client → primary   { started: true }              the load is running
//   primary → client   { phase: 'rolling reload' }    count what is sent from now on in this phase
//   primary → client   { stop: true }                 finish the requests in flight, then report
//   client → primary   { report }                     per phase: sent, answered, failed, for each load
//
// One load opens a fresh connection per request (4 at a time); the other
// keeps 2 connections alive and reuses them, as a browser or a proxy would.
import { Load, type Tally } from './load';

export interface ClientReport {
  fresh: Array<[string, Tally]>;
  keepAlive: Array<[string, Tally]>;
}

// If the primary goes (Ctrl-C, a crash), so do we.
process.once('disconnect', () => process.exit(1));

const [port, firstPhase] = [Number(process.argv[2]), process.argv[3]];
const bounds = { port, pause: 10, maxRequests: 50_000, maxSeconds: 120, phase: firstPhase };
const fresh = new Load({ ...bounds, keepAlive: false, lanes: 4 });
const keepAlive = new Load({ ...bounds, keepAlive: true, lanes: 2 });

process.send!({ started: true });

process.on('message', (message: { phase?: string; stop?: boolean }) => {
  if (message.phase) for (const load of [fresh, keepAlive]) load.mark(message.phase);
  if (message.stop) void report();
});

async function report(): Promise<void> {
  const [freshTallies, keepAliveTallies] = await Promise.all([fresh.stop(), keepAlive.stop()]);
  const report: ClientReport = { fresh: [...freshTallies], keepAlive: [...keepAliveTallies] };
  process.send!(report, () => process.exit(0));
}
