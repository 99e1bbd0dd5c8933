// The conformance programs: conformance/<area>/<name>.{js,cjs,mjs,ts}, each a
// program written for node:cluster. The folder is the area the table groups
// them by.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../course';

export interface ConformanceProgram {
  area: string;
  /** conformance/<area>/<file>, relative to the repository */
  file: string;
  /** "<area>/<name>" */
  name: string;
}

export const CONFORMANCE_FOLDER = 'conformance';
const PROGRAM = /\.(c?js|mjs|ts)$/;

export function listPrograms(): ConformanceProgram[] {
  const root = path.join(repoRoot, CONFORMANCE_FOLDER);
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((area) =>
      fs
        .readdirSync(path.join(root, area.name))
        .filter((file) => PROGRAM.test(file) && !file.startsWith('_'))
        .map((file) => ({ area: area.name, file: path.join(CONFORMANCE_FOLDER, area.name, file), name: `${area.name}/${file.replace(PROGRAM, '')}` })),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}
