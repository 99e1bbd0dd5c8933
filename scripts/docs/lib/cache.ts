// Results kept between builds in node_modules/.cache/course-docs: what the
// build computes from a piece of text (highlighted HTML, a diagram's SVG),
// keyed by a hash of that exact text and of the tool's version, so a rebuild
// only redoes what changed. The site comes out the same with or without it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../course';

const CACHE_DIR = path.join(repoRoot, 'node_modules', '.cache', 'course-docs');

export class BuildCache {
  private readonly file: string;
  private entries = new Map<string, string>();
  private readonly used = new Set<string>();
  private changed = false;

  /** `version` names everything else the results depend on: a different one starts empty. */
  constructor(
    name: string,
    private readonly version: string,
  ) {
    this.file = path.join(CACHE_DIR, `${name}.json`);
    try {
      const saved = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      if (saved.version === version) this.entries = new Map(Object.entries(saved.entries as Record<string, string>));
    } catch {
      // no cache yet, or an unreadable one: start empty
    }
  }

  static key(...parts: string[]): string {
    const hash = createHash('sha1');
    for (const part of parts) hash.update(part).update('\0');
    return hash.digest('base64');
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): string | undefined {
    this.used.add(key);
    return this.entries.get(key);
  }

  set(key: string, value: string): void {
    this.used.add(key);
    this.entries.set(key, value);
    this.changed = true;
  }

  /** Keeps what this build used, and nothing else, so the file does not grow. */
  save(): void {
    if (!this.changed && this.used.size === this.entries.size) return;
    const kept = Object.fromEntries([...this.entries].filter(([key]) => this.used.has(key)));
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      fs.writeFileSync(this.file, JSON.stringify({ version: this.version, entries: kept }));
    } catch {
      // a read-only node_modules only makes the next build slower
    }
  }
}
