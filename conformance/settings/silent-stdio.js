// silent: the worker's stdout and stderr come to the primary as streams; stdio: an extra pipe at fd 3.
const cluster = require('node:cluster');
const fs = require('node:fs');

if (cluster.isPrimary) {
  const read = (stream, name, id) => {
    let text = '';
    stream.setEncoding('utf8').on('data', (chunk) => (text += chunk));
    stream.on('end', () => console.log(`primary about worker ${id} ${name}: said ${JSON.stringify(text)}`));
  };
  cluster.setupPrimary({ silent: true });
  const quiet = cluster.fork({ KIND: 'silent' });
  console.log(`primary about worker 1: stdout is a stream: ${quiet.process.stdout !== null} stderr too: ${quiet.process.stderr !== null}`);
  read(quiet.process.stdout, 'stdout', 1);
  read(quiet.process.stderr, 'stderr', 1);
  cluster.setupPrimary({ silent: false, stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'ipc'] });
  const piped = cluster.fork({ KIND: 'stdio' });
  console.log(`primary about worker 2: has a pipe at fd 3: ${piped.process.stdio[3] !== null && piped.process.stdio[3] !== undefined}`);
  read(piped.process.stdio[3], 'fd 3', 2);
  read(piped.process.stdout, 'stdout', 2);
} else if (process.env.KIND === 'silent') {
  console.log('to stdout');
  console.error('to stderr');
  cluster.worker.disconnect();
} else {
  fs.writeSync(3, 'to fd 3');
  fs.closeSync(3);
  console.log('piped stdout');
  cluster.worker.disconnect();
}
