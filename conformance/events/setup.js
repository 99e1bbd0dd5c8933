// 'setup': once per setupPrimary() and once per fork(), with the settings; setupMaster too.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  let count = 0;
  cluster.on('setup', (settings) => {
    count++;
    console.log(`primary: setup ${count} args=${JSON.stringify(settings.args)} silent=${settings.silent} exec is a string: ${typeof settings.exec === 'string'}`);
  });
  cluster.setupPrimary({ args: ['one'] });
  cluster.setupMaster({ silent: false });
  let gone = 0;
  for (let i = 0; i < 2; i++) {
    cluster.fork().on('exit', () => {
      if (++gone === 2) console.log(`primary: done after ${count} setup events`);
    });
  }
} else {
  console.log(`worker ${cluster.worker.id}: argv ${JSON.stringify(process.argv.slice(2))}`);
  cluster.worker.disconnect();
}
