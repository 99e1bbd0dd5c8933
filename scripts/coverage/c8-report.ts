// c8's reporting half, used as a library: it reads the V8 coverage files the
// processes wrote, merges them, maps them through tsx's source maps onto the
// .ts files and writes the reports. We step in once, between the merge and the
// mapping, to drop the code tsx added (see compiler-code.ts).
import type { CoverageMap } from 'istanbul-lib-coverage';
import { keepOnlySourceCode, type ProcessCoverage, type SourceMapCacheEntry } from './compiler-code';

/** The options of c8's Report that we use (c8 ships no types). */
interface ReportOptions {
  include: string[];
  exclude: string[];
  extension: string[];
  reporter: string[];
  reportsDirectory: string;
  tempDirectory: string;
  /** also count files no process loaded, as 0% */
  all: boolean;
  src: string[];
  excludeNodeModules: boolean;
  omitRelative: boolean;
  resolve: string;
  excludeAfterRemap: boolean;
  watermarks: Record<'statements' | 'functions' | 'branches' | 'lines', [number, number]>;
}

interface C8Report {
  run(): Promise<void>;
  getCoverageMapFromAllCoverageFiles(): Promise<CoverageMap>;
  /** filled while merging: Node's `source-map-cache` of every process, keyed by file URL */
  sourceMapCache: Record<string, SourceMapCacheEntry>;
  _getMergedProcessCov(): ProcessCoverage;
}

// c8's own entry point exports the same factory its `c8 report` command uses.
const createReport = (require('c8') as { Report: (options: ReportOptions) => C8Report }).Report;

/** A c8 report that counts only the code in the .ts files. */
export function sourceOnlyReport(options: ReportOptions): C8Report {
  const report = createReport(options);
  if (typeof report._getMergedProcessCov !== 'function') {
    throw new Error('scripts/coverage: this c8 has no _getMergedProcessCov(); it was written for c8 10.1');
  }
  const merge = report._getMergedProcessCov.bind(report);
  report._getMergedProcessCov = () => {
    const merged = merge();
    keepOnlySourceCode(merged, report.sourceMapCache);
    return merged;
  };
  return report;
}
