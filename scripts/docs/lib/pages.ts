// Which pages the site has, in reading order, and where each one lands in
// site/. The lessons come from the course catalog (scripts/course.ts), so a
// lesson appears as soon as its lessons/NN-topic/README.md exists.
import fs from 'node:fs';
import path from 'node:path';
import { listLessons, repoRoot } from '../../course';

export type PageKind = 'home' | 'guide' | 'lesson' | 'reference' | 'source' | 'changes' | 'not-found';

export interface Page {
  kind: PageKind;
  /** the markdown file, relative to the repository: "lessons/01-fork/README.md" */
  source: string;
  /** the HTML file, relative to site/: "lessons/01-fork.html" */
  output: string;
  /** from the page's first `# ` heading */
  title: string;
  /** the sidebar's shorter label */
  navLabel: string;
  /** lessons only */
  lessonNumber?: number;
  /** a lesson's second page, "Build it" (see split.ts) */
  part?: 'build';
}

/** The docs/ pages that have a fixed place in the reading order; any other docs/*.md goes to the end. */
const DOCS_ORDER: Array<{ file: string; kind: PageKind }> = [
  { file: 'index.md', kind: 'home' },
  { file: 'running.md', kind: 'guide' },
  { file: 'how-cluster-works.md', kind: 'reference' },
  { file: 'article.md', kind: 'reference' },
  { file: 'testing.md', kind: 'reference' },
  { file: 'glossary.md', kind: 'reference' },
  { file: 'authoring.md', kind: 'reference' },
];

export function titleOf(file: string): string | undefined {
  const heading = fs.readFileSync(file, 'utf8').match(/^#\s+(.+)$/m);
  return heading?.[1].replace(/`/g, '').trim();
}

function docsPage(file: string, kind: PageKind): Page {
  const source = `docs/${file}`;
  const title = titleOf(path.join(repoRoot, source)) ?? file;
  const output = file === 'index.md' ? 'index.html' : `docs/${file.replace(/\.md$/, '.html')}`;
  return { kind, source, output, title, navLabel: kind === 'home' ? 'Home' : title };
}

/** Every markdown page of the site, in reading order (the order of the next links). */
export function listPages(): Page[] {
  const docsDir = path.join(repoRoot, 'docs');
  const docsFiles = fs.existsSync(docsDir) ? fs.readdirSync(docsDir).filter((name) => name.endsWith('.md')) : [];
  const known = DOCS_ORDER.filter(({ file }) => docsFiles.includes(file));
  const extra = docsFiles.filter((file) => !DOCS_ORDER.some((entry) => entry.file === file)).sort();
  const docs = (kind: PageKind) => known.filter((entry) => entry.kind === kind).map((e) => docsPage(e.file, e.kind));

  const lessons: Page[] = listLessons()
    .filter((lesson) => fs.existsSync(path.join(repoRoot, lesson.lessonDir, 'README.md')))
    .map((lesson) => ({
      kind: 'lesson',
      source: `${lesson.lessonDir}/README.md`,
      output: `lessons/${lesson.slug}.html`,
      title: lesson.title,
      navLabel: `${lesson.number}. ${lesson.title}`,
      lessonNumber: lesson.number,
    }));

  return [
    ...docs('home'),
    ...docs('guide'),
    ...lessons,
    ...docs('reference'),
    ...extra.map((file) => docsPage(file, 'reference')),
  ];
}

/** A generated page that shows one source file of the repository (made when a page links to that file). */
export function sourcePage(repoPath: string): Page {
  return {
    kind: 'source',
    source: repoPath,
    output: `source/${repoPath}.html`,
    title: repoPath,
    navLabel: repoPath,
  };
}

/** The page with lesson `lesson`'s whole diff ("lessons/05-round-robin/changes.html"). */
export function changesPageOf(lesson: Page): Page {
  return {
    kind: 'changes',
    source: lesson.source,
    output: lesson.output.replace(/\.html$/, '/changes.html'),
    title: `What changed in lesson ${lesson.lessonNumber}`,
    navLabel: `What changed in lesson ${lesson.lessonNumber}`,
    lessonNumber: lesson.lessonNumber,
  };
}

/** The relative URL from one site file to another (both relative to site/). */
export function relativeUrl(fromOutput: string, toOutput: string): string {
  const relative = path.posix.relative(path.posix.dirname(fromOutput), toOutput);
  return relative === '' ? path.posix.basename(toOutput) : relative;
}
