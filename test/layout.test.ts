// The house rules of the layout, checked on the source tree: imports point one way, from the CLI
// down to the framework, so a folder can be read (and moved) knowing only what lies below it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Each top-level place and its depth: a module may import its own place or a shallower one. */
const DEPTH: Readonly<Record<string, number>> = { src: 0, envs: 1, agents: 2, jobs: 3, serve: 3, speed: 4, experiments: 4, bin: 5, docs: 5, 'index.ts': 5 };

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Every relative import of `text` (static, re-export and dynamic), with whether it is type-only. */
export function importsOf(text: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'(\.[^']+)'/gm)) found.push({ specifier: m[2], typeOnly: m[1] !== undefined });
  for (const m of text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)) found.push({ specifier: m[1], typeOnly: false });
  return found;
}

/** The imports of `file` (relative to the root) that point up, or sideways into another place. */
export function upwardImports(file: string, text: string): string[] {
  const place = file.split(path.sep)[0];
  const depth = DEPTH[place];
  return importsOf(text).flatMap(({ specifier, typeOnly }) => {
    const target = path.normalize(path.join(path.dirname(file), specifier));
    const to = target.split(path.sep)[0];
    // agents/ learns on any registered env: it may name the envs' types, never run their code.
    const allowed = place === 'agents' && to === 'envs' ? typeOnly : to === place || DEPTH[to] < depth;
    return allowed ? [] : [`${file} imports ${target}${typeOnly ? ' (types)' : ''}`];
  });
}

test('imports point one way: bin, docs and index → experiments, speed → jobs, serve → agents → envs → src (agents: envs types only)', () => {
  const files = [...Object.keys(DEPTH).filter((p) => p !== 'index.ts').flatMap(sources), 'index.ts'];
  assert.ok(files.length > 100, `read ${files.length} files`);
  const wrong = files.flatMap((f) => upwardImports(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
  assert.deepEqual(wrong, []);
});

test('the checker sees an upward import, a sideways one and a dynamic one; type-only envs types are fine in agents', () => {
  assert.deepEqual(upwardImports(path.join('src', 'x.ts'), "import { make } from '../envs/index.js';"), [`${path.join('src', 'x.ts')} imports ${path.join('envs', 'index.js')}`]);
  assert.deepEqual(upwardImports(path.join('jobs', 'x.ts'), "export { a } from '../serve/index.js';").length, 1);
  assert.deepEqual(upwardImports(path.join('envs', 'a', 'x.ts'), "const m = await import('../../jobs/train.js');").length, 1);
  assert.deepEqual(upwardImports(path.join('agents', 'x.ts'), "import type { Scenario } from '../envs/edge/model.js';"), []);
  assert.deepEqual(upwardImports(path.join('agents', 'x.ts'), "import { loadScenario } from '../envs/edge/scenario/load.js';").length, 1);
  assert.deepEqual(upwardImports(path.join('experiments', 'x.ts'), "import { train } from '../jobs/train.js';\nimport '../envs/index.js';"), []);
});
