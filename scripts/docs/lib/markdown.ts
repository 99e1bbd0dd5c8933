// The course's markdown: markdown-it plus the few conventions docs/authoring.md
// describes (includes, callouts, diagrams, heading anchors) and links that
// work both on GitHub (to .md files) and on the site (to .html pages).
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { escapeHtml } from '../../tools/escape-html';
import { highlightBlock, resolveLanguage } from './highlight';
import { DocsError, INCLUDE_LINE, languageOfFile, readInclude } from './include';
import { isThemedPicture, themedPicture } from './chart';
import { prepareDiagrams, renderDiagram } from './mermaid';

type Token = MarkdownIt.Token;
type StateBlock = MarkdownIt.StateBlock;

export interface Heading {
  level: number;
  text: string;
  id: string;
}

/** One searchable part of a page: the text under one heading. */
export interface SearchSection {
  heading: string;
  /** '' for the top of the page */
  anchor: string;
  text: string;
}

export type ResolvedLink = { href: string } | { pending: string };

/** What the build gives the renderer for one page, and what the renderer collects for the build. */
export interface RenderEnv {
  /** the markdown file, for messages: "lessons/01-fork/README.md" */
  source: string;
  resolveLink(href: string, line: number): ResolvedLink;
  linkToSource(repoPath: string): string;
  headings: Heading[];
  sections: SearchSection[];
  /** tables rendered so far on the page */
  tables: number;
}

export const CALLOUTS: Record<string, string> = { tip: 'Tip', warning: 'Warning', node: 'Compare with node' };

/** `::: outputs [name]`: the outputs inside (code fences with titles) stand side by side, as tabs on a narrow screen. */
const OUTPUTS = 'outputs';

const ICONS: Record<string, string> = {
  tip: '<path d="M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.6.6 1 1.4 1 2.5h6c0-1.1.4-1.9 1-2.5A6 6 0 0 0 12 3z"/>',
  warning: '<path d="M12 3 2 20h20L12 3z"/><path d="M12 10v4M12 17h.01"/>',
  node: '<path d="M12 2.5 20.5 7.2v9.6L12 21.5l-8.5-4.7V7.2z"/><path d="M9 10.5v4.5M9 10.5l6 4.5M15 10v4.5"/>',
};

function icon(kind: string): string {
  return `<svg class="callout-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${ICONS[kind]}</svg>`;
}

// ------------------------------------------------------------ heading ids

/** GitHub's way of turning a heading into an anchor, so README links work in both places. */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

function uniqueSlug(text: string, taken: Map<string, number>): string {
  const base = slugify(text) || 'section';
  const seen = taken.get(base);
  taken.set(base, (seen ?? -1) + 1);
  return seen === undefined ? base : `${base}-${seen + 1}`;
}

/** The plain text of an inline token (what a reader sees, without markup). */
function plainText(token: Token): string {
  return (token.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline' || child.type === 'softbreak')
    .map((child) => (child.type === 'softbreak' ? ' ' : child.content))
    .join('');
}

// ------------------------------------------------------------ block rules

/** `::: tip` / `::: warning` / `::: node` [title] ... `:::` */
function calloutRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const start = state.bMarks[startLine] + state.tShift[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const match = /^:::\s*(\w+)\s*(.*)$/.exec(state.src.slice(start, state.eMarks[startLine]).trim());
  if (!match) return false;
  const env = state.env as RenderEnv;
  const where = `${env.source}:${startLine + 1}`;
  if (!(match[1] in CALLOUTS) && match[1] !== OUTPUTS) {
    throw new DocsError(`${where}: unknown callout "::: ${match[1]}" (use ${[...Object.keys(CALLOUTS), OUTPUTS].map((k) => `::: ${k}`).join(', ')})`);
  }
  if (silent) return true;

  let depth = 1;
  let line = startLine;
  while (depth > 0) {
    line++;
    if (line >= endLine) throw new DocsError(`${where}: "::: ${match[1]}" is never closed (end it with a line ":::")`);
    const text = state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]).trim();
    if (/^:::\s*\w/.test(text)) depth++;
    else if (text === ':::') depth--;
  }
  const kind = match[1];
  const title = match[2].trim() || CALLOUTS[kind] || 'The outputs side by side';
  const oldParent = state.parentType;
  const oldLineMax = state.lineMax;
  state.parentType = 'blockquote' as typeof state.parentType;
  state.lineMax = line;
  const open = state.push('callout_open', 'div', 1);
  open.block = true;
  open.info = kind;
  open.meta = { title };
  open.map = [startLine, line];
  state.md.block.tokenize(state, startLine + 1, line);
  state.push('callout_close', 'div', -1).block = true;
  state.parentType = oldParent;
  state.lineMax = oldLineMax;
  state.line = line + 1;
  return true;
}

