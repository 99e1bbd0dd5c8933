// The load generator: autocannon, run inside the bench's own process (never
// inside the server under test), against one server for a fixed time.
import autocannon from 'autocannon';
import { percentile } from './stats';

/** How the clients connect. */
export type ConnectionMode = 'fresh' | 'keep-alive';

export interface LoadOptions {
  port: number;
  /** seconds */
  duration: number;
  /** how many clients work at once, each on its own connection */
  connections: number;
  mode: ConnectionMode;
}

export interface LoadResult {
  /** responses received */
  responses: number;
  /** requests written: one more than answered per connection still open at the end, no more */
  sent: number;
  /** the seconds autocannon actually ran */
  seconds: number;
  requestsPerSecond: number;
  /** 99th percentile of the response times, in milliseconds, to the microsecond */
  p99Ms: number;
  /** connection errors and timeouts, plus answers that were not 2xx: all should be 0 */
  errors: number;
  /**
   * CPU time of this process (the load generator) as a share of one core.
   * Near 100%, the client set the pace and the server may have had more to give.
   */
  loadGeneratorCpuPercent: number;
}

/** Runs autocannon once and reads what we need from it. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  // autocannon's own latency histogram counts whole milliseconds, and on
  // 127.0.0.1 most answers take less than one: its p99 would read "0" or "1".
  // Every 'response' event carries the time as a fraction of a millisecond,
  // so we keep those instead.
  const latencies = new LatencyRecorder();
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}/`,
    connections: options.connections,
    duration: options.duration,
    // autocannon only stops at the end of a sampling interval (1 s by
    // default), so a 0.5 s run would last a whole second; 50 ms intervals
    // end it within 50 ms of the time asked for.
    sampleInt: 50,
    headers: options.mode === 'fresh' ? { connection: 'close' } : {},
    setupClient: (client) => {
      client.on('response', (_status: number, _bytes: number, milliseconds: number) => latencies.add(milliseconds));
      if (options.mode === 'fresh') oneRequestPerConnection(client);
    },
  });
  const cpu = process.cpuUsage(cpuBefore);
  const responses = latencies.count;
  return {
    responses,
    sent: result.requests.sent,
    seconds: result.duration,
    requestsPerSecond: responses / result.duration,
    p99Ms: responses === 0 ? 0 : percentile(latencies.values(), 99),
    errors: result.errors + result.non2xx,
    loadGeneratorCpuPercent: ((cpu.user + cpu.system) / (result.duration * 1e6)) * 100,
  };
}

/**
 * Makes an autocannon client send exactly one request per connection.
 *
 * With `Connection: close`, autocannon 9 writes its next request onto the
 * connection the server is closing, then opens a new connection and writes
 * another one. The first of the two never gets an answer but stays in the
 * client's queue, so every later answer is matched with an older request:
 * the measured latency grows for as long as the run lasts (we saw a p99 of
 * 740 ms for a server that answers in 1 ms). So: once an answer has come,
 * send nothing more on that connection; the reconnect sends the next request.
 * This reaches into two undocumented methods of the client, _doRequest and
 * _connect; the bench's tests run a short real load to notice if they change.
 */
function oneRequestPerConnection(client: autocannon.Client): void {
  const internals = client as unknown as { _doRequest: () => void; _connect: () => void };
  const sendRequest = internals._doRequest;
  const connect = internals._connect;
  if (typeof sendRequest !== 'function' || typeof connect !== 'function') {
    throw new Error('this autocannon has no _doRequest/_connect: the fresh-connection mode needs updating');
  }
  let answered = false;
  client.on('response', () => (answered = true));
  internals._doRequest = function (this: unknown) {
    if (!answered) sendRequest.call(this);
  };
  internals._connect = function (this: unknown) {
    answered = false;
    connect.call(this);
  };
}

/** A growing list of response times that costs no allocation per response. */
class LatencyRecorder {
  private buffer = new Float64Array(1 << 16);
  count = 0;

  add(milliseconds: number): void {
    if (this.count === this.buffer.length) {
      const bigger = new Float64Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.count++] = milliseconds;
  }

  values(): Float64Array {
    return this.buffer.subarray(0, this.count);
  }
}
