// Loaded first (`--require`, through NODE_OPTIONS) in the program that
// `npm run try` starts and in every process it forks: its workers inherit
// NODE_OPTIONS even when the program gives them an execArgv of its own.
//
// It makes the program's `require('node:cluster')`, `require('cluster')`,
// `import ... from 'node:cluster'` and `process.getBuiltinModule('cluster')`
// land on the cluster CLUSTER_TARGET names (cluster.cjs), without a change
// to the program. With CLUSTER_TARGET=node it leaves node:cluster alone: the
// two runs then differ in nothing but the cluster (both run TypeScript the
// same way, see launch.ts).
import Module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { esmSource, namesOf, PUBLIC_NAMES } from './esm-source';

const CLUSTER_SPECIFIERS = new Set(['cluster', 'node:cluster']);
const replacementFile = path.join(__dirname, 'cluster.cjs');
/** Where an `import` of node:cluster lands; the hooks make its source (the URL names no file). */
const REPLACEMENT_ESM_URL = 'cluster-from-scratch:node-cluster';

const loadReplacement = (): object => require(replacementFile);

type SyncHooks = {
  resolve: (
    specifier: string,
    context: { conditions?: string[] },
    next: (specifier: string, context: object) => unknown,
  ) => unknown;
  load: (url: string, context: object, next: (url: string, context: object) => unknown) => unknown;
};
const registerHooks = (Module as unknown as { registerHooks?: (hooks: SyncHooks) => unknown }).registerHooks;

/**
 * Node 22.15 and later: one pair of hooks, in this thread, for require and
 * import alike. An import gets a module made on the spot with the names the
 * cluster has on this side (see esm-source.ts).
 */
function replaceWithSyncHooks(register: NonNullable<typeof registerHooks>): void {
  register({
    resolve(specifier, context, next) {
      if (!CLUSTER_SPECIFIERS.has(specifier)) return next(specifier, context);
      if (context.conditions?.includes('require')) {
        return { url: pathToFileURL(replacementFile).href, format: 'commonjs', shortCircuit: true };
      }
      return { url: REPLACEMENT_ESM_URL, format: 'module', shortCircuit: true };
    },
    load(url, context, next) {
      if (url !== REPLACEMENT_ESM_URL) return next(url, context);
      return { format: 'module', source: esmSource(replacementFile, namesOf(loadReplacement())), shortCircuit: true };
    },
  });
}

/**
 * Node 20: every require goes through Module.prototype.require (it is what a
 * module's own `require` calls), and imports through hooks on a thread of
 * their own (esm-hooks-node20.mjs). That thread cannot see the cluster
 * object, so an import gets every public name, undefined where this side has
 * none.
 */
function replaceWithRequirePatchAndHookThread(): void {
  const originalRequire = Module.prototype.require;
  Module.prototype.require = function requireWithOurCluster(this: Module, id: string) {
    return originalRequire.call(this, CLUSTER_SPECIFIERS.has(id) ? replacementFile : id);
  } as typeof Module.prototype.require;
  // The hooks thread runs this preload too: it must not start a hooks thread of its own.
  if (!isMainThread) return;
  const register = (Module as unknown as { register?: (url: string, options: object) => void }).register;
  register?.(pathToFileURL(path.join(__dirname, 'esm-hooks-node20.mjs')).href, {
    data: { url: REPLACEMENT_ESM_URL, source: esmSource(replacementFile, PUBLIC_NAMES) },
  });
}

/** process.getBuiltinModule('cluster') (Node 20.16, 22.3 and later) gives the same cluster. */
function replaceGetBuiltinModule(): void {
  const original = process.getBuiltinModule as ((id: string) => unknown) | undefined;
  if (typeof original !== 'function') return;
  (process as { getBuiltinModule: (id: string) => unknown }).getBuiltinModule = (id: string) =>
    CLUSTER_SPECIFIERS.has(id) ? loadReplacement() : original.call(process, id);
}

if (process.env.CLUSTER_TARGET && process.env.CLUSTER_TARGET !== 'node') {
  if (registerHooks) replaceWithSyncHooks(registerHooks);
  else replaceWithRequirePatchAndHookThread();
  replaceGetBuiltinModule();
}
