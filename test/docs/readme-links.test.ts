import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './readme-code';

/**
 * Links in the Markdown files the npm package ships (README.md is the package's page on
 * npmjs.com) work from there: a relative link must name a file that ships, every other
 * link to a file of this repository is absolute, and an absolute link into the repository
 * names a file or folder that exists.
 */
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
/** `https://github.com/<owner>/<name>`, from package.json's repository. */
const REPOSITORY = String(pkg.repository?.url ?? pkg.repository).replace(/^git\+/, '').replace(/\.git$/, '');
/** Files and folders on the default branch: `<repository>/blob/main/<path>` or `/tree/main/<path>`. */
const IN_REPOSITORY = new RegExp(`^${REPOSITORY.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/(?:blob|tree)/main/([^#?]*)`);

/** The files `npm pack` puts into the package, relative to the root. */
function shippedFiles(): Set<string> {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] });
  return new Set<string>(JSON.parse(out)[0].files.map((f: { path: string }) => f.path));
}

interface Link { readonly file: string; readonly line: number; readonly target: string }

/** Inline links, images and reference definitions outside code blocks and code spans. */
function linksOf(file: string): Link[] {
  const links: Link[] = [];
  let fenced = false;
  fs.readFileSync(path.join(ROOT, file), 'utf-8').split('\n').forEach((text, i) => {
    if (/^\s*(```|~~~)/.test(text)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const prose = text.replace(/`[^`]*`/g, '``');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ file, line: i + 1, target: m[1] });
    for (const m of prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)) links.push({ file, line: i + 1, target: m[1] });
    for (const m of prose.matchAll(/\b(?:href|src)="([^"]+)"/g)) links.push({ file, line: i + 1, target: m[1] });
  });
  return links;
}

/** GitHub's anchors of a file's headings. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const text of fs.readFileSync(path.join(ROOT, file), 'utf-8').split('\n')) {
    if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const slug = heading[1].toLowerCase().replace(/<[^>]+>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    let unique = slug;
    for (let n = 1; anchors.has(unique); n++) unique = `${slug}-${n}`;
    anchors.add(unique);
  }
  // Anchors written as HTML (jsii-docgen's API.md: <a name="..."></a>, <h3 id="...">).
  for (const m of fs.readFileSync(path.join(ROOT, file), 'utf-8').matchAll(/<[a-z0-9]+\s[^>]*\b(?:name|id)="([^"]+)"/gi)) anchors.add(m[1]);
  return anchors;
}

let shipped: Set<string>;
let markdown: string[];
beforeAll(() => {
  shipped = shippedFiles();
  markdown = [...shipped].filter(f => f.endsWith('.md') && !f.startsWith('node_modules/')).sort();
}, 120_000);

test('the package ships README.md, the page npmjs.com shows', () => {
  expect(REPOSITORY).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
  expect(markdown).toContain('README.md');
});

test('every relative link of a shipped Markdown file names a file that ships, or is absolute', () => {
  const broken: string[] = [];
  for (const file of markdown) {
    for (const { line, target } of linksOf(file)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(target.replace(/[#?].*$/, ''))));
      const ships = shipped.has(resolved) || [...shipped].some(f => f.startsWith(`${resolved.replace(/\/$/, '')}/`));
      if (!ships) broken.push(`${file}:${line}: '${target}' does not ship in the package; link ${REPOSITORY}/blob/main/${resolved} instead`);
    }
  }
  expect(broken).toEqual([]);
});

test('absolute links into the repository name files and folders that exist', () => {
  const missing: string[] = [];
  for (const file of markdown) {
    for (const { line, target } of linksOf(file)) {
      const m = IN_REPOSITORY.exec(target);
      if (m && !fs.existsSync(path.join(ROOT, decodeURI(m[1])))) missing.push(`${file}:${line}: '${target}' names no file of the repository`);
    }
  }
  expect(missing).toEqual([]);
});

test('links to a heading of the same file name a heading that exists', () => {
  const missing: string[] = [];
  for (const file of markdown) {
    const anchors = anchorsOf(file);
    for (const { line, target } of linksOf(file)) {
      if (target.startsWith('#') && !anchors.has(decodeURIComponent(target.slice(1)))) missing.push(`${file}:${line}: no heading for '${target}'`);
    }
  }
  expect(missing).toEqual([]);
});
