// cluster.settings: empty before setup, then every default, then what setupPrimary() merged in.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const show = (when) => {
    const settings = cluster.settings;
    const described = Object.keys(settings).sort().map((key) => `${key}=${key === 'exec' ? typeof settings[key] : JSON.stringify(settings[key])}`);
    console.log(`primary: ${when}: ${described.join(' ')}`);
  };
  show('before');
  cluster.setupPrimary();
  show('after setupPrimary()');
  console.log(`primary: exec is this file: ${cluster.settings.exec === __filename}`);
  cluster.setupPrimary({ args: ['--flag'], silent: false, windowsHide: true });
  show('after setupPrimary(options)');
  cluster.setupMaster({ serialization: 'json' });
  show('after setupMaster(options)');
  cluster.fork().on('exit', () => show('after fork'));
} else {
  cluster.worker.disconnect();
}
