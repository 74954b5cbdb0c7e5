// `edgegym benchmark`: a user's module against a baseline writes every output with eval's numbers,
// failing policies are reported while the others finish, the paired CI matches a hand computation.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import '../../envs/index.js';
import { exportOnnx } from '../../agents/export.js';
import { policyKind } from '../../experiments/benchmark/policies.js';
import { benchmarkTable } from '../../experiments/benchmark/report.js';
import { benchmark } from '../../experiments/benchmark/run.js';
import { evaluate } from '../../experiments/evaluate.js';
import { pairedDifference } from '../../experiments/stats.js';
import type { Info } from '../../src/env.js';
import fastest from '../fixtures/fastest-policy.js';
import '../fixtures/counting-env.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '../../bin/edgegym.js');
const FASTEST = path.join(here, '../fixtures/fastest-policy.js');
const DISPATCH = 'EdgeSched/Dispatch-v0';
const SHORT = { horizon: '20 s' };

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-benchmark-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes a policy module a user might hand the CLI, and returns its path. */
function policyFile(name: string, source: string): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, source);
  return file;
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: root });
}

/** Well-formed XML, checked the way a parser would: every tag closed, in order. */
function assertWellFormedSvg(text: string, file: string): void {
  assert.match(text, /^<svg[\s>]/, file);
  const open: string[] = [];
  for (const [, close, name, selfClosing] of text.matchAll(/<(\/?)([A-Za-z][\w:.-]*)(?:\s[^<>]*?)?(\/?)>/g)) {
    if (selfClosing === '/') continue;
    if (close === '/') assert.equal(open.pop(), name, `${file}: </${name}> closes the wrong element`);
    else open.push(name);
  }
  assert.deepEqual(open, [], `${file}: unclosed elements`);
}

test('benchmark (CLI): a custom module against a baseline writes every output, with the returns eval gives for the same seeds', () => {
  const out = path.join(root, 'dispatch');
  const run = cli('benchmark', '--env', DISPATCH, '--policies', `${FASTEST},edge-first`, '--seeds', '3', '--seed', '5', '--env-kwargs', JSON.stringify(SHORT), '--out', out, '--json');
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { reference: string; policies: { name: string; episodes: { return: number }[] }[]; files: { table: string; csv: string; arrow: string; charts: string[] } };

  // Common random numbers: each policy's episode i is eval's episode i from the same seed.
  const mine = evaluate({ env: DISPATCH, kwargs: SHORT, seed: 5, episodes: 3, policy: { name: 'fastest', act: (o: unknown, i: Info) => fastest(o as Float32Array, i) } });
  const base = evaluate({ env: DISPATCH, kwargs: SHORT, seed: 5, episodes: 3, policy: 'edge-first' });
  const [p, b] = result.policies;
  assert.deepEqual([p.name, b.name], ['fastest-policy', 'edge-first']);
  assert.deepEqual(p.episodes.map((e) => e.return), mine.returns);
  assert.deepEqual(b.episodes.map((e) => e.return), base.returns);
  assert.equal(result.reference, 'edge-first');

  // The table pairs the module with the best baseline, seed by seed.
  const table = fs.readFileSync(result.files.table, 'utf8');
  const d = pairedDifference(mine.returns, base.returns);
  const row = table.split('\n').find((l) => l.startsWith('| fastest-policy |'))!;
  assert.ok(row.includes(`${d.mean > 0 ? '+' : ''}${d.mean.toFixed(2)} ± ${d.ci95.toFixed(2)}`), row);
  assert.ok(row.endsWith(`| ${d.wins} / ${d.losses} / ${d.ties} |`), row);
  assert.match(table, /\| edge-first \(baseline\) \|.*\| reference \|/);

  const csv = fs.readFileSync(result.files.csv, 'utf8').trim().split('\n');
  assert.equal(csv.length, 1 + 6);
  assert.match(csv[0], /^policy,episode,seed,return,length,requests,successRatio,/);
  assert.equal(Number(csv[1].split(',')[3]), mine.returns[0]);

  const arrow = tableFromIPC(fs.readFileSync(result.files.arrow));
  assert.equal(arrow.numRows, 6);
  assert.deepEqual(arrow.getChild('policy')!.toArray(), ['fastest-policy', 'fastest-policy', 'fastest-policy', 'edge-first', 'edge-first', 'edge-first']);
  assert.deepEqual(Array.from(arrow.getChild('return')!.toArray() as Float64Array), [...mine.returns, ...base.returns]);
  assert.deepEqual(Array.from(arrow.getChild('seed')!.toArray() as Float64Array), [5, 6, 7, 5, 6, 7]);
  assert.equal(arrow.schema.metadata.get('edgegym.env_id'), DISPATCH);
  assert.equal(arrow.getChild('successRatio')!.get(0), mine.metrics.successRatio.values[0]);

  assert.ok(result.files.charts.some((f) => f.endsWith('return.svg')) && result.files.charts.some((f) => f.endsWith('successRatio.svg')));
  for (const file of result.files.charts) assertWellFormedSvg(fs.readFileSync(file, 'utf8'), file);
});

