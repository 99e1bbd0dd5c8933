// The client side: a load bounded in count and in time, sent to nginx only,
// and what came back, tallied. Each request goes on a connection of its own
// to nginx, so that nothing on the client's side (a reused connection that
// nginx has just closed) can fail a request: every failure counted here is
// the balancer's or a host's.
import http from 'node:http';

export interface LoadOptions {
  url: string;
  /** stop after this many requests... */
  requests: number;
  /** ...or after this many ms, whichever comes first */
  durationMs?: number;
  /** requests in flight at once */
  concurrency?: number;
  /** 'mixed': every other request is a POST (not idempotent: nginx will not retry it) */
  method?: 'GET' | 'POST' | 'mixed';
  /** send a session cookie: each request from one of this many sessions, picked at random */
  sessions?: number;
  /** a request without an answer after this long is a failure */
  timeoutMs?: number;
}

export interface Outcome {
  method: string;
  session?: string;
  /** ms since the load started */
  startedAt: number;
  endedAt: number;
  /** the answer's status, or the error ('timeout', 'ECONNRESET'...) */
  status: number | string;
  host?: string;
  worker?: string;
  version?: string;
  /** which of the worker's connections carried it ("pid.n") */
  connection?: string;
}

export const isFailure = (outcome: Outcome) => outcome.status !== 200;

/** A running load: stop it early, or wait for its end. */
export interface Load {
  /** Date.now() when it started: every Outcome's times count from here */
  startedAt: number;
  outcomes: Outcome[];
  /** resolves when the last request in flight has its answer or its error */
  finished: Promise<Outcome[]>;
  /** no new request after this */
  stop(): Promise<Outcome[]>;
}

export function startLoad(options: LoadOptions): Load {
  const { url, requests, durationMs = 30_000, concurrency = 4, method = 'GET', sessions = 0, timeoutMs = 5000 } = options;
  const started = Date.now();
  const outcomes: Outcome[] = [];
  let sent = 0;
  let stopping = false;
  const deadline = setTimeout(() => (stopping = true), durationMs);

  async function lane(): Promise<void> {
    while (!stopping && sent < requests) {
      const number = sent++;
      const verb = method === 'mixed' ? (number % 2 === 0 ? 'GET' : 'POST') : method;
      // At random, not in turn: sessions taken in turn would meet the hosts'
      // round-robin in step and always find the same worker, by coincidence.
      const session = sessions > 0 ? `user${1 + Math.floor(Math.random() * sessions)}` : undefined;
      outcomes.push(await request(url, verb, session, timeoutMs, started));
    }
  }
  const finished = Promise.all(Array.from({ length: concurrency }, lane)).then(() => {
    clearTimeout(deadline);
    return outcomes;
  });
  return {
    startedAt: started,
    outcomes,
    finished,
    stop: () => {
      stopping = true;
      return finished;
    },
  };
}

/** Sends `requests` requests and resolves with every outcome. */
export function sendLoad(options: LoadOptions): Promise<Outcome[]> {
  return startLoad(options).finished;
}

function request(url: string, method: string, session: string | undefined, timeoutMs: number, started: number): Promise<Outcome> {
  const startedAt = Date.now() - started;
  const outcome = (status: number | string, headers: http.IncomingHttpHeaders = {}): Outcome => ({
    method,
    session,
    startedAt,
    endedAt: Date.now() - started,
    status,
    host: headers['x-host'] as string | undefined,
    worker: headers['x-worker'] as string | undefined,
    version: headers['x-version'] as string | undefined,
    connection: headers['x-connection'] as string | undefined,
  });
  return new Promise((resolve) => {
    const body = method === 'POST' ? 'order=1' : undefined;
    const req = http.request(url, {
      method,
      agent: false, // a fresh connection to nginx for each request
      headers: { ...(session ? { cookie: `session=${session}` } : {}), ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(outcome(response.statusCode ?? 0, response.headers)));
      response.on('error', (error) => resolve(outcome((error as NodeJS.ErrnoException).code ?? error.message)));
    });
    req.on('error', (error) => resolve(outcome((error as NodeJS.ErrnoException).code ?? error.message)));
    req.end(body);
  });
}

// ------------------------------------------------------------ what came back

export interface Tally {
  sent: number;
  answered: number;
  failed: number;
}

export function tally(outcomes: Outcome[]): Tally {
  const failed = outcomes.filter(isFailure).length;
  return { sent: outcomes.length, answered: outcomes.length - failed, failed };
}

export const describeTally = ({ sent, answered, failed }: Tally) => `sent ${sent}, answered ${answered}, failed ${failed}`;

/** The failures by kind: "502 ×3, timeout ×1". */
export function describeFailures(outcomes: Outcome[]): string {
  const kinds = new Map<string, number>();
  for (const outcome of outcomes.filter(isFailure)) kinds.set(String(outcome.status), (kinds.get(String(outcome.status)) ?? 0) + 1);
  return [...kinds].map(([kind, count]) => `${kind} ×${count}`).join(', ') || 'none';
}

/**
 * The host × worker table: how many answers each worker of each host gave.
 * Worker ids are per host (each host's cluster counts from 1), so worker1 of
 * host1 and worker1 of host2 are two different processes.
 */
export function hostWorkerTable(outcomes: Outcome[]): string[] {
  const answered = outcomes.filter((outcome) => !isFailure(outcome));
  const hosts = [...new Set(answered.map((outcome) => outcome.host!))].sort(byNumber);
  const workers = [...new Set(answered.map((outcome) => outcome.worker!))].sort(byNumber);
  const count = (host: string, worker?: string) =>
    answered.filter((outcome) => outcome.host === host && (worker === undefined || outcome.worker === worker)).length;
  const rows = [
    ['', ...workers, 'host total'],
    ...hosts.map((host) => [host, ...workers.map((worker) => String(count(host, worker) || '-')), String(count(host))]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd());
}

const byNumber = (a: string, b: string) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, ''));
