// The third way to listen in a cluster: `listen({ port, reusePort: true })`.
//
// Since Node 22.12 (and 23.1), a server can ask for SO_REUSEPORT: then several
// sockets may listen on one port, and the kernel spreads the new connections
// over them. A worker that asks for it needs no primary: node's net binds the
// socket in the worker itself, as it does for `exclusive: true`, and the
// primary is not asked and hears no 'listening'. Older Node ignores the option
// (and so the worker listens through the primary as usual): like node, we
// decide by the version we run on.

/** The first versions of each line whose net.Server.listen() knows `reusePort`. */
const FIRST_WITH_REUSE_PORT: Record<number, number> = { 22: 12, 23: 1 };

/** Does the Node running us (`v22.12.0`, say) know `reusePort`? */
export function nodeKnowsReusePort(version = process.version): boolean {
  const [major, minor] = version.slice(1).split('.').map(Number);
  if (major > 23) return true;
  return major in FIRST_WITH_REUSE_PORT && minor >= FIRST_WITH_REUSE_PORT[major];
}

/** Does this listen({ ... }) bind its own socket with SO_REUSEPORT, instead of sharing through the primary? */
export function bindsItsOwnReusePortSocket(options: object): boolean {
  return nodeKnowsReusePort() && (options as { reusePort?: unknown }).reusePort === true;
}
