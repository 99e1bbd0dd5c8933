// `npm run docs [-- --port N]`: builds the site, serves it on 127.0.0.1 and
// rebuilds it whenever a page, a lesson or a solution changes; open pages then
// reload themselves. Port 4173 by default, or any free port if that is taken.
import fs from 'node:fs';
import path from 'node:path';
import { exitWithUsage, repoRoot } from '../course';
import { commandLineOrExit } from '../tools/command-line';
import { buildOrExplain, describeBuild, reportBrokenLinks, siteDir } from './build';
import { serveSite } from './lib/server';

const USAGE = `usage: npm run docs [-- --port N]

  Builds the course site into site/ and serves it on http://127.0.0.1:4173/
  (or on a free port if 4173 is taken), rebuilding when the sources change.
  --port N   serve on port N (0: any free port)
  npm run docs:build   builds without serving`;

const DEFAULT_PORT = 4173;
/** What a rebuild watches: the pages, and the files that pages include or diff. */
const WATCHED = ['docs', 'lessons', 'solutions', 'scripts/docs/assets'];

const PORT_NEEDS = 'one whole number from 0 to 65535';

function parsePort(words: string[]): number | undefined {
  const { values, positionals } = commandLineOrExit(words, { port: { type: 'string', needs: PORT_NEEDS } }, USAGE);
  if (positionals.length > 0) exitWithUsage(`Unknown argument ${positionals[0]}.`, USAGE);
  const value = values.port;
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) exitWithUsage(`--port needs ${PORT_NEEDS}, got ${value}.`, USAGE);
  return Number(value);
}

async function listenWithFallback(port: number | undefined) {
  if (port !== undefined) return serveSite(siteDir, port, { liveReload: true });
  try {
    return await serveSite(siteDir, DEFAULT_PORT, { liveReload: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log(`Port ${DEFAULT_PORT} is taken; using a free one.`);
    return serveSite(siteDir, 0, { liveReload: true });
  }
}

function watchSources(rebuild: () => void): fs.FSWatcher[] {
  let timer: NodeJS.Timeout | undefined;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, 150);
  };
  return WATCHED.filter((folder) => fs.existsSync(path.join(repoRoot, folder))).map((folder) =>
    fs.watch(path.join(repoRoot, folder), { recursive: true }, later),
  );
}

async function main(): Promise<void> {
  const port = parsePort(process.argv.slice(2));
  const first = await buildOrExplain();
  if (!first) {
    process.exitCode = 1;
    return;
  }
  reportBrokenLinks(first);
  console.log(describeBuild(first));
  let server;
  try {
    server = await listenWithFallback(port);
  } catch (error) {
    exitWithUsage(`Cannot serve on port ${port}: ${(error as Error).message}`, USAGE);
  }
  console.log(`Serving the course at ${server.url}  (Ctrl-C stops)`);

  let building = false;
  const watchers = watchSources(async () => {
    if (building) return;
    building = true;
    try {
      const result = await buildOrExplain();
      if (result) {
        reportBrokenLinks(result);
        console.log(`${describeBuild(result)}: open pages reload`);
        server.reload();
      }
    } catch (error) {
      console.error(`rebuild failed: ${(error as Error).stack ?? error}`);
    } finally {
      building = false;
    }
  });
  const stop = async () => {
    for (const watcher of watchers) watcher.close();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
