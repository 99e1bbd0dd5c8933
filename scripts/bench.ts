// `npm run bench`: compares HTTP hello-world servers under load on
// 127.0.0.1 (one process, node:cluster and ours, round-robin and shared
// handle, fresh connections and keep-alive) and writes the results as JSON
// and as a chart. The parts live in scripts/bench/; `--help` lists the options.
import { formatReport } from './bench/report';
import { parseOptions, USAGE, UsageError, type BenchOptions } from './bench/options';
import { CannotRunError, runBench, writeResults } from './bench/run';
import { killAllServers, stopAllServers } from './bench/server-process';

function readOptions(): BenchOptions {
  try {
    return parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

/** Whatever happens, no server outlives the bench. */
function stopServersOnEveryExit(): void {
  // 'exit' handlers must be synchronous: SIGKILL to each server's process group.
  process.on('exit', killAllServers);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}: stopping the servers\n`);
      void stopAllServers().finally(() => process.exit(code));
    });
  }
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench: ${error.stack ?? error}\n`);
    process.exit(1); // the 'exit' handler kills the servers
  });
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options.help) {
    console.log(USAGE);
    return;
  }
  stopServersOnEveryExit();
  const started = Date.now();
  try {
    const results = await runBench(options, (line) => console.log(line));
    console.log('\n' + formatReport(results));
    const written = writeResults(results, options.publish);
    console.log(`\nwrote ${written.join(', ')}`);
    console.log(`bench finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    await stopAllServers();
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bench: ${message}\n`);
    process.exitCode = error instanceof CannotRunError ? 2 : 1;
  }
}

void main();
