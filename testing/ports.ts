// Ports for tests. Most tests listen on port 0 and read the port they got;
// a demo whose workers must all ask for the SAME fixed port needs one chosen
// before it starts: this asks the system for a free one, then gives it back.
import net from 'node:net';
import { once } from 'node:events';

/** A port nobody listens on right now (on 127.0.0.1). */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
