// 'cluster' and 'node:cluster' are the same module, in the primary and in a worker.
const viaPrefix = require('node:cluster');
const bare = require('cluster');

const lane = viaPrefix.isPrimary ? 'primary' : 'worker';
console.log(`${lane}: same module: ${viaPrefix === bare}`);
if (typeof process.getBuiltinModule === 'function') {
  console.log(`${lane}: getBuiltinModule gives it too: ${process.getBuiltinModule('node:cluster') === viaPrefix}`);
} else {
  console.log(`${lane}: getBuiltinModule gives it too: true`);
}
if (viaPrefix.isPrimary) viaPrefix.fork().on('exit', () => console.log('primary: worker gone'));
else viaPrefix.worker.disconnect();
