// Keeps coverage to the code we wrote, not the code tsx adds around it.
//
// tsx hands each .ts file to esbuild, which turns it into CommonJS and adds
// code of its own: helpers at the top (__export, __copyProps, __toCommonJS,
// __name), one getter per export, a `static { __name(this, ...) }` block per
// class, `0 && (module.exports = {...})` at the end, and tsx wraps it all in
// an arrow function it calls at once. V8 measures that code like any other,
// so c8 counts it: its never-taken branches (`typeof from === "function"`,
// the `0 && ...` tail) and never-read getters show as misses, all of them on
// line 1 or the last line of the .ts file, and the rest inflates the totals.
//
// The source map tells the two apart. esbuild maps every token it took from
// the .ts file back to it; code it wrote itself has no mapping, or one that
// points at the very start of the file (line 1, column 0: a comment in every
// file of this course). So a V8 range counts if some .ts code starts inside it
// and it does not start at such a line-1 mapping; the others are dropped
// before c8 turns V8's ranges into lines and branches. Two ranges start before
// any mapping: V8's range for the whole script, which c8 cannot map and drops
// anyway, and tsx's wrapper, which holds the whole module as the function Node
// wraps a plain .js module in does. The wrapper stays, trimmed to the module's
// code, so that top-level lines show how many processes ran them.
//
// On solutions/01-fork, c8 alone counts 62 branches and 10 misses (83.87%);
// 9 of those misses sit on line 1 or the last line of a file. Counting only
// the .ts code: 23 branches and 1 miss (95.65%), a real one.
import fs from 'node:fs';
import { SourceMap, type SourceMapPayload, type SourceMapping } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One counted stretch of generated code, as V8 reports it (offsets into the generated code). */
export interface RangeCoverage {
  startOffset: number;
  endOffset: number;
  count: number;
}

export interface FunctionCoverage {
  functionName: string;
  ranges: RangeCoverage[];
  isBlockCoverage: boolean;
}

export interface ScriptCoverage {
  scriptId: string | number;
  /** a path once c8 has normalised it */
  url: string;
  functions: FunctionCoverage[];
}

export interface ProcessCoverage {
  result: ScriptCoverage[];
}

/** What Node records per transpiled file in NODE_V8_COVERAGE's `source-map-cache`. */
export interface SourceMapCacheEntry {
  /** the length of each line of the generated code */
  lineLengths?: number[];
  data?: SourceMapPayload | null;
}

/** Rewrites, in place, every script's ranges so that they cover only .ts code. */
export function keepOnlySourceCode(coverage: ProcessCoverage, sourceMaps: Record<string, SourceMapCacheEntry>): void {
  for (const script of coverage.result) {
    const entry = sourceMaps[pathToFileURL(script.url).href];
    // No source map: plain JavaScript, or a file c8 adds as never loaded.
    if (!entry?.data || !entry.lineLengths) continue;
    const generated = new GeneratedCode(new SourceMap(entry.data), entry.lineLengths);
    for (const fn of script.functions) {
      fn.ranges = fn.ranges.flatMap((range) => generated.sourcePartOf(range) ?? []);
    }
    script.functions = script.functions.filter((fn) => fn.ranges.length > 0);
  }
}

/** A transpiled file, seen through its source map. */
class GeneratedCode {
  /** where each generated line starts, as an offset */
  private readonly lineStarts: number[] = [];
  private readonly sourceTexts = new Map<string, string[]>();

  constructor(
    private readonly map: SourceMap,
    private readonly lineLengths: number[],
  ) {
    let offset = 0;
    for (const length of lineLengths) {
      this.lineStarts.push(offset);
      offset += length + 1; // the newline
    }
  }

  /** The range as it concerns the .ts code, or undefined if esbuild or tsx wrote all of it. */
  sourcePartOf(range: RangeCoverage): RangeCoverage | undefined {
    const code = this.codeSpanIn(range);
    if (code === undefined) return undefined; // a helper, the `0 && ...` tail
    const start = this.mappingInEffectAt(range.startOffset);
    if (start === undefined) {
      // Before any mapping: V8's range for the whole script (offset 0), which
      // c8 cannot map and drops anyway, or tsx's wrapper, counted as the module.
      if (range.startOffset === 0) return undefined;
      return { ...range, startOffset: code.start, endOffset: this.endOfLine(code.end) };
    }
    if (!this.landsOnCode(start)) return undefined; // an export getter, a `static { __name(...) }` block
    return range;
  }

  /** Where the first and the last mapping that land on .ts code are, inside the range. */
  private codeSpanIn(range: RangeCoverage): { start: number; end: number } | undefined {
    let span: { start: number; end: number } | undefined;
    // Walk from the end back to the start, one mapping at a time.
    let offset = range.endOffset - 1;
    while (offset >= range.startOffset) {
      const mapping = this.mappingInEffectAt(offset, { sameLine: false });
      if (mapping === undefined) break;
      const mappedOffset = this.lineStarts[mapping.generatedLine] + mapping.generatedColumn;
      if (mappedOffset < range.startOffset) break;
      if (this.landsOnCode(mapping)) span = { start: mappedOffset, end: span?.end ?? mappedOffset };
      offset = mappedOffset - 1;
    }
    return span;
  }

  /** The offset where the generated line holding `offset` ends. */
  private endOfLine(offset: number): number {
    const { line } = this.positionOf(offset);
    return this.lineStarts[line] + this.lineLengths[line];
  }

  /**
   * The nearest mapping at or before an offset. The generated code is one
   * long line per file; at the start of a range we only look on its own line,
   * so the start of tsx's wrapper (before any mapping) has none.
   */
  private mappingInEffectAt(offset: number, { sameLine } = { sameLine: true }): SourceMapping | undefined {
    const place = this.positionOf(offset);
    const found = this.map.findEntry(place.line, place.column);
    if (!('generatedLine' in found)) return undefined;
    return sameLine && found.generatedLine !== place.line ? undefined : found;
  }

  /** esbuild maps the code it writes to line 1, column 0; in our files that, like any comment or blank, is not code. */
  private landsOnCode(mapping: SourceMapping): boolean {
    const line = this.sourceLines(mapping.originalSource)[mapping.originalLine] ?? '';
    const rest = line.slice(mapping.originalColumn).trimStart();
    return rest !== '' && !rest.startsWith('//') && !rest.startsWith('/*');
  }

  /** Zero-based line and column of an offset in the generated code. */
  private positionOf(offset: number): { line: number; column: number } {
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1] <= offset) line++;
    return { line, column: offset - this.lineStarts[line] };
  }

  private sourceLines(source: string): string[] {
    let lines = this.sourceTexts.get(source);
    if (!lines) {
      const file = source.startsWith('file:') ? fileURLToPath(source) : source;
      lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
      this.sourceTexts.set(source, lines);
    }
    return lines;
  }
}
