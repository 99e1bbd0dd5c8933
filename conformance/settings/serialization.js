// serialization: 'advanced' carries what JSON cannot (Map, BigInt, Date, undefined); 'json' does not.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const mode = { 1: 'advanced', 2: 'json' };
  for (const id of [1, 2]) {
    cluster.setupPrimary({ serialization: mode[id] });
    const worker = cluster.fork();
    worker.on('message', (message) => {
      console.log(`primary about worker ${id}: ${mode[id]}: ${message}`);
      worker.disconnect();
    });
    worker.on('online', () => worker.send({ map: new Map([['a', 1]]), big: mode[id] === 'advanced' ? 10n : 'no bigint in json', date: new Date(0), nothing: undefined }));
  }
} else {
  process.on('message', (message) => {
    process.send(`map is a Map: ${message.map instanceof Map}, big is ${typeof message.big}, date is a Date: ${message.date instanceof Date}, has "nothing": ${'nothing' in message}`);
  });
}