/** `<<< path/from/repo/root.ts` or `<<< path.ts#region` on a line of its own. */
function includeRule(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  const start = state.bMarks[startLine] + state.tShift[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const match = INCLUDE_LINE.exec(state.src.slice(start, state.eMarks[startLine]).trim());
  if (!match) return false;
  if (silent) return true;
  const env = state.env as RenderEnv;
  const token = state.push('include', 'pre', 0);
  token.block = true;
  token.map = [startLine, startLine + 1];
  token.meta = { file: match[1], region: match[2] };
  token.content = readInclude({ file: match[1], region: match[2] }, `${env.source}:${startLine + 1}`);
  state.line = startLine + 1;
  return true;
}

// ------------------------------------------------------------ after parsing

/** Heading ids, link targets and the search text, once the inline content is parsed. */
function collectPage(state: MarkdownIt.StateCore): void {
  const env = state.env as RenderEnv;
  if (!env?.sections) return; // renderInline() of a callout's title: nothing to collect
  const taken = new Map<string, number>();
  let section: SearchSection = { heading: '', anchor: '', text: '' };
  env.sections.push(section);
  const add = (text: string) => (section.text += ` ${text}`);

  foldReferenceCode(state.tokens, env.source);
  state.tokens.forEach((token, index) => {
    if (token.type === 'heading_open') {
      const inline = state.tokens[index + 1];
      const text = plainText(inline);
      const id = uniqueSlug(text, taken);
      token.attrSet('id', id);
      token.attrSet('tabindex', '-1');
      token.meta = { id, text };
      const level = Number(token.tag.slice(1));
      env.headings.push({ level, text, id });
      if (level === 1) section.heading = text;
      else if (level <= 3) env.sections.push((section = { heading: text, anchor: id, text: '' }));
      else add(text);
    } else if (token.type === 'th_open' && state.tokens[index + 1]?.content.trim() === '') {
      // An empty corner cell heads nothing: a plain cell, so that screen readers do not announce an empty header.
      token.tag = 'td';
      const close = state.tokens.slice(index).find((candidate) => candidate.type === 'th_close');
      if (close) close.tag = 'td';
    } else if (token.type === 'inline') {
      rewriteLinks(token, env);
      if (state.tokens[index - 1]?.type !== 'heading_open') add(plainText(token));
    } else if (token.type === 'fence' || token.type === 'code_block' || token.type === 'include') {
      if (!token.info.startsWith('mermaid')) add(token.content);
    }
  });
}

/**
 * In a lesson's "Step N" sections, the lesson's own solution code is the
 * answer: it stays folded until the reader asks for it ("Show the reference
 * for step N"), the same way in every lesson. Includes next to each other
 * fold together; code the page already puts in a <details> is left alone.
 */
function foldReferenceCode(tokens: Token[], source: string): void {
  const lesson = /^lessons\/(\d\d)-/.exec(source)?.[1];
  if (!lesson) return;
  let step: string | undefined;
  let detailsDepth = 0;
  let run: Token[] = [];
  const closeRun = () => {
    if (run.length === 0) return;
    const names = run.map((token) => `${token.meta.file.replace(/^solutions\/[^/]+\//, '')}${token.meta.region ? `#${token.meta.region}` : ''}`);
    run[0].meta.foldOpen = { step, names };
    run[run.length - 1].meta.foldClose = true;
    run = [];
  };
  for (const token of tokens) {
    if (token.type === 'heading_open' && token.tag === 'h2') {
      closeRun();
      const text = tokens[tokens.indexOf(token) + 1]?.content ?? '';
      step = /^Step (\d+)\b/.exec(text)?.[1];
      continue;
    }
    if (token.type === 'html_block') {
      detailsDepth += (token.content.match(/<details\b/g) ?? []).length - (token.content.match(/<\/details>/g) ?? []).length;
    }
    const isReference =
      token.type === 'include' && step !== undefined && detailsDepth <= 0 && token.meta.file.startsWith(`solutions/${lesson}-`);
    if (isReference) run.push(token);
    else if (token.type !== 'include' || run.length > 0) closeRun();
  }
  closeRun();
}

function rewriteLinks(inline: Token, env: RenderEnv): void {
  const children = inline.children ?? [];
  const line = (inline.map?.[0] ?? 0) + 1;
  children.forEach((child, index) => {
    if (child.type === 'image') {
      const src = child.attrGet('src');
      const repoPath = src && !/^[a-z][a-z0-9+.-]*:/i.test(src) ? path.posix.normalize(path.posix.join(path.posix.dirname(env.source), src)) : '';
      if (repoPath && isThemedPicture(repoPath)) child.meta = { ...child.meta, themed: repoPath };
      if (src) {
        const resolved = env.resolveLink(src, line);
        if ('href' in resolved) child.attrSet('src', resolved.href);
      }
      return;
    }
    if (child.type !== 'link_open') return;
    const href = child.attrGet('href');
    if (!href) return;
    const resolved = env.resolveLink(href, line);
    if ('href' in resolved) {
      child.attrSet('href', resolved.href);
      if (/^https?:/.test(resolved.href)) child.attrSet('rel', 'noopener');
      return;
    }
    // A link to a lesson that is not written yet: plain text, marked, until it is.
    const close = children.slice(index).find((candidate) => candidate.type === 'link_close' && candidate.level === child.level);
    child.tag = 'span';
    child.attrs = [
      ['class', 'pending-link'],
      ['title', resolved.pending],
    ];
    if (close) close.tag = 'span';
  });
}

// ------------------------------------------------------------ rendering

function codeBlock(code: string, language: string, title: string): string {
  const titleBar = title ? `<div class="code-title">${title}</div>` : '';
  const label = language === 'text' ? '' : ` data-lang="${escapeHtml(language)}"`;
  return `<div class="code-block"${label}>${titleBar}${highlightBlock(code, language)}</div>\n`;
}

function fenceParts(info: string): { name: string; title: string } {
  const [name = '', ...rest] = info.trim().split(/\s+/);
  return { name, title: rest.join(' ') };
}

export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
  md.block.ruler.before('fence', 'callout', calloutRule, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.block.ruler.before('paragraph', 'include', includeRule, { alt: ['paragraph'] });
  md.core.ruler.push('collect_page', collectPage);

  md.renderer.rules.fence = (tokens, index, _options, env: RenderEnv) => {
    const token = tokens[index];
    const { name, title } = fenceParts(token.info);
    if (name === 'mermaid') return renderDiagram(token.content, title, `${env.source}:${(token.map?.[0] ?? 0) + 1}`);
    return codeBlock(token.content, token.meta?.language ?? 'text', escapeHtml(title));
  };
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, index, options, env, self) => {
    const themed = tokens[index].meta?.themed as string | undefined;
    return themed ? themedPicture(themed, tokens[index].content) : defaultImage(tokens, index, options, env, self);
  };
  md.renderer.rules.code_block = (tokens, index) => codeBlock(tokens[index].content, 'text', '');
  md.renderer.rules.include = (tokens, index, _options, env: RenderEnv) => {
    const { file, region } = tokens[index].meta as { file: string; region?: string };
    const title = `<a href="${env.linkToSource(file)}">${escapeHtml(file)}</a>${region ? ` <span class="region">#${escapeHtml(region)}</span>` : ''}`;
    const { foldOpen, foldClose } = tokens[index].meta as { foldOpen?: { step: string; names: string[] }; foldClose?: boolean };
    const open = foldOpen
      ? `<details class="reference"><summary>Show the reference for step ${foldOpen.step}: ` +
        `${foldOpen.names.map((name) => `<code>${escapeHtml(name)}</code>`).join(', ')}</summary>\n`
      : '';
    return open + codeBlock(tokens[index].content, tokens[index].meta.language, title) + (foldClose ? '</details>\n' : '');
  };
  md.renderer.rules.callout_open = (tokens, index) => {
    const { info: kind, meta } = tokens[index];
    if (kind === OUTPUTS) {
      let count = 0;
      for (let at = index + 1; at < tokens.length && tokens[at].type !== 'callout_close'; at++) if (tokens[at].type === 'fence') count++;
      return `<div class="outputs" role="group" aria-label="${escapeHtml(meta.title)}"><div class="outputs-panels" style="--columns:${Math.max(1, count)}">\n`;
    }
    // The title may hold inline markdown (`code`, *emphasis*).
    return `<div class="callout callout-${kind}" role="note"><p class="callout-title">${icon(kind)}<span>${md.renderInline(meta.title)}</span></p>\n`;
  };
  md.renderer.rules.callout_close = (tokens, index) => {
    let depth = 0;
    for (let at = index - 1; at >= 0; at--) {
      if (tokens[at].type === 'callout_close') depth++;
      else if (tokens[at].type === 'callout_open' && depth-- === 0) return tokens[at].info === OUTPUTS ? '</div></div>\n' : '</div>\n';
    }
    return '</div>\n';
  };
  md.renderer.rules.heading_close = (tokens, index) => {
    const open = tokens[index - 2];
    const id = open?.meta?.id as string | undefined;
    const anchor = id ? ` <a class="anchor" href="#${id}" aria-label="Link to this section">#</a>` : '';
    return `${anchor}</${tokens[index].tag}>\n`;
  };
  // A wide table scrolls sideways, so its box must be reachable by keyboard, and each such region needs its own name.
  md.renderer.rules.table_open = (_tokens, _index, _options, env: RenderEnv) =>
    `<div class="table-wrap" tabindex="0" role="region" aria-label="Table ${++env.tables}"><table>\n`;
  md.renderer.rules.table_close = () => '</table></div>\n';
  return md;
}

/** Parses and renders one page. Throws a DocsError for a missing include, an unclosed callout, a broken diagram. */
export async function renderMarkdown(md: MarkdownIt, text: string, env: RenderEnv): Promise<string> {
  const tokens = md.parse(text, env);
  // Shiki loads grammars and the diagram renderer lays out asynchronously;
  // markdown-it renders synchronously: do those first.
  const diagrams: Array<{ source: string; where: string }> = [];
  for (const token of tokens) {
    if (token.type === 'fence') {
      const { name } = fenceParts(token.info);
      if (name === 'mermaid') diagrams.push({ source: token.content, where: `${env.source}:${(token.map?.[0] ?? 0) + 1}` });
      else token.meta = { ...token.meta, language: await resolveLanguage(name) };
    } else if (token.type === 'include') {
      token.meta.language = await resolveLanguage(languageOfFile(token.meta.file));
    }
  }
  await prepareDiagrams(diagrams);
  // A picture on a line of its own is a figure, not a paragraph.
  return md.renderer.render(tokens, md.options, env).replace(/<p>(<figure class="chart">[\s\S]*?<\/figure>)<\/p>/g, '$1');
}
