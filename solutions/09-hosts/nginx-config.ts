// The balancer's configuration: the nginx.conf this lesson writes. Every
// host is a member of one upstream, and every request is proxied to it.
// The options are the lesson's knobs: keep-alive to the hosts (step 2),
// retries of a failed request on another host (step 3), a host drained for a
// deploy (step 4), sticky sessions (step 5).
//
// nginx reads it at start, and again on SIGHUP (nginx.ts).

export interface BalancerOptions {
  /** keep connections to the hosts open and reuse them (step 2) */
  keepAlive: boolean;
  /** give up on a host that does not answer, and retry idempotent requests on another one (step 3) */
  retries: boolean;
  /** send every request of one session to the same host (step 5) */
  sticky: boolean;
}

export const DEFAULT_BALANCER: BalancerOptions = { keepAlive: true, retries: true, sticky: false };

export interface Member {
  name: string;
  address: string;
  port: number;
  /** drained: in the list, but given no new requests (step 4) */
  drained: boolean;
}

export interface BalancerSetup {
  /** nginx's own folder: pid file, temporary files */
  prefix: string;
  /** nginx listens on 127.0.0.1:port */
  port: number;
  members: Member[];
  options: BalancerOptions;
}

export function nginxConfig(setup: BalancerSetup): string {
  const { prefix, port, members, options } = setup;
  const keepAlive = keepAliveToHosts(options);
  return [
    // One worker process, so that what nginx learns about a host (it failed,
    // it is back) is known to every request without a shared memory zone.
    'worker_processes 1;',
    `pid ${prefix}/nginx.pid;`,
    'error_log stderr warn;',
    'events { worker_connections 1024; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${prefix}/${kind}_temp;`),
    '  upstream hosts {',
    ...indent(4, balancingMethod(options)),
    ...indent(4, upstreamMembers(members)),
    ...indent(4, keepAlive.upstream),
    '  }',
    '  server {',
    `    listen 127.0.0.1:${port};`,
    '    location / {',
    '      proxy_pass http://hosts;',
    ...indent(6, keepAlive.location),
    ...indent(6, retries(options)),
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

// #region members
/** One `server` line per host: where it is, and what nginx does when it fails. */
function upstreamMembers(members: Member[]): string[] {
  // #step 9.1 members
  return members.map((member) => `server ${member.address}:${member.port}${healthCheck()}${drainMark(member)};`);
  // #endstep 9.1 members
}
// #endregion members

// #region keep-alive
/** Keep-alive to the hosts: lines for the upstream block, and for the location. */
function keepAliveToHosts(options: BalancerOptions): { upstream: string[]; location: string[] } {
  // #step 9.2 keep-alive
  if (!options.keepAlive) return { upstream: [], location: [] };
  return {
    // Up to 16 idle connections kept open, and closed after 4 s idle: before
    // the host's own 5 s (Node's keepAliveTimeout), so that nginx never sends
    // a request on a connection the host is closing at that moment.
    upstream: ['keepalive 16;', 'keepalive_timeout 4s;'],
    // HTTP/1.1 to the hosts (nginx speaks 1.0 to upstreams by default), and no
    // "Connection: close" passed on from the client.
    location: ['proxy_http_version 1.1;', 'proxy_set_header Connection "";'],
  };
  // #endstep 9.2 keep-alive
}
// #endregion keep-alive

// #region health-check
/** The passive health check: after one failure, nginx leaves the host alone for 10 s, then tries it again. */
function healthCheck(): string {
  // #step 9.3 health-check
  return ' max_fails=1 fail_timeout=10s';
  // #endstep 9.3 health-check
}

/** What nginx does with a request whose host failed: another host, or the error to the client. */
function retries(options: BalancerOptions): string[] {
  // #step 9.3 retries
  if (!options.retries) return ['proxy_next_upstream off;'];
  return [
    // A host that does not accept a connection within 1 s, or does not answer
    // within 3 s, is taken for dead (the defaults, 60 s each, would hold the
    // request that long). Our app answers in a millisecond; yours: set the
    // read timeout above your slowest legitimate answer.
    'proxy_connect_timeout 1s;',
    'proxy_read_timeout 3s;',
    // Retry on another host when the connection failed or timed out, or the host
    // said 503 (busy). nginx never retries a POST (not idempotent) once it was sent.
    'proxy_next_upstream error timeout http_503;',
    'proxy_next_upstream_tries 3;',
  ];
  // #endstep 9.3 retries
}
// #endregion health-check

// #region drain
/** A drained host stays in the list, marked down: nginx sends it no new request. */
function drainMark(member: Member): string {
  // #step 9.4 drain
  return member.drained ? ' down' : '';
  // #endstep 9.4 drain
}
// #endregion drain

// #region sticky
/** How nginx picks a host: round-robin by default, or by a hash of the session cookie. */
function balancingMethod(options: BalancerOptions): string[] {
  // #step 9.5 sticky
  // "consistent" (ketama): when a host leaves or comes back, only the
  // sessions that were on it move, not most of them.
  return options.sticky ? ['hash $cookie_session consistent;'] : [];
  // #endstep 9.5 sticky
}
// #endregion sticky

function indent(spaces: number, lines: string[]): string[] {
  return lines.map((line) => ' '.repeat(spaces) + line);
}
