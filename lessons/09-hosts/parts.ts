// Lesson 9's own parts (the hosts, nginx, the farm, the load) live beside the
// cluster, in the same folder: the reference solution's, or your starter's.
// The demo and the tests load them from the folder CLUSTER_TARGET names. On
// real node:cluster (CLUSTER_TARGET=node) they come from the reference
// solution: only the hosts' cluster is node's, the balancer part is the same.
import path from 'node:path';
import type * as DeployModule from '../../solutions/09-hosts/deploy';
import type * as FarmModule from '../../solutions/09-hosts/farm';
import type * as HostsModule from '../../solutions/09-hosts/hosts';
import type * as LoadModule from '../../solutions/09-hosts/load';
import type * as NginxModule from '../../solutions/09-hosts/nginx';
import type * as ConfigModule from '../../solutions/09-hosts/nginx-config';

export const REFERENCE = path.join('solutions', '09-hosts');
const repoRoot = path.resolve(__dirname, '..', '..');

export interface LessonParts {
  farm: typeof FarmModule;
  hosts: typeof HostsModule;
  load: typeof LoadModule;
  nginx: typeof NginxModule;
  config: typeof ConfigModule;
  deploy: typeof DeployModule;
}

/** The folder the parts come from. */
export function partsFolder(): string {
  const target = process.env.CLUSTER_TARGET;
  if (!target) throw new Error('CLUSTER_TARGET is not set: run lesson 9 with `npm run lesson 9` or `npm test -- lesson-9`.');
  return target === 'node' ? REFERENCE : target;
}

export function loadParts(): LessonParts {
  const folder = partsFolder();
  const part = (name: string) => {
    const file = path.resolve(repoRoot, folder, name);
    try {
      require.resolve(file);
    } catch {
      throw new Error(`${folder} has no ${name}.ts: lesson 9's hosts, nginx and load live beside the cluster (this is not lesson 9's code)`);
    }
    return require(file);
  };
  return {
    farm: part('farm'),
    hosts: part('hosts'),
    load: part('load'),
    nginx: part('nginx'),
    config: part('nginx-config'),
    deploy: part('deploy'),
  };
}
