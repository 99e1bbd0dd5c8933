// The repository's root folder, the one place that works it out: every tool,
// test helper and the #cluster selector name files relative to it. This file
// sits one folder below the root; nothing else counts `..`s.
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..');
