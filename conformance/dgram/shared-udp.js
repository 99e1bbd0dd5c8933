// UDP: two workers bind the same port (udp4) through the primary; datagrams reach them; disconnect closes them.
const cluster = require('node:cluster');
const dgram = require('node:dgram');

if (cluster.isPrimary) {
  const probe = dgram.createSocket('udp4');
  probe.bind(0, '127.0.0.1', () => {
    const port = probe.address().port;
    probe.close();
    let bound = 0;
    let answers = 0;
    const client = dgram.createSocket('udp4');
    client.on('message', () => {
      if (++answers === 1) {
        console.log('primary: a worker answered');
        cluster.disconnect(() => {
          console.log('primary: all gone');
          client.close();
        });
      }
    });
    for (let i = 0; i < 2; i++) {
      cluster.fork({ PORT: String(port) }).on('message', (message) => {
        console.log(`primary: ${message}`);
        if (++bound === 2) client.send('ping', port, '127.0.0.1');
      });
    }
  });
} else {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, from) => socket.send('pong', from.port, from.address));
  socket.on('error', (error) => process.send(`error ${error.code}`));
  socket.bind(Number(process.env.PORT), '127.0.0.1', () => process.send('bound'));
}
