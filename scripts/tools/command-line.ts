// Every tool's command line: node:util's parseArgs splits it into flags and
// words (--flag value, --flag=value, -h, and a `--` before a program's own
// arguments); this file says in one sentence what is wrong with it, so that a
// tool can show that sentence above its usage and exit with status 2 before
// it has done anything. What the words and values mean is each tool's own
// business.
import { parseArgs } from 'node:util';
import { exitWithUsage } from '../course';

export interface OptionSpec {
  type: 'boolean' | 'string';
  /** a one-letter form: `-h` for `--help` */
  short?: string;
  /** a string option's value, in words, for the message when it is missing: "a whole number (1 or more)" */
  needs?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type OptionValues<T extends OptionSpecs> = { [name in keyof T]?: T[name]['type'] extends 'boolean' ? boolean : string };

export interface CommandLine<T extends OptionSpecs> {
  values: OptionValues<T>;
  /** the words that are not flags (with `separator`, only those before a `--`) */
  positionals: string[];
  /** with `separator`: the words after a `--`, for the program the tool runs */
  afterSeparator: string[];
  /**
   * For a flag with an optional value (`--mine [N]`): the word right after
   * the flag, when it matches `pattern`. It is taken out of `positionals`.
   */
  takeWordAfter(flag: keyof T & string, pattern: RegExp): string | undefined;
}

export interface ReadSettings {
  /** the words after a `--` belong to a program the tool runs (otherwise they count as positionals) */
  separator?: boolean;
}

/** A command line the tool cannot run with; the message says why, in one sentence. */
export class UsageError extends Error {}

/** Reads `args` (process.argv after the script) against `options`; a UsageError if it does not fit them. */
export function readCommandLine<T extends OptionSpecs>(args: readonly string[], options: T, settings: ReadSettings = {}): CommandLine<T> {
  // Not strict: parseArgs then describes every flag it meets instead of
  // throwing its own message, and the checks below say what is wrong.
  const { tokens } = parseArgs({ args: [...args], options: forParseArgs(options), strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean> = {};
  const words: Array<{ word: string; index: number }> = [];
  const afterSeparator: string[] = [];
  const flagIndex = new Map<string, number>();
  let separated = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      separated = settings.separator === true;
    } else if (token.kind === 'positional') {
      if (separated) afterSeparator.push(token.value);
      else words.push({ word: token.value, index: token.index });
    } else {
      const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
      if (!spec) throw new UsageError(`Unknown option ${token.rawName}.`);
      if (flagIndex.has(token.name)) throw new UsageError(`${token.rawName} given twice.`);
      flagIndex.set(token.name, token.index);
      values[token.name] = valueOf(token.rawName, spec, token.value, token.inlineValue === true);
    }
  }
  return {
    values: values as OptionValues<T>,
    get positionals() {
      return words.map((each) => each.word);
    },
    afterSeparator,
    takeWordAfter(flag, pattern) {
      const at = flagIndex.get(flag);
      if (at === undefined || values[flag] !== true) return undefined;
      const next = words.findIndex((each) => each.index === at + 1 && pattern.test(each.word));
      return next === -1 ? undefined : words.splice(next, 1)[0].word;
    },
  };
}

function valueOf(rawName: string, spec: OptionSpec, value: string | undefined, inline: boolean): string | boolean {
  if (spec.type === 'boolean') {
    if (value !== undefined) throw new UsageError(`${rawName} takes no value.`);
    return true;
  }
  // `--workers --mine`: the next flag is not a value (a negative number, `-1`, is, and is judged by the tool).
  if (value === undefined || (!inline && value.startsWith('--'))) {
    throw new UsageError(`${rawName} needs ${spec.needs ?? 'a value'}, got nothing.`);
  }
  return value;
}

function forParseArgs(options: OptionSpecs) {
  return Object.fromEntries(
    Object.entries(options).map(([name, { type, short }]) => [name, short === undefined ? { type } : { type, short }]),
  );
}

/** readCommandLine, with a UsageError shown above `usage` and exit status 2. */
export function commandLineOrExit<T extends OptionSpecs>(
  args: readonly string[],
  options: T,
  usage: string,
  settings: ReadSettings = {},
): CommandLine<T> {
  try {
    return readCommandLine(args, options, settings);
  } catch (error) {
    if (error instanceof UsageError) exitWithUsage(error.message, usage);
    throw error;
  }
}
