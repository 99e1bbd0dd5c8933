// Debugging a cluster: each worker gets an inspector port of its own.
//
// A primary started with `--inspect` listens for a debugger on one port (9229
// unless told otherwise). Its workers inherit its execArgv, flag included, so
// left alone they would all ask for that same port, and all but the first
// would fail to open it. Node's cluster therefore starts every worker with one
// more option, `--inspect-port=N`, naming a port of the worker's own.
// (Node's lib/internal/cluster/primary.js: createWorkerProcess().)
import { todo } from '../../todo';


/** The options that switch the inspector on or choose its port; node's cluster looks for the same words. */
const INSPECTOR_OPTION = /--inspect(?:-brk|-port)?|--debug-port/;

/** Does a worker started with these options (and our NODE_OPTIONS) run an inspector? */
export function usesInspector(execArgv: readonly string[]): boolean {
  return (
    execArgv.some((option) => INSPECTOR_OPTION.test(option)) || INSPECTOR_OPTION.test(process.env.NODE_OPTIONS ?? '')
  );
}

/** What `settings.inspectPort` accepts: one port for every worker, or a function asked once per fork. */
export type InspectPortSetting = number | (() => number);

/** The worker's execArgv: the settings' own, plus an inspector port of its own when the inspector is on. */
export function workerExecArgv(execArgv: string[] = [], inspectPort?: InspectPortSetting): string[] {
  if (!usesInspector(execArgv)) return execArgv;
  return [...execArgv, `--inspect-port=${nextInspectPort(inspectPort)}`];
}

const LOWEST_UNPRIVILEGED_PORT = 1024;
const HIGHEST_PORT = 65535;

/** How many workers have had a default port so far: the primary's whole life long, like node's counter. */
let defaultPortsGiven = 0;

// #region next-inspect-port
/**
 * The inspector port for the next worker: the setting when there is one,
 * otherwise the primary's own debug port plus 1 for the first worker that
 * takes a default port, plus 2 for the second, and so on.
 */
export function nextInspectPort(inspectPort: InspectPortSetting | undefined): number {
  // #step 1.5 next-inspect-port
  return todo(1, 5, 'when the primary runs with an inspector (--inspect, --inspect-brk or --inspect-port), ' +
    'node:cluster starts each worker with an inspector port of its own: the port settings.inspectPort gives (one ' +
    'number for every worker, or what a function answers, asked at each fork), and when it gives none, the ' +
    "primary's own inspector port plus 1 for the first worker that gets a default port, plus 2 for the second, and " +
    'so on (past 65535 it starts again at 1024). This fork\'s settings.inspectPort: ' +
    `${typeof inspectPort === 'function' ? 'a function' : String(inspectPort)}.`);
  // #endstep 1.5 next-inspect-port
}
// #endregion next-inspect-port
