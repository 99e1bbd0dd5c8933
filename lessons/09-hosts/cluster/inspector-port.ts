// Debugging a cluster: each worker gets an inspector port of its own.
//
// A primary started with `--inspect` listens for a debugger on one port (9229
// unless told otherwise). Its workers inherit its execArgv, flag included, so
// left alone they would all ask for that same port, and all but the first
// would fail to open it. Node's cluster therefore starts every worker with one
// more option, `--inspect-port=N`, naming a port of the worker's own.
// (Node's lib/internal/cluster/primary.js: createWorkerProcess().)

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
  let port: number;
  if (typeof inspectPort === 'function') {
    port = inspectPort();
  } else if (inspectPort !== undefined && inspectPort !== null) {
    port = inspectPort;
  } else {
    defaultPortsGiven++;
    port = process.debugPort + defaultPortsGiven;
    // Past the last port, start again just above the ports only root may open.
    if (port > HIGHEST_PORT) port = port - HIGHEST_PORT + LOWEST_UNPRIVILEGED_PORT - 1;
  }
  if (!Number.isInteger(port) || port < 0 || port > HIGHEST_PORT) {
    throw new RangeError(`settings.inspectPort must give a port from 0 to ${HIGHEST_PORT}; got ${String(port)}`);
  }
  return port;
  // #endstep 1.5 next-inspect-port
}
// #endregion next-inspect-port
