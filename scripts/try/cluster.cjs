// What `require('node:cluster')` (or `require('cluster')`) gives a program run
// by `npm run try`: the cluster that CLUSTER_TARGET names, the same one every
// demo and test gets from `#cluster` (testing/cluster.ts). The preload
// (preload.ts) points the program's cluster requests at this file.
module.exports = require('../../testing/cluster.ts').default;
