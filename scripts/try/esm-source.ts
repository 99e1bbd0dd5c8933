// The ES module a program gets for `import cluster, { isPrimary } from 'node:cluster'`
// under `npm run try`.
//
// Node's own node:cluster, imported, has a default export (the cluster object)
// and one named export per public property that the cluster object has on
// that side: a primary has `fork`, a worker has `worker` and no `fork`, so in
// a worker `import { fork } from 'node:cluster'` fails to link. The module
// made here does the same with the chosen cluster. Like Node's, the names are
// read once, when the module is first imported.

/** node:cluster's public names on the primary and on a worker (Object.keys, less the EventEmitter's own fields). */
export const PUBLIC_NAMES = [
  'isWorker',
  'isMaster',
  'isPrimary',
  'Worker',
  'worker',
  'workers',
  'settings',
  'SCHED_NONE',
  'SCHED_RR',
  'schedulingPolicy',
  'setupPrimary',
  'setupMaster',
  'fork',
  'disconnect',
];

/**
 * The module's source. `replacementFile` is the CommonJS file that holds the
 * chosen cluster (cluster.cjs); `names` are the named exports to give it.
 */
export function esmSource(replacementFile: string, names: string[]): string {
  return [
    `import { createRequire } from 'node:module';`,
    `const cluster = createRequire(${JSON.stringify(replacementFile)})(${JSON.stringify(replacementFile)});`,
    `export default cluster;`,
    ...names.map((name) => `export const ${name} = cluster.${name};`),
    '',
  ].join('\n');
}

/** The names this cluster object has, as Node's module would export them on this side. */
export function namesOf(cluster: object): string[] {
  return PUBLIC_NAMES.filter((name) => name in cluster);
}
