// Node 20 only: the module hooks behind `import ... from 'node:cluster'`.
//
// Node 20 has no in-thread module hooks (module.registerHooks came in 22.15),
// so preload.ts registers this file with module.register(): it runs on a
// thread of its own, which cannot look at the program's cluster object. The
// preload therefore hands over the module's source ready-made (see
// esm-source.ts): every public name of node:cluster, as the cluster has it.
let replacementUrl;
let replacementSource;

/** data: what preload.ts passed to module.register() */
export function initialize(data) {
  replacementUrl = data.url;
  replacementSource = data.source;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'cluster' || specifier === 'node:cluster') return { url: replacementUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url === replacementUrl) return { format: 'module', source: replacementSource, shortCircuit: true };
  return nextLoad(url, context);
}
