// A node:test reporter that writes one JSON line per finished test, for the
// self-check (scripts/test.ts) to read: its name, whether it passed or was
// skipped, the message it failed with, and how long it took (ms).
export default async function* jsonLines(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, skip, details } = event.data;
    if (details?.type === 'suite') continue;
    yield `${JSON.stringify({
      name,
      file,
      outcome: skip !== undefined && skip !== false ? 'skipped' : event.type === 'test:pass' ? 'passed' : 'failed',
      message: event.type === 'test:fail' ? messageOf(details?.error) : undefined,
      ms: details?.duration_ms === undefined ? undefined : Math.round(details.duration_ms),
    })}\n`;
  }
}

function messageOf(error) {
  if (!error) return '';
  // node:test wraps what the test threw; the original is the cause.
  const original = error.cause ?? error;
  return String(original?.message ?? original);
}
