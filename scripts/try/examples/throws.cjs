// A program that fails at once: `npm run try` passes its exit code on.
require('node:cluster');
throw new Error('this program throws on purpose');
