// The balancer's configuration: the nginx.conf this lesson writes. Every
// host is a member of one upstream, and every request is proxied to it.
// The options are the lesson's knobs: keep-alive to the hosts (step 2),
// retries of a failed request on another host (step 3), a host drained for a
// deploy (step 4), sticky sessions (step 5).
//
// nginx reads it at start, and again on SIGHUP (nginx.ts).
import { todo } from '../../todo';


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
  return todo(9, 1, 'nginx knows no host yet: its upstream should have one member per host, at the address and port where that host listens, in the order of the hosts');
  // #endstep 9.1 members
}
// #endregion members

// #region keep-alive
/** Keep-alive to the hosts: lines for the upstream block, and for the location. */
function keepAliveToHosts(options: BalancerOptions): { upstream: string[]; location: string[] } {
  // #step 9.2 keep-alive
  // TODO lesson 9, step 2: with keepAlive, nginx should keep its connections to the hosts open and send request after
  // request on them (HTTP/1.1, no "close" passed on), and close an idle one after 4 s, before the host would (5 s).
  return { upstream: [], location: [] };
  // #endstep 9.2 keep-alive
}
// #endregion keep-alive

// #region health-check
/** The passive health check: after one failure, nginx leaves the host alone for 10 s, then tries it again. */
function healthCheck(): string {
  // #step 9.3 health-check
  // TODO lesson 9, step 3: after one failure, nginx should leave the host alone for 10 s, then try it again.
  return '';
  // #endstep 9.3 health-check
}

/** What nginx does with a request whose host failed: another host, or the error to the client. */
function retries(options: BalancerOptions): string[] {
  // #step 9.3 retries
  // TODO lesson 9, step 3: with retries, a host that does not accept a connection within 1 s, or answer within 3 s,
  // is given up on and the request goes to another host; with retries 0, nginx hands the failure to the client.
  return [];
  // #endstep 9.3 retries
}
// #endregion health-check

// #region drain
/** A drained host stays in the list, marked down: nginx sends it no new request. */
function drainMark(member: Member): string {
  // #step 9.4 drain
  // TODO lesson 9, step 4: a drained host should stay in the upstream but get no new request.
  return '';
  // #endstep 9.4 drain
}
// #endregion drain

// #region sticky
/** How nginx picks a host: round-robin by default, or by a hash of the session cookie. */
function balancingMethod(options: BalancerOptions): string[] {
  // #step 9.5 sticky
  // TODO lesson 9, step 5: with sticky sessions, every request with the same session cookie should go to the same host,
  // and a host leaving or coming back should move only the sessions that were on it.
  return [];
  // #endstep 9.5 sticky
}
// #endregion sticky

function indent(spaces: number, lines: string[]): string[] {
  return lines.map((line) => ' '.repeat(spaces) + line);
}
