// udp6 through the primary, and exclusive: true, which binds in the worker itself.
const cluster = require('node:cluster');
const dgram = require('node:dgram');

if (cluster.isPrimary) {
  const probe = dgram.createSocket('udp6');
  probe.bind(0, '::1', () => {
    const port = probe.address().port;
    probe.close();
    let reports = 0;
    for (const kind of ['shared', 'shared', 'exclusive']) {
      const worker = cluster.fork({ PORT: String(port), KIND: kind });
      worker.on('message', (message) => {
        console.log(`primary about worker ${worker.id}: ${message}`);
        if (++reports === 3) cluster.disconnect(() => console.log('primary: all gone'));
      });
    }
  });
} else {
  const socket = dgram.createSocket('udp6');
  socket.on('error', (error) => process.send(`${process.env.KIND}: error ${error.code}`));
  if (process.env.KIND === 'shared') {
    socket.bind(Number(process.env.PORT), '::1', () => process.send('shared: bound'));
  } else {
    socket.bind({ port: 0, address: '::1', exclusive: true }, () => {
      process.send('exclusive: bound');
      socket.close();
    });
  }
}
