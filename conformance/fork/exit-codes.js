// How a worker ended: its own exit code, a throw, a signal.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const how = { 1: 'exit 3', 2: 'throw', 3: 'signal' };
  for (const id of [1, 2, 3]) {
    const worker = cluster.fork({ HOW: how[id] });
    worker.on('exit', (code, signal) => {
      console.log(`primary about worker ${id}: ${how[id]} -> code ${code} signal ${signal} exitedAfterDisconnect ${worker.exitedAfterDisconnect} dead ${worker.isDead()}`);
    });
    if (how[id] === 'signal') worker.on('online', () => worker.process.kill('SIGKILL'));
  }
} else {
  if (process.env.HOW === 'exit 3') process.exit(3);
  if (process.env.HOW === 'throw') throw new Error('on purpose (stderr is not compared)');
  setInterval(() => {}, 1000);
}
