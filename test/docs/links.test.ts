// Every Markdown page of the repository links only to files and headings that exist; the
// checker itself is shown catching a broken file link and a broken anchor on pages in memory.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { anchorsOf, checkLinks, fileSource, githubSlug, linksOf, markdownPages, memorySource } from '../../docs/links.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('the README and every docs page link only to files and headings that exist', () => {
  const pages = markdownPages(ROOT);
  for (const page of ['README.md', 'docs/README.md', 'docs/glossary.md', 'docs/environments.md', 'docs/cli.md', 'jobs/README.md', 'experiments/pretrained/aset-ppo/README.md']) {
    assert.ok(pages.includes(page), `${page} is checked`);
  }
  const broken = checkLinks(pages, fileSource(ROOT)).map((b) => `${b.page}:${b.line}: ${b.target}: ${b.problem}`);
  assert.deepEqual(broken, []);
});

test('headings become anchors by GitHub\'s rules', () => {
  assert.equal(githubSlug('`EdgeSched/Dispatch-v0` (ECSRL)'), 'edgescheddispatch-v0-ecsrl');
  assert.equal(githubSlug('What switching can gain at all: `edgegym oracle`'), 'what-switching-can-gain-at-all-edgegym-oracle');
  assert.equal(githubSlug('Tensor backends and GPU'), 'tensor-backends-and-gpu');
  assert.equal(githubSlug('From code: `edgegym/agents`'), 'from-code-edgegymagents');
  assert.equal(githubSlug('[The env API](api.md) — λ = 60'), 'the-env-api--λ--60');
  // A repeated heading gets -1, -2; headings inside code blocks are no headings.
  const anchors = anchorsOf('# Results\n## Setup\n## Setup\n```sh\n# not a heading\n```\n<a id="kept"></a>\n');
  assert.deepEqual([...anchors].sort(), ['kept', 'results', 'setup', 'setup-1']);
});

test('links in code blocks and code spans are not links', () => {
  const page = 'See [api](api.md) and `[x](nowhere.md)`.\n```md\n[y](gone.md)\n```\n[ref]: cli.md#top\n<a href="speed.md">speed</a>\n';
  assert.deepEqual(linksOf(page), [
    { target: 'api.md', line: 1 },
    { target: 'cli.md#top', line: 5 },
    { target: 'speed.md', line: 6 },
  ]);
});

test('a link to a missing file and an anchor no heading has are both caught, with their lines', () => {
  const source = memorySource({
    'README.md': '# edgegym\n[docs](docs/README.md), [glossary](docs/glossary.md#policy)\n[gone](docs/missing.md)\n',
    'docs/README.md': '# Docs\n[back](../README.md#edgegym) [up](#docs) [typo](glossary.md#polcy)\n[outside](../../etc/passwd) [web](https://example.org/x#y)\n',
    'docs/glossary.md': '# Glossary\n## policy\n',
  });
  const broken = checkLinks(['README.md', 'docs/README.md'], source);
  assert.deepEqual(broken, [
    { page: 'README.md', line: 3, target: 'docs/missing.md', problem: 'no file or folder docs/missing.md' },
    { page: 'docs/README.md', line: 2, target: 'glossary.md#polcy', problem: 'no heading in docs/glossary.md has the anchor #polcy' },
    { page: 'docs/README.md', line: 3, target: '../../etc/passwd', problem: 'points outside the repository' },
  ]);
});

test('an anchor within the same page is checked against that page', () => {
  const source = memorySource({ 'docs/a.md': '# A\n## Vector envs\n[ok](#vector-envs) [bad](#vector-env)\n' });
  assert.deepEqual(
    checkLinks(['docs/a.md'], source).map((b) => b.target),
    ['#vector-env'],
  );
});
