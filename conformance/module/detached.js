// Functions taken off the module work on their own (node's do not use `this`).
const { fork, disconnect, setupPrimary, setupMaster, isPrimary } = require('node:cluster');

if (isPrimary) {
  setupPrimary({});
  setupMaster({});
  fork().on('online', () => {
    console.log('primary: online');
    disconnect(() => console.log('primary: disconnected'));
  });
} else {
  console.log('worker: started');
}
