// schedulingPolicy: round-robin by default on Linux, NODE_CLUSTER_SCHED_POLICY read when the module loads,
// and settable until the first fork. Either way every connection is served.
process.env.NODE_CLUSTER_SCHED_POLICY = process.env.NODE_CLUSTER_SCHED_POLICY || 'none';
const cluster = require('node:cluster');
const http = require('node:http');

if (cluster.isPrimary) {
  console.log(`primary: from the environment "none": ${cluster.schedulingPolicy === cluster.SCHED_NONE}`);
  cluster.schedulingPolicy = cluster.SCHED_RR;
  console.log(`primary: set to SCHED_RR: ${cluster.schedulingPolicy}`);
  const workers = [cluster.fork(), cluster.fork()];
  let listening = 0;
  cluster.on('listening', async (worker, address) => {
    if (++listening < 2) return;
    const answers = new Set();
    for (let i = 0; i < 8; i++) answers.add(await get(address.port));
    console.log(`primary: 8 requests answered by ${answers.size} workers`);
    cluster.disconnect();
  });
  function get(port) {
    return new Promise((resolve, reject) => {
      http.get({ port, host: '127.0.0.1', agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk)).on('end', () => resolve(body));
      }).on('error', reject);
    });
  }
} else {
  http.createServer((request, response) => response.end(String(cluster.worker.id))).listen(0, '127.0.0.1');
}
