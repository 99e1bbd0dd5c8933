// The entry of the "ours, raw handle (internals)" bench row: solution 6's
// cluster, with its round-robin primary handing over raw handles the way
// node's does. NOT public API, and never a solution's default: see
// round-robin-handle.ts here, and build.ts for how the folder is put together.
//
// build.ts copies solution 6 into bench-results/, renames its index.ts to
// index-solution.ts, and puts this file and round-robin-handle.ts in their
// place, with their imports of solution 6 turned into imports of the copy.
import net from 'node:net';
import cluster from '../../../solutions/06-measure/index';

// A raw handle arrives in a worker as a raw handle ('net.Native'): wrap it in
// a net.Socket as child_process does for a socket it receives ('net.Socket'),
// so the worker's code sees what it always sees, at the same cost.
if (cluster.isWorker) {
  const emit = process.emit;
  process.emit = function emitWithSocket(this: NodeJS.Process, event: string | symbol, ...args: unknown[]) {
    if (event === 'message' && isRawStreamHandle(args[1])) {
      args[1] = new net.Socket({ handle: args[1], readable: true, writable: true } as net.SocketConstructorOpts);
    }
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof process.emit;
}

function isRawStreamHandle(handle: unknown): boolean {
  return typeof handle === 'object' && handle !== null && !(handle instanceof net.Socket) && !(handle instanceof net.Server) &&
    typeof (handle as { readStart?: unknown }).readStart === 'function';
}

export default cluster;
