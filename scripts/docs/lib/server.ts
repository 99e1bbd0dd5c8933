// A small static file server for site/, on 127.0.0.1 only.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
};

export interface SiteServer {
  url: string;
  port: number;
  /** with liveReload: tells every open page to reload */
  reload(): void;
  close(): Promise<void>;
}

/** The path open pages listen on for "the site was rebuilt" (server-sent events, same origin). */
const RELOAD_PATH = '/__reload';
const RELOAD_SCRIPT = `<script>new EventSource('${RELOAD_PATH}').addEventListener('reload', () => location.reload());</script>`;

/**
 * Serves `root` on 127.0.0.1:`port` (0: any free port). With `liveReload`
 * (npm run docs), every page also gets a tiny script that reloads it when
 * reload() is called; the built files themselves do not contain it.
 */
export function serveSite(root: string, port: number, options: { liveReload?: boolean } = {}): Promise<SiteServer> {
  const listeners = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (options.liveReload && url.pathname === RELOAD_PATH) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write(': connected\n\n');
      listeners.add(response);
      request.on('close', () => listeners.delete(response));
      return;
    }
    let file: string;
    try {
      file = path.join(root, path.normalize(decodeURIComponent(url.pathname)));
    } catch {
      response.writeHead(400).end('bad request');
      return;
    }
    if (!file.startsWith(root)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!url.pathname.endsWith('/')) {
        response.writeHead(301, { location: `${url.pathname}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    if (!fs.existsSync(file)) {
      // The site's own 404 page, whose relative links are made to work from any address by a <base>.
      const notFound = path.join(root, '404.html');
      if (fs.existsSync(notFound)) {
        const page = fs.readFileSync(notFound, 'utf8').replace('<head>', '<head>\n<base href="/">');
        response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(page);
        return;
      }
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`404: ${url.pathname} is not part of the site\n`);
      return;
    }
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    if (options.liveReload && type.startsWith('text/html')) {
      response.end(fs.readFileSync(file, 'utf8').replace('</body>', `${RELOAD_SCRIPT}\n</body>`));
      return;
    }
    fs.createReadStream(file).pipe(response);
  });
  // Connections kept alive by a browser must not hold close() up.
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const actual = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        reload: () => {
          for (const listener of listeners) listener.write('event: reload\ndata: now\n\n');
        },
        close: () =>
          new Promise((done) => {
            for (const listener of listeners) listener.end();
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
