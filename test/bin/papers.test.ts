// The papers' subcommands in subprocesses: `paired` writes the table it prints and reuses its
// cache, `oracle` writes its study, and both refuse bad flags with exit 2 and one line.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/edgegym.js', import.meta.url));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

test('paired: the table on stdout is paired.md, and a second run plays nothing', (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-paired-cli-'));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  const args = ['paired', '--policy', 'least-impedance', '--condition', 'λ = 60', '--baseline', 'least-impedance', '--baseline', 'closest', '--seeds', '2', '--horizon', '20 s', '--out', out];
  const first = run(...args);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(fs.readFileSync(path.join(out, 'paired.md'), 'utf8'), first.stdout);
  const [, , self, closest] = first.stdout.trim().split('\n');
  assert.match(self, /^\| λ = 60 \| least-impedance \| (\d+\.\d) \| \1 \| 0\.0 ± 0\.0 \| 0 \/ 0 \| no \(tie\) \|$/, 'against itself: no difference');
  assert.match(closest, /^\| λ = 60 \| closest \|/);
  assert.equal(first.stderr.split('\n').filter((l) => l.includes('seed 100')).length, 4, 'two policies × two seeds played');
  const second = run(...args);
  assert.equal(second.stdout, first.stdout);
  assert.ok(!second.stderr.includes('seed 100'), 'the cache answered every episode');
});

test('oracle: writes oracle.md and oracle.json; each window chose a static policy', (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-oracle-cli-'));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  const r = run('oracle', '--condition', 'λ = 100', '--seeds', '1', '--lookahead', '1', '--horizon', '15 s', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.readFileSync(path.join(out, 'oracle.md'), 'utf8'), r.stdout);
  const [row] = JSON.parse(fs.readFileSync(path.join(out, 'oracle.json'), 'utf8')) as { condition: string; episodes: { actions: number[] }[] }[];
  assert.equal(row.condition, 'λ = 100');
  assert.equal(row.episodes[0].actions.length, 3, '15 s in 5 s windows');
  assert.match(r.stdout, /\| λ = 100 \| \d+\.\d\d \| \d+\.\d\d \| -?\d+\.\d\d ± – \|/, 'one seed: no interval, not NaN');
});

test('paired and oracle refuse bad flags with exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['paired', '--policy', 'closest', '--seeds', 'abc'], /--seeds must be an integer at least 2, got NaN/],
    [['paired', '--seeds', '3'], /name the policy to compare with --policy/],
    [['paired', '--policy', 'closest', '--horizon', '-5s'], /negative value|--horizon/],
    [['oracle', '--lookahead', '-1'], /negative value|--lookahead/],
    [['oracle', '--horizon', '10 parsecs'], /--horizon/],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}, ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
});
