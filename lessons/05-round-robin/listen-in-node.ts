// How real node:cluster turns a worker's listen() into a message: run it with
//   node --require tsx/cjs lessons/05-round-robin/listen-in-node.ts
// It always uses node:cluster (never ours). The worker wraps process.send, so
// that when Node's own cluster code sends the primary its queryServer message,
// the worker prints the message and the stack of calls that sent it: from the
// program's server.listen(), through lib/net.js, into lib/internal/cluster/child.js.
import cluster from 'node:cluster';
import http from 'node:http';

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('listening', (address) => {
    console.log(`primary: 'listening' from worker ${worker.id}:`, address);
    worker.disconnect();
  });
} else {
  const send = process.send!.bind(process);
  process.send = ((message: { cmd?: string; act?: string }, ...rest: unknown[]) => {
    if (message?.cmd === 'NODE_CLUSTER' && message.act === 'queryServer') {
      console.log('worker: Node sends the primary', message);
      const frames = new Error().stack!.split('\n').slice(2, 9);
      console.log(`worker: sent from\n${frames.map((frame) => `  ${frame.trim()}`).join('\n')}`);
    }
    return (send as (...args: unknown[]) => boolean)(message, ...rest);
  }) as typeof process.send;
  http.createServer().listen(0, '127.0.0.1');
}
