// `npm run bench`: compares HTTP hello-world servers under load on
// 127.0.0.1 (one process, node:cluster and ours, round-robin and shared
// handle, fresh connections and keep-alive) and writes the results as JSON
// and as a chart. The parts live in scripts/bench/; `--help` lists the options.
import { formatReport } from './bench/report';
import { parseOptions, USAGE, UsageError, type BenchOptions } from './bench/options';
import { CannotRunError, PROFILE_DIR, runBench, writeBreakdown, writeResults } from './bench/run';
import { formatBreakdown, runBreakdown } from './bench/breakdown';
import { buildRawHandleCluster } from './bench/raw-handle/build';
import type { ClusterKind } from './bench/options';
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
    const say = (line: string): void => console.log(line);
    if (options.breakdown === 'only') {
      const breakdown = await breakdownFor(options, say);
      console.log('\n' + formatBreakdown(breakdown));
      console.log(`\nwrote ${writeBreakdown(breakdown)}`);
      console.log(`bench finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    }
    const results = await runBench(options, say);
    if (options.breakdown === 'also' && results.settings.clusters.includes('node')) {
      results.breakdown = await breakdownFor(options, say, results.settings.clusters);
    }
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

/** The breakdown run (breakdown.ts): at most 3 rounds, of the main run's duration. */
function breakdownFor(options: BenchOptions, say: (line: string) => void, kinds: readonly ClusterKind[] = options.only) {
  if (kinds.includes('raw')) buildRawHandleCluster();
  const rounds = Math.min(options.rounds, 3);
  return runBreakdown({ workers: options.workers, rounds, duration: options.duration, kinds, ours: options.ours, profileDir: PROFILE_DIR }, say);
}

void main();