test('benchmark: a throwing, an out-of-space and an out-of-mask policy are reported with episode and step; the baseline finishes', async () => {
  const throwing = policyFile(
    'throwing.mjs',
    `let episode = -1, step = 0;
     export default { name: 'throwing', reset() { episode++; step = 0; }, act(o, info) { if (episode === 1 && step === 7) throw new Error('boom'); step++; return info.actionMask.indexOf(1); } };`,
  );
  const masked = policyFile('masked.mjs', `export default (o, info) => (info.actionMask.includes(0) ? info.actionMask.indexOf(0) : info.actionMask.indexOf(1));`);
  const outside = policyFile('outside.mjs', 'export default () => 9999;');
  const result = await benchmark({ env: DISPATCH, kwargs: SHORT, seed: 0, seeds: 2, policies: [throwing, masked, outside, 'edge-first'] });
  const [t, m, o, b] = result.policies;
  assert.deepEqual({ ...t.failure!, message: t.failure!.message }, { policy: 'throwing', episode: 1, seed: 1, step: 7, message: 'threw Error: boom' });
  assert.equal(t.episodes.length, 1, 'the episode before the throw is kept');
  assert.equal(m.failure!.episode, 0);
  assert.match(m.failure!.message, /^returned action \d+, which info\.actionMask forbids$/);
  assert.deepEqual([o.failure!.episode, o.failure!.step], [0, 0]);
  assert.match(o.failure!.message, /returned action 9999, which is not in Discrete\(\d+\)/);
  assert.equal(b.failure, null);
  assert.equal(b.episodes.length, 2);
  assert.equal(result.reference, 'edge-first');

  const table = benchmarkTable(result);
  assert.match(table, /\| throwing \| failed at episode 1 \(seed 1\), step 7 \|/);
  assert.match(table, /- throwing \(.*throwing\.mjs\): episode 1 \(seed 1\), step 7: threw Error: boom; 1 episodes finished before/);
  assert.match(table, /- outside \(.*\): episode 0 \(seed 0\), step 0: returned action 9999/);
});

test('benchmark: the paired difference and its CI match a hand computation', async () => {
  // Counting-v0 from seed s lasts [2, 3, 5][s % 3] steps paying t + 0.5·action at step t, so from
  // seeds 0, 1, 2 always-0 returns 3, 6, 15 and always-1 returns 4, 7.5, 17.5.
  const zero = policyFile('zero.mjs', 'export default () => 0;');
  const one = policyFile('one.mjs', 'export default { name: "one", act: () => 1 };');
  const result = await benchmark({ env: 'Test/Counting-v0', seed: 0, seeds: 3, policies: [zero, one] });
  assert.deepEqual(result.policies.map((p) => p.episodes.map((e) => e.return)), [[3, 6, 15], [4, 7.5, 17.5]]);
  // No baseline among them: the best policy by mean return is the reference.
  assert.equal(result.reference, 'one');
  // zero − one: −1, −1.5, −2.5; mean −5/3; deviations 2/3, 1/6, −5/6 give a sample variance of
  // (16 + 1 + 25) / 36 / 2 = 7/12; half-width t(2) · √(7/12) / √3 = 4.303 · √7 / 6 = 1.8975.
  const d = result.policies[0].paired!;
  assert.ok(Math.abs(d.mean + 5 / 3) < 1e-12);
  assert.ok(Math.abs(d.ci95 - (4.303 * Math.sqrt(7)) / 6) < 1e-12);
  assert.deepEqual([d.wins, d.losses, d.ties], [0, 3, 0]);
  const table = benchmarkTable(result);
  assert.match(table, /\| zero \| 8\.00 ± 15\.\d\d \| -1\.67 ± 1\.90 \| 0 \/ 3 \/ 0 \|/);
  assert.match(table, /\| one \| \*\*9\.67 ± 17\.\d\d\*\* \| reference \|  \|/);
});

test('benchmark: an exported .onnx policy acts as its trained folder does', async () => {
  const folder = path.join(here, '../../../experiments/pretrained/ecsrl-a2c');
  const onnx = exportOnnx(folder, path.join(root, 'ecsrl.onnx')).path;
  const result = await benchmark({ env: DISPATCH, kwargs: SHORT, seed: 0, seeds: 1, policies: [folder, onnx] });
  const [saved, exported] = result.policies;
  assert.equal(exported.failure, null);
  assert.deepEqual(exported.episodes.map((e) => e.return), saved.episodes.map((e) => e.return));
});

test('benchmark (CLI): usage errors exit 2 with one line naming what was wrong', () => {
  const args = ['benchmark', '--env', DISPATCH, '--env-kwargs', JSON.stringify(SHORT), '--out', path.join(root, 'never')];
  const cases: [string[], RegExp][] = [
    [['--policies', 'edge-frist'], /--policies: unknown policy "edge-frist" for EdgeSched\/Dispatch-v0: .*edge-first/],
    [['--policies', 'nowhere/policy.mjs'], /--policies: policy file nowhere\/policy\.mjs does not exist/],
    [['--policies', 'edge-first', '--seeds', '0'], /--seeds must be a positive integer, got 0/],
    [['--policies', 'edge-first', '--env-kwargs', '{horizon'], /--env-kwargs is not valid JSON/],
  ];
  for (const [extra, message] of cases) {
    const run = cli(...args, ...extra);
    assert.equal(run.status, 2, `${extra.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr.trim(), message);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  }
  assert.ok(!fs.existsSync(path.join(root, 'never')), 'nothing is written for a usage error');
});

test('a .ts policy where Node does not strip types says how to run it', (t) => {
  if ((process.features as { typescript?: unknown }).typescript) return t.skip('this Node strips types');
  const file = policyFile('typed.ts', 'export default (o: unknown): number => 0;');
  assert.throws(() => policyKind(file, 'CartPole-v1'), /does not strip TypeScript types; compile it to \.js/);
});
