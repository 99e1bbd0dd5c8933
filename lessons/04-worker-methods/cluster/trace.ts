// `npm run lesson N -- --trace` sets CLUSTER_TRACE=1: every process of the
// cluster then prints each internal message it sends, so you can watch the
// protocol that the lessons describe. Each line is printed by the sender.
import type { Envelope, Handle } from './messages';

const tracing = process.env.CLUSTER_TRACE === '1';

export function traceMessage(direction: string, message: Envelope, handle: Handle): void {
  if (!tracing) return;
  const { clusterKey, act, ...fields } = message;
  const time = new Date().toISOString().slice(11, 23);
  const details = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  const attachment = handle ? ` + ${handle.constructor.name}` : '';
  process.stdout.write(`  [trace ${time}] ${direction.padEnd(20)} ${act}${details}${attachment}\n`);
}
