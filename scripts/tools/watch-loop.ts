// The heart of `npm run watch`: run once now, then again after each save in
// the folder. Saves come in bursts (an editor writes, renames, touches), so
// a run starts only once the folder has been quiet for a moment; a run still
// going when a save arrives is stale, and is stopped before the fresh one
// starts. The runs themselves are given (test-run-process.ts in the tool, a
// fake in the tests).
import fs from 'node:fs';

export interface Run<T> {
  /** undefined when the run was stopped */
  result: Promise<T | undefined>;
  /** may be called more than once: each call resolves once the run's processes are gone */
  stop(): Promise<void>;
}

export interface WatchLoopOptions<T> {
  /** the absolute path of the folder to watch (one flat folder: a starter has no sub-folders) */
  folder: string;
  start(): Run<T>;
  onStart(reason: string): void;
  onResult(result: T): void;
  /** milliseconds of quiet after a save before a run starts */
  debounceMs?: number;
}

export interface WatchLoop {
  /** stops watching and stops the run in progress; resolves once it is gone */
  close(): Promise<void>;
}

/** Editors' temporary and backup files are not saves of the learner's code. */
export function isLearnerFile(name: string | null): boolean {
  if (!name) return true; // some platforms do not say which file: assume it matters
  return !(name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp)$/.test(name) || /^\d+$/.test(name));
}

export function watchLoop<T>(options: WatchLoopOptions<T>): WatchLoop {
  const debounceMs = options.debounceMs ?? 200;
  let current: Run<T> | undefined;
  let generation = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  // Starting and stopping runs one after another, never interleaved.
  let queue: Promise<void> = Promise.resolve();

  const runAgain = (reason: string) => {
    queue = queue.then(async () => {
      if (closed) return;
      if (current) await current.stop();
      if (closed) return; // closed while the stale run was being stopped
      const mine = ++generation;
      options.onStart(reason);
      // `current` stays set once the run ends: stopping an ended run is quick,
      // and waiting on it makes sure its last processes are gone.
      const run = (current = options.start());
      const result = await run.result;
      if (mine !== generation || closed) return; // stopped for a newer run, or on exit: nothing to say
      if (result !== undefined) options.onResult(result);
    });
  };

  // The run is not awaited inside the queue's turn: the queue waits for it, so
  // a save would wait for the whole run. Instead, a save stops it from outside.
  const onSave = (name: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const stale = current;
      if (stale) void stale.stop();
      runAgain(`${name} saved`);
    }, debounceMs);
  };

  const watcher = fs.watch(options.folder, (_event, name) => {
    if (isLearnerFile(name)) onSave(name ?? 'a file');
  });
  runAgain('start');

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
      // Not `await queue`: that would wait for a run to finish, and a broken
      // stop() would then go unnoticed. Stopping the current run is the job.
      await current?.stop();
    },
  };
}
