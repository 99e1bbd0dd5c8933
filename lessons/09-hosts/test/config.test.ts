// Step 1 without nginx: the configuration the lesson writes. (The tests that
// run nginx are skipped on a machine without it; this one always runs.)
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { loadParts } from '../parts';

guardedTest('step 1: the configuration puts every host in the upstream that nginx proxies every request to', {}, async () => {
  const { nginxConfig, DEFAULT_BALANCER } = loadParts().config;
  const members = [1, 2, 3].map((index) => ({ name: `host${index}`, address: `10.200.0.${index + 1}`, port: 8080, drained: false }));
  const text = nginxConfig({ prefix: '/tmp/nginx-prefix', port: 8000, members, options: DEFAULT_BALANCER });
  const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(text);
  assert.ok(upstream, `step 1: the configuration should have an upstream block:\n${text}`);
  const servers = [...upstream[2].matchAll(/^\s*server\s+([^\s;]+)/gm)].map((match) => match[1]);
  assert.deepEqual(servers, ['10.200.0.2:8080', '10.200.0.3:8080', '10.200.0.4:8080'], `step 1: one member per host, each at its address and port, in order:\n${text}`);
  assert.match(text, new RegExp(`proxy_pass\\s+http://${upstream[1]};`), `step 1: every request should go to the upstream:\n${text}`);
  assert.match(text, /listen\s+127\.0\.0\.1:8000;/, `step 1: nginx should listen on 127.0.0.1 only:\n${text}`);
});
