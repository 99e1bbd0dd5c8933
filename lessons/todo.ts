// The stubs in every starter call todo(): it stops the program with a message
// that names the lesson step to do next and where to read about it.
export function todo(lesson: number, step: number, what: string): never {
  const lessonFolder = require('node:fs')
    .readdirSync(__dirname)
    .find((name: string) => name.startsWith(String(lesson).padStart(2, '0') + '-'));
  throw new Error(
    `TODO lesson ${lesson}, step ${step}: ${what} ` + `(read lessons/${lessonFolder}/README.md, "Step ${step}")`,
  );
}
