// The worker of exec-args-cwd.js (a file whose name starts with _ is not a program of its own).
const cluster = require('node:cluster');
const path = require('node:path');

process.send({ file: path.basename(__filename), args: process.argv.slice(2), execArgv: process.execArgv, cwd: process.cwd(), isWorker: cluster.isWorker });
