// A rolling deploy across hosts: a new version reaches every host, one host
// at a time, and no request fails. For each host: take it out of nginx's
// rotation (drain), wait until nginx no longer uses its connections to it,
// reload it (its primary replaces its workers one by one, lesson 8), and put
// it back. The other hosts serve meanwhile, so the farm never has fewer than
// N - 1 hosts in rotation.
import type { Farm } from './farm';

/** Deploys `version` to every host of the farm, one host at a time; `say` reports each move. */
export async function rollingDeploy(farm: Farm, version: string, say: (line: string) => void): Promise<void> {
  farm.setVersion(version);
  // #step 9.4 deploy
  for (const running of farm.hosts) {
    // nginx sends the host no new request, and its old worker processes
    // (with their keep-alive connections to the host) finish and leave.
    await farm.setDrained(running, true);
    say(`${running.host.name}: drained`);
    await farm.reloadHost(running);
    say(`${running.host.name}: reloaded with version ${version}`);
    await farm.setDrained(running, false);
    say(`${running.host.name}: back in rotation`);
  }
  // #endstep 9.4 deploy
}
