// The generated pages (docs/environments.md, docs/cli.md) are what the generator writes from the
// code today, so they cannot drift; and the generator reads env classes and help as it should.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { classDocComment, cliPage, commandsOf, environmentsPage, REGENERATE, registeredEnvs, ROOT } from '../../docs/generate.js';
import { registry } from '../../src/registry.js';

/** Fails with the page's name, what to run and the first line that differs. */
function assertFresh(page: string, generated: string): void {
  const committed = fs.readFileSync(path.join(ROOT, page), 'utf8');
  if (committed === generated) return;
  const a = committed.split('\n');
  const b = generated.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  assert.fail(`${page} is out of date: ${REGENERATE}. First difference at line ${i + 1}:\n  committed: ${a[i] ?? '(end)'}\n  generated: ${b[i] ?? '(end)'}`);
}

test('docs/environments.md is what the env classes\' doc comments generate', () => {
  assertFresh('docs/environments.md', environmentsPage());
});

test('docs/cli.md is what the commands\' --help generates', async () => {
  assertFresh('docs/cli.md', await cliPage());
});

test('the environments page documents every registered env, each from its own class', () => {
  const envs = registeredEnvs();
  assert.deepEqual(envs.map((e) => e.id).sort(), [...registry.keys()].sort());
  const dispatch = envs.find((e) => e.id === 'EdgeSched/Dispatch-v0');
  assert.deepEqual(dispatch, { id: 'EdgeSched/Dispatch-v0', className: 'DispatchEnv', file: 'envs/edge/ecsrl/dispatch-env.ts' });
  const page = environmentsPage();
  for (const id of registry.keys()) assert.ok(page.includes(`\n## ${id}\n`), `${id} has a section`);
});

test('a class\'s doc comment is read as Markdown; a class without one is an error naming it', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-docs-'));
  try {
    fs.mkdirSync(path.join(root, 'envs'));
    fs.writeFileSync(path.join(root, 'envs/index.ts'), [
      "import { register } from '../src/registry.js';",
      "import { ToyEnv } from './toy.js';",
      "import { BareEnv } from './bare.js';",
      "register({ id: 'Toy-v0', entryPoint: (kwargs) => new ToyEnv(kwargs) });",
      "register({ id: 'Bare-v0', entryPoint: () => new BareEnv() });",
    ].join('\n'));
    fs.writeFileSync(path.join(root, 'envs/toy.ts'), '// A toy.\n\n/** Not this one. */\nconst x = 1;\n\n/**\n * `Toy-v0`: one step.\n *\n * | a | b |\n *   indented\n */\nexport class ToyEnv {}\n');
    fs.writeFileSync(path.join(root, 'envs/bare.ts'), '// No contract.\nexport class BareEnv {}\n');
    assert.deepEqual(registeredEnvs(root), [
      { id: 'Toy-v0', className: 'ToyEnv', file: 'envs/toy.ts' },
      { id: 'Bare-v0', className: 'BareEnv', file: 'envs/bare.ts' },
    ]);
    assert.equal(classDocComment(root, 'envs/toy.ts', 'ToyEnv'), '`Toy-v0`: one step.\n\n| a | b |\n  indented');
    assert.throws(() => classDocComment(root, 'envs/bare.ts', 'BareEnv'), { message: 'envs/bare.ts: class BareEnv has no doc comment (/** … */) to document it' });
    assert.throws(() => classDocComment(root, 'envs/toy.ts', 'Missing'), { message: 'envs/toy.ts: no class Missing' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the commands are read from the top-level help, aliases and wrapped descriptions skipped', () => {
  const top = [
    'edgegym <command>',
    '',
    'Commands:',
    '  edgegym eval                    run a policy for N seeded episodes',
    '                                  and print the mean',
    '  edgegym speed                   measure speed          [aliases: bench]',
    '  edgegym export <checkpoint>     export a trained agent',
    '',
    'Options:',
    '  --help     Show help',
  ].join('\n');
  assert.deepEqual(commandsOf(top), ['eval', 'speed', 'export']);
  assert.throws(() => commandsOf('edgegym\n\nOptions:\n'), /lists no "Commands:"/);
});
