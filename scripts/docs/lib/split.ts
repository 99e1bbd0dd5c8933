// A lesson is two pages on the site: the idea (what node does, the demo and
// its output) and "Build it" (the starter, the steps, the checks, what
// changed), so that neither is a wall to scroll. The README stays one file on
// GitHub; links into it (`README.md#step-2-...`) are sent to the part that
// has the heading.
import path from 'node:path';
import { escapeHtml } from '../../tools/escape-html';
import type { Heading, SearchSection } from './markdown';
import { relativeUrl, type Page } from './pages';

/** A page rendered and not yet written. */
export interface RenderedPage {
  page: Page;
  body: string;
  headings: Heading[];
  sections: SearchSection[];
  lessonBar?: string;
  description: string;
  /** the page the body's relative links were made for (the lesson page, for its "Build it" part) */
  linksFrom: string;
}

/** The first heading of the "Build it" part: the starter, "Build it", or the first step. */
const BUILD_STARTS = /^(Your starter|Build it|Step \d+\b)/;

/** The "Build it" page of a lesson ("lessons/02-messaging/build.html"). */
export function buildPartOf(lesson: Page): Page {
  return {
    ...lesson,
    output: lesson.output.replace(/\.html$/, '/build.html'),
    title: `Build it: ${lesson.title}`,
    navLabel: 'Build it',
    part: 'build',
  };
}

/** A lesson as its two parts, or the page as it is (not a lesson, or no step to split at). */
export function splitLesson(rendered: RenderedPage): RenderedPage[] {
  const { page, body, headings } = rendered;
  if (page.kind !== 'lesson') return [rendered];
  const first = headings.findIndex((heading) => heading.level === 2 && BUILD_STARTS.test(heading.text));
  const at = first === -1 ? -1 : body.indexOf(`<h2 id="${headings[first].id}"`);
  if (at <= 0) return [rendered];
  const part = buildPartOf(page);
  const later = new Set(headings.slice(first).map((heading) => heading.id));
  return [
    { ...rendered, body: body.slice(0, at), headings: headings.slice(0, first), sections: rendered.sections.filter((s) => !later.has(s.anchor)) },
    {
      ...rendered,
      page: part,
      body: `<h1 id="top" tabindex="-1">${escapeHtml(part.title)}</h1>\n${body.slice(at)}`,
      headings: headings.slice(first),
      sections: rendered.sections.filter((s) => later.has(s.anchor)),
      description: `Build it, step by step: ${page.title}`,
    },
  ];
}

/** For each lesson page that was split: which part has each of its headings. */
export function anchorsByPage(parts: RenderedPage[]): Map<string, Map<string, string>> {
  const map = new Map<string, Map<string, string>>();
  for (const part of parts) {
    if (part.page.kind !== 'lesson') continue;
    const anchors = map.get(part.linksFrom) ?? new Map<string, string>();
    for (const heading of part.headings) anchors.set(heading.id, part.page.output);
    map.set(part.linksFrom, anchors);
  }
  return map;
}

/**
 * The body with each link leading where its target now is: to the part of a
 * lesson that has the heading it names, and (for a "Build it" part, one folder
 * deeper than the lesson page it was rendered for) from where the page really is.
 */
export function relink(rendered: RenderedPage, anchors: Map<string, Map<string, string>>): string {
  const here = rendered.page.output;
  return rendered.body.replace(/(<a\b[^>]*?\shref=")([^"]*)(")/g, (whole, open: string, href: string, close: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return whole;
    const hash = href.indexOf('#');
    const [target, fragment] = hash === -1 ? [href, ''] : [href.slice(0, hash), href.slice(hash + 1)];
    const resolved = target ? path.posix.normalize(path.posix.join(path.posix.dirname(rendered.linksFrom), target)) : rendered.linksFrom;
    const actual = (fragment && anchors.get(resolved)?.get(decodeURIComponent(fragment))) || resolved;
    if (actual === resolved && rendered.linksFrom === here) return whole;
    const url = actual === here ? '' : relativeUrl(here, actual);
    return `${open}${url}${fragment ? `#${fragment}` : ''}${close}`;
  });
}
