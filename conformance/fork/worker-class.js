// The Worker class: made by hand, with and without options.
const cluster = require('node:cluster');

const empty = new cluster.Worker();
console.log(`${cluster.isPrimary ? 'primary' : 'worker'}: empty worker id=${empty.id} state=${empty.state} exitedAfterDisconnect=${empty.exitedAfterDisconnect}`);
const numbered = new cluster.Worker({ id: 7, state: 'online' });
console.log(`${cluster.isPrimary ? 'primary' : 'worker'}: given worker id=${numbered.id} state=${numbered.state} an EventEmitter: ${typeof numbered.on === 'function'}`);
if (cluster.isPrimary) cluster.fork().on('exit', () => console.log('primary: done'));
else cluster.worker.disconnect();
