// A rolling deploy across hosts: a new version reaches every host, one host
// at a time, and no request fails. For each host: take it out of nginx's
// rotation (drain), wait until nginx no longer uses its connections to it,
// reload it (its primary replaces its workers one by one, lesson 8), and put
// it back. The other hosts serve meanwhile, so the farm never has fewer than
// N - 1 hosts in rotation.
import type { Farm } from './farm';
import { todo } from '../../todo';

/** Deploys `version` to every host of the farm, one host at a time; `say` reports each move. */
export async function rollingDeploy(farm: Farm, version: string, say: (line: string) => void): Promise<void> {
  farm.setVersion(version);
  // #step 9.4 deploy
  todo(9, 4, `deploying version ${version}: for each host in turn, out of nginx's rotation, wait until nginx no longer uses it, reload it, and back in rotation, with no request failing`);
  // #endstep 9.4 deploy
}
