// The supervisor's options, their defaults, and the check that refuses a
// value out of range before anything is forked. The defaults follow PM2's
// where PM2 has one (README.md compares them option by option).

export interface SupervisorOptions {
  /** how many workers to keep serving (PM2: instances) */
  workers: number;
  /** the first restart waits this long, in ms (PM2: exp_backoff_restart_delay, 100) */
  restartDelay?: number;
  /** each further restart waits this many times longer (PM2: 1.5) */
  restartFactor?: number;
  /** but never longer than this, in ms (PM2: 15000) */
  maxRestartDelay?: number;
  /** a worker up this long, in ms, starts the next delay from restartDelay again (PM2: 30000) */
  resetAfter?: number;
  /** more than this many restarts of one slot within restartWindow stop that slot (PM2: max_restarts, 16) */
  maxRestarts?: number;
  /** the window for maxRestarts, in ms */
  restartWindow?: number;
  /** true: a worker is ready when it sends 'ready' (process.send('ready')), not when it listens (PM2: wait_ready) */
  waitReady?: boolean;
  /** a worker not ready within this many ms is killed and counts as a failed start (PM2: listen_timeout, 3000) */
  readyTimeout?: number;
  /** a draining worker still there after this many ms is killed (PM2: kill_timeout, 1600) */
  drainTimeout?: number;
  /** a worker whose resident memory is above this many MB is replaced (PM2: max_memory_restart); none by default */
  memoryLimitMB?: number;
  /** how often the memory limit is checked, in ms (PM2: every 30 s) */
  memoryCheckInterval?: number;
  /** environment variables for every worker, on top of the primary's */
  env?: Record<string, string>;
  /** false: SIGTERM, SIGINT and SIGHUP are left to the program */
  handleSignals?: boolean;
  /** where the supervisor's lines go; default: console.log */
  log?: (line: string) => void;
}

export type Settings = Required<Omit<SupervisorOptions, 'memoryLimitMB'>> & { memoryLimitMB: number | undefined };

export const DEFAULTS = {
  restartDelay: 100,
  restartFactor: 1.5,
  maxRestartDelay: 15_000,
  resetAfter: 30_000,
  maxRestarts: 16,
  restartWindow: 60_000,
  waitReady: false,
  // PM2 waits 3 s; a worker that compiles TypeScript as it starts, on a busy machine, needs more.
  readyTimeout: 10_000,
  drainTimeout: 5_000,
  memoryCheckInterval: 5_000,
} as const;

/** A bad option: its message names the option and what it may be. */
export class SupervisorOptionError extends Error {
  override name = 'SupervisorOptionError';
}

/** One rule: what the option may be, and the test of a value. */
interface Rule {
  allowed: string;
  accepts: (value: number, settings: Settings) => boolean;
}

const isWhole = (value: number) => Number.isInteger(value);

const RULES: Partial<Record<keyof Settings, Rule>> = {
  workers: { allowed: 'a whole number, 1 or more', accepts: (value) => isWhole(value) && value >= 1 },
  restartDelay: { allowed: 'a number of milliseconds, 0 or more', accepts: (value) => value >= 0 },
  restartFactor: { allowed: 'a number, 1 or more (1: the same delay every time)', accepts: (value) => value >= 1 },
  maxRestartDelay: {
    allowed: 'a number of milliseconds, no less than restartDelay',
    accepts: (value, settings) => value >= 0 && value >= settings.restartDelay,
  },
  resetAfter: { allowed: 'a number of milliseconds, 0 or more', accepts: (value) => value >= 0 },
  maxRestarts: { allowed: 'a whole number, 0 or more', accepts: (value) => isWhole(value) && value >= 0 },
  restartWindow: { allowed: 'a number of milliseconds, more than 0', accepts: (value) => value > 0 },
  readyTimeout: { allowed: 'a number of milliseconds, more than 0', accepts: (value) => value > 0 },
  drainTimeout: { allowed: 'a number of milliseconds, 0 or more', accepts: (value) => value >= 0 },
  memoryLimitMB: { allowed: 'a number of megabytes, more than 0', accepts: (value) => value > 0 },
  memoryCheckInterval: { allowed: 'a number of milliseconds, 10 or more', accepts: (value) => value >= 10 },
};

/**
 * The options with their defaults filled in, or a SupervisorOptionError that
 * names the first option out of range, what it may be, and what it got.
 */
export function checkOptions(options: SupervisorOptions): Settings {
  // Not Settings yet: `workers` has no default, and any value may be wrong until checked below.
  const settings = {
    ...DEFAULTS,
    env: {},
    handleSignals: true,
    log: (line: string) => console.log(line),
    memoryLimitMB: undefined,
    ...definedOnly(options),
  } as Settings;
  // #step 8.1 check-options
  for (const [name, rule] of Object.entries(RULES) as Array<[keyof Settings, Rule]>) {
    const value = settings[name];
    if (value === undefined && name === 'memoryLimitMB') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule.accepts(value, settings)) {
      throw new SupervisorOptionError(`supervisor option ${name} must be ${rule.allowed}; got ${shown(value)}`);
    }
  }
  if (settings.memoryLimitMB !== undefined && process.platform !== 'linux') {
    throw new SupervisorOptionError('supervisor option memoryLimitMB reads /proc/<pid>/status, which only Linux has');
  }
  // #endstep 8.1 check-options
  return settings;
}

function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** `{ restartDelay: undefined }` means "the default", as if it were not there. */
function definedOnly(options: SupervisorOptions): Partial<Settings> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
