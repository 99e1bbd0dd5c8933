// exec, args, execArgv and cwd: the worker runs another file, with its own arguments, Node options and folder.
const cluster = require('node:cluster');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (cluster.isPrimary) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-cwd-'));
  cluster.setupPrimary({
    exec: path.join(__dirname, '_worker-report.js'),
    args: ['alpha', 'beta'],
    execArgv: [...process.execArgv, '--max-old-space-size=200'],
    cwd: folder,
  });
  const worker = cluster.fork();
  worker.on('message', (report) => {
    console.log(`primary: the worker runs ${report.file}, argv ${JSON.stringify(report.args)}, has --max-old-space-size=200: ${report.execArgv.includes('--max-old-space-size=200')}, in the given folder: ${report.cwd === fs.realpathSync(folder)}`);
    worker.disconnect();
  });
  worker.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
}
