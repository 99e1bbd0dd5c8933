// A steady, bounded HTTP load, counted per phase. The demo runs it in a
// process of its own (load-client.ts); the tests run it in the test process,
// which is not part of the cluster either. Each lane sends a request, waits
// for the answer, pauses, and sends the next, until stop(), `maxRequests` or
// `maxSeconds`, whichever comes first. A request counts in the phase it was
// sent in; it fails on a network error or a status other than 200.
import http from 'node:http';

const REQUEST_TIMEOUT_MS = 10_000;

export interface LoadOptions {
  port: number;
  /** true: the lanes reuse connections (an Agent with keepAlive); false: a fresh connection per request */
  keepAlive: boolean;
  /** how many requests may be in flight at once */
  lanes: number;
  /** ms each lane waits between an answer and its next request */
  pause: number;
  maxRequests: number;
  maxSeconds: number;
  /** the request's path; default "/" */
  path?: string;
  /** the phase the first requests count in; default "start" */
  phase?: string;
}

export interface Tally {
  sent: number;
  answered: number;
  failed: number;
  /** what went wrong, and how often: "ECONNRESET", "status 503" */
  errors: Record<string, number>;
  /** the answers' bodies, and how often each came */
  answers: Record<string, number>;
}

export class Load {
  private phase: string;
  private readonly tallies = new Map<string, Tally>();
  private stopped = false;
  private sentInAll = 0;
  private readonly agent: http.Agent | false;
  private readonly lanes: Promise<void>[] = [];
  private readonly deadline: number;

  constructor(private readonly options: LoadOptions) {
    this.phase = options.phase ?? 'start';
    this.agent = options.keepAlive ? new http.Agent({ keepAlive: true, maxSockets: options.lanes }) : false;
    this.deadline = Date.now() + options.maxSeconds * 1000;
    for (let i = 0; i < options.lanes; i++) this.lanes.push(this.lane());
  }

  /** From now on, requests count in `phase`. */
  mark(phase: string): void {
    this.phase = phase;
  }

  /** Stops sending; resolves with the tallies once every request in flight has ended. */
  async stop(): Promise<Map<string, Tally>> {
    this.stopped = true;
    await Promise.all(this.lanes);
    if (this.agent) this.agent.destroy();
    return this.tallies;
  }

  private tally(phase: string): Tally {
    let tally = this.tallies.get(phase);
    if (!tally) this.tallies.set(phase, (tally = { sent: 0, answered: 0, failed: 0, errors: {}, answers: {} }));
    return tally;
  }

  private async lane(): Promise<void> {
    while (!this.stopped && this.sentInAll < this.options.maxRequests && Date.now() < this.deadline) {
      this.sentInAll++;
      const tally = this.tally(this.phase);
      tally.sent++;
      const outcome = await get(this.options.port, this.options.path ?? '/', this.agent);
      if (outcome.ok) {
        tally.answered++;
        tally.answers[outcome.text] = (tally.answers[outcome.text] ?? 0) + 1;
      } else {
        tally.failed++;
        tally.errors[outcome.text] = (tally.errors[outcome.text] ?? 0) + 1;
      }
      await new Promise((resume) => setTimeout(resume, this.options.pause));
    }
  }
}

/** One GET: ok with the body's first line, or not ok with what went wrong. */
export function get(port: number, path: string, agent: http.Agent | false = false): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        if (response.statusCode === 200) resolve({ ok: true, text: body.trim() });
        else resolve({ ok: false, text: `status ${response.statusCode}` });
      });
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, text: error.code ?? error.message }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, text: error.code ?? error.message }));
    // Bounded: a request with no answer in 10 s fails (and says so), it does not hold the load forever.
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(Object.assign(new Error('no answer'), { code: 'timed out' })));
  });
}

/** The tallies of several phases added up. */
export function total(tallies: Iterable<Tally>): Tally {
  const sum: Tally = { sent: 0, answered: 0, failed: 0, errors: {}, answers: {} };
  for (const tally of tallies) {
    sum.sent += tally.sent;
    sum.answered += tally.answered;
    sum.failed += tally.failed;
    for (const [error, count] of Object.entries(tally.errors)) sum.errors[error] = (sum.errors[error] ?? 0) + count;
    for (const [answer, count] of Object.entries(tally.answers)) sum.answers[answer] = (sum.answers[answer] ?? 0) + count;
  }
  return sum;
}
