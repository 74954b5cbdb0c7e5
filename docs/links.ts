// Finds broken links in the Markdown pages: relative links to files that do not exist, and
// #anchors that match no heading (by GitHub's slug rules) of the page they point into.

import fs from 'node:fs';
import path from 'node:path';

/** A link that leads nowhere: where it is and why. */
export interface BrokenLink {
  /** The page holding the link, relative to the repository root. */
  page: string;
  line: number;
  target: string;
  problem: string;
}

/** What the checker may look at: the repository's files, by path relative to its root. */
export interface LinkSource {
  /** True for a file or a folder. */
  exists(repoPath: string): boolean;
  /** A Markdown page's text; undefined when there is no such file. */
  read(repoPath: string): string | undefined;
}

/** The repository under `root`, as it is on disk. */
export function fileSource(root: string): LinkSource {
  return {
    exists: (p) => fs.existsSync(path.join(root, p)),
    read: (p) => {
      const file = path.join(root, p);
      return fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
    },
  };
}

/** Pages held in memory (path → text); folders exist when some page lies inside them. */
export function memorySource(pages: Readonly<Record<string, string>>): LinkSource {
  const paths = Object.keys(pages);
  return {
    exists: (p) => paths.some((q) => q === p || q.startsWith(`${p.replace(/\/$/, '')}/`)),
    read: (p) => pages[p],
  };
}

/**
 * GitHub's anchor for a heading's text: formatting dropped, lower case, every character that is
 * not a letter, mark, number, connector, space or hyphen removed, spaces turned into hyphens.
 */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '');
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The page's lines with fenced code blocks blanked and code spans emptied (so their text is no link). */
function proseLines(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (marker !== null && marker[1][0] === fence[0] && marker[1].length >= fence.length) fence = null;
      return '';
    }
    if (marker !== null) {
      fence = marker[1];
      return '';
    }
    return line.replace(/(`+)(?:(?!\1).)+?\1/g, '``');
  });
}

/** Every anchor a page defines: its headings' slugs (repeats numbered -1, -2, …) and HTML ids. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const lines = markdown.split('\n');
  const prose = proseLines(markdown);
  for (let i = 0; i < lines.length; i++) {
    if (prose[i] === '' && lines[i] !== '') continue; // inside a code block
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[i]);
    if (heading !== null) {
      const base = githubSlug(heading[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of prose[i].matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** Every link target of a page with its line: inline links and images, reference definitions, hrefs. */
export function linksOf(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  proseLines(markdown).forEach((text, i) => {
    const add = (target: string): void => {
      links.push({ target, line: i + 1 });
    };
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) add(m[1]);
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$/.exec(text);
    if (definition !== null) add(definition[1]);
    for (const m of text.matchAll(/\shref="([^"]+)"/g)) add(m[1]);
  });
  return links;
}

/** The broken links of `pages` (paths relative to the repository root, '/'-separated). */
export function checkLinks(pages: readonly string[], source: LinkSource): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string> | undefined>();
  const anchorsAt = (page: string): Set<string> | undefined => {
    if (!anchorCache.has(page)) {
      const text = source.read(page);
      anchorCache.set(page, text === undefined ? undefined : anchorsOf(text));
    }
    return anchorCache.get(page);
  };
  for (const page of pages) {
    const text = source.read(page);
    if (text === undefined) {
      broken.push({ page, line: 0, target: page, problem: 'the page itself does not exist' });
      continue;
    }
    for (const { target, line } of linksOf(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http(s), mailto: not fetched
      const hash = target.indexOf('#');
      const filePart = decodeURI(hash < 0 ? target : target.slice(0, hash));
      const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
      let resolved = page;
      if (filePart !== '') {
        resolved = path.posix.normalize(path.posix.join(path.posix.dirname(page), filePart));
        if (resolved.startsWith('../') || path.posix.isAbsolute(filePart)) {
          broken.push({ page, line, target, problem: 'points outside the repository' });
          continue;
        }
        resolved = resolved.replace(/\/$/, '');
        if (!source.exists(resolved)) {
          broken.push({ page, line, target, problem: `no file or folder ${resolved}` });
          continue;
        }
      }
      if (anchor === null || anchor === '' || !resolved.endsWith('.md')) continue;
      const anchors = anchorsAt(resolved);
      if (anchors !== undefined && !anchors.has(anchor)) {
        broken.push({ page, line, target, problem: `no heading in ${resolved} has the anchor #${anchor}` });
      }
    }
  }
  return broken;
}

/** Folders whose Markdown pages are checked (besides README.md at the root); build output and runs are not. */
const PAGE_FOLDERS = ['docs', 'src', 'envs', 'agents', 'jobs', 'serve', 'speed', 'experiments', 'bin', 'python', 'test'];

/** The repository's own Markdown pages under `root`, relative and '/'-separated. */
export function markdownPages(root: string): string[] {
  const pages: string[] = fs.existsSync(path.join(root, 'README.md')) ? ['README.md'] : [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules' && entry.name !== '__pycache__') walk(rel);
      else if (entry.isFile() && entry.name.endsWith('.md')) pages.push(rel);
    }
  };
  for (const dir of PAGE_FOLDERS) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return pages.sort();
}
