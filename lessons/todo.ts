// The stubs in every starter call todo(): it stops the program with a message
// that says what node:cluster does at this point, names the lesson step, and
// ends with where to read about it and how to ask for a hint.
export function todo(lesson: number, step: number, what: string): never {
  const lessonFolder = require('node:fs')
    .readdirSync(__dirname)
    .find((name: string) => name.startsWith(String(lesson).padStart(2, '0') + '-'));
  throw new Error(
    `TODO lesson ${lesson}, step ${step}: ${what} ` +
      `(read lessons/${lessonFolder}/README.md, "Step ${step}"; a hint: npm run hint ${lesson} ${step})`,
  );
}
