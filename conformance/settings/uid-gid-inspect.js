// uid and gid (only root may change them; the course's machines run as root), and inspectPort,
// which only matters when the primary itself runs an inspector.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  // Group "nobody" (65534), user root: the worker can still read every file it needs.
  cluster.setupPrimary(root ? { uid: 0, gid: 65534, inspectPort: 9339 } : { inspectPort: 9339 });
  const worker = cluster.fork();
  worker.on('message', (message) => {
    console.log(`primary: ${root ? message : 'uid=0 gid=65534 inspector flags: false (not root: not tried)'}`);
    worker.disconnect();
  });
  worker.on('exit', (code) => console.log(`primary: exit ${code}`));
} else {
  const inspector = process.execArgv.some((arg) => arg.startsWith('--inspect'));
  process.send(`uid=${process.getuid()} gid=${process.getgid()} inspector flags: ${inspector}`);
}
