// `edgegym benchmark`: a user's module against a baseline writes every output with eval's numbers,
// failing policies (hung ones too) are reported while the others finish, worker threads give the
// sequential run's numbers, the paired CI and the per-window means match hand computations, and
// each policy's step log reads back with the benchmark's returns.

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
import { writeBenchmark } from '../../jobs/benchmark/output.js';
import { policyKind } from '../../jobs/benchmark/policies.js';
import { benchmarkTable } from '../../jobs/benchmark/report.js';
import { benchmark } from '../../jobs/benchmark/run.js';
import { evaluate } from '../../envs/evaluate.js';
import { policyByName } from '../../jobs/policies.js';
import { summarizeReplay } from '../../jobs/replay.js';
import { pairedDifference } from '../../src/stats.js';
import type { Info } from '../../src/env.js';
import { make } from '../../src/registry.js';
import { readStepLog } from '../../src/replay/reader.js';
import { RecordEpisodeStatistics } from '../../src/wrappers/record-episode-statistics.js';
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
  // On worker threads every failure reads the same.
  assert.deepEqual(await benchmark({ env: DISPATCH, kwargs: SHORT, seed: 0, seeds: 2, policies: [throwing, masked, outside, 'edge-first'], workers: 2 }), result);
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

test('benchmark: worker threads give the sequential run\'s results bit for bit, and random\'s episodes are eval\'s', async () => {
  // A module that carries state from episode to episode (it takes the k-th allowed action, k its
  // episode count), listed twice: each listing is its own instance, wherever it runs.
  const counting = policyFile(
    'counting.mjs',
    `let episodes = 0;
     export default { name: 'counting', reset() { episodes++; }, act(o, info) { let k = episodes % 3; for (let a = 0; a < info.actionMask.length; a++) if (info.actionMask[a] === 1 && k-- <= 0) return a; return info.actionMask.indexOf(1); } };`,
  );
  const policies = [FASTEST, 'random', counting, counting, 'edge-first'];
  const options = { env: DISPATCH, kwargs: SHORT, seed: 2, seeds: 3, policies };
  const sequential = await benchmark({ ...options, workers: 0 });
  const parallel = await benchmark({ ...options, workers: 2 });
  assert.deepEqual(parallel, sequential);
  assert.deepEqual(parallel.policies.map((p) => p.name), ['fastest-policy', 'random', 'counting', 'counting#2', 'edge-first']);
  assert.ok(parallel.policies.every((p) => p.failure === null && p.episodes.length === 3));
  // The random baseline draws from one generator over all its episodes, as eval's does.
  const random = evaluate({ env: DISPATCH, kwargs: SHORT, seed: 2, episodes: 3, policy: 'random' });
  assert.deepEqual(parallel.policies[1].episodes.map((e) => e.return), random.returns);
  assert.deepEqual(parallel.policies[3].episodes, parallel.policies[2].episodes.map((e) => ({ ...e, policy: 'counting#2' })));
});

test('benchmark: a policy stuck in a synchronous loop and one whose Promise never settles are stopped and named with episode and step; the next policy finishes', async () => {
  // Test/Counting-v0 from seeds 0, 1, 2 lasts 2, 3, 5 steps; its module registers it in workers too.
  const looping = policyFile(
    'looping.mjs',
    `let episode = -1, step = 0;
     export default { name: 'looping', reset() { episode++; step = 0; }, act() { if (episode === 1 && step === 1) for (;;) {} step++; return 0; } };`,
  );
  const never = policyFile(
    'never.mjs',
    `let episode = -1, step = 0;
     export default { name: 'never', reset() { episode++; step = 0; }, act() { return episode === 2 && step++ === 3 ? new Promise(() => {}) : Promise.resolve(0); } };`,
  );
  const one = policyFile('one-more.mjs', 'export default { name: "one", act: () => 1 };');
  const options = { env: 'Test/Counting-v0', seed: 0, seeds: 3, stepTimeoutMs: 2000 };
  // One thread: each hang costs it, and a fresh thread plays the policies after.
  const result = await benchmark({ ...options, policies: [looping, never, one], workers: 1 });
  const [l, n, o] = result.policies;
  assert.deepEqual(l.failure, { policy: 'looping', episode: 1, seed: 1, step: 1, message: 'did not return an action within 2 s' });
  assert.deepEqual(l.episodes.map((e) => e.return), [3]);
  assert.deepEqual(n.failure, { policy: 'never', episode: 2, seed: 2, step: 3, message: 'did not return an action within 2 s' });
  assert.deepEqual(n.episodes.map((e) => e.return), [3, 6]);
  assert.equal(o.failure, null);
  assert.deepEqual(o.episodes.map((e) => e.return), [4, 7.5, 17.5]);
  assert.equal(result.reference, 'one');
  assert.match(benchmarkTable(result), /- looping \(.*looping\.mjs\): episode 1 \(seed 1\), step 1: did not return an action within 2 s; 1 episodes finished before/);

  // In this thread only a Promise can be given up on, and it is, the same way.
  const inProcess = await benchmark({ ...options, policies: [never, one], workers: 0 });
  assert.deepEqual(inProcess.policies[0].failure, n.failure);
  assert.deepEqual(inProcess.policies[1].episodes, o.episodes);
});

test('benchmark: --replay writes a step log per policy that replay reads back with the same returns', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-benchmark-replay-'));
  try {
    const result = await benchmark({ env: DISPATCH, kwargs: SHORT, seed: 4, seeds: 2, policies: [FASTEST, 'random'], workers: 2, replay: dir });
    for (const p of result.policies) {
      assert.equal(p.replay, path.join(dir, p.name));
      const logged = [...readStepLog(p.replay!).episodes()];
      assert.deepEqual(logged.map((e) => e.rewards.reduce((a, b) => a + b, 0)), p.episodes.map((e) => e.return));
      assert.deepEqual(logged.map((e) => e.seed), [4, 5]);
      const summary = summarizeReplay(p.replay!);
      assert.equal(summary.steps!.episodes, 2);
      assert.equal(summary.steps!.writer, p.name);
    }
    const cli = spawnSync(process.execPath, [CLI, 'replay', path.join(dir, 'random'), '--summary'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /step log of EdgeSched\/Dispatch-v0 by random, seed 4/);
    // A folder that already holds a log is refused before any episode runs.
    await assert.rejects(benchmark({ env: DISPATCH, kwargs: SHORT, seed: 4, seeds: 2, policies: ['random'], workers: 1, replay: dir }), /already holds a steps log/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('benchmark: PolicySelect-v0 gets per-window charts and a windows.csv whose means are those of eval-style episodes', async () => {
  const env = 'EdgeSched/PolicySelect-v0';
  const kwargs = { horizon: '30 s' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-benchmark-windows-'));
  try {
    const result = await benchmark({ env, kwargs, seed: 3, seeds: 2, policies: ['closest', 'random'], workers: 2 });
    assert.deepEqual(result.windows, { keys: ['successRatio', 'violationRatio', 'rejectionRatio', 'queries', 'energyJ'], windowMs: 5000 });
    const files = await writeBenchmark(result, dir);
    assert.equal(files.windowCharts.length, 5);
    for (const file of files.windowCharts) assertWellFormedSvg(fs.readFileSync(file, 'utf8'), file);
    const [header, ...rows] = fs.readFileSync(files.windows!, 'utf8').trim().split('\n').map((l) => l.split(','));
    assert.deepEqual(header, ['policy', 'window', 'time_s', 'episodes', ...result.windows!.keys]);
    assert.equal(rows.length, 2 * 6, 'six 5 s windows in 30 s, per policy');

    // By hand: one policy per name over the seeds in order, as eval plays them; each step's info
    // describes the window it closed; the CSV holds the mean over seeds at each window.
    for (const name of ['closest', 'random']) {
      const e = new RecordEpisodeStatistics(make(env, kwargs));
      const policy = policyByName(name, e, 3, env);
      const sums = new Map<string, number[]>(result.windows!.keys.map((k) => [k, []]));
      for (let s = 3; s < 5; s++) {
        let { observation, info } = e.reset({ seed: s });
        for (let w = 0; ; w++) {
          const step = e.step(policy.act(observation, info) as number);
          for (const [k, list] of sums) list[w] = (list[w] ?? 0) + (step.info[k] as number);
          if (step.truncated) break;
          ({ observation, info } = step);
        }
      }
      e.close();
      const mine = rows.filter((r) => r[0] === name);
      assert.deepEqual(mine.map((r) => [Number(r[1]), Number(r[2]), Number(r[3])]), [0, 1, 2, 3, 4, 5].map((w) => [w, 5 * (w + 1), 2]));
      result.windows!.keys.forEach((k, c) => assert.deepEqual(mine.map((r) => Number(r[4 + c])), sums.get(k)!.map((sum) => sum / 2), `${name} ${k}`));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('benchmark (CLI): usage errors exit 2 with one line naming what was wrong', () => {
  const args = ['benchmark', '--env', DISPATCH, '--env-kwargs', JSON.stringify(SHORT), '--out', path.join(root, 'never')];
  const cases: [string[], RegExp][] = [
    [['--policies', 'edge-frist'], /--policies: unknown policy "edge-frist" for EdgeSched\/Dispatch-v0: .*edge-first/],
    [['--policies', 'nowhere/policy.mjs'], /--policies: policy file nowhere\/policy\.mjs does not exist/],
    [['--policies', 'edge-first', '--seeds', '0'], /--seeds must be an integer at least 1, got 0/],
    [['--policies', 'edge-first', '--env-kwargs', '{horizon'], /--env-kwargs is not valid JSON/],
    [['--policies', 'edge-first', '--env-kwargs', '{"horizn":"20 s"}'], /--env-kwargs: .*unknown kwarg "horizn" \(did you mean "horizon"\?\)/],
  ];
  for (const [extra, message] of cases) {
    // A case with its own --env-kwargs replaces the shared one (yargs would make the two an array).
    const base = extra.includes('--env-kwargs') ? args.filter((a, i) => a !== '--env-kwargs' && args[i - 1] !== '--env-kwargs') : args;
    const run = cli(...base, ...extra);
    assert.equal(run.status, 2, `${extra.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr.trim(), message);
    assert.deepEqual(run.stderr.trim().split('\n').slice(1), ["see 'edgegym benchmark --help'"], run.stderr);
  }
  assert.ok(!fs.existsSync(path.join(root, 'never')), 'nothing is written for a usage error');
});

test('a .ts policy where Node does not strip types says how to run it', (t) => {
  if ((process.features as { typescript?: unknown }).typescript) return t.skip('this Node strips types');
  const file = policyFile('typed.ts', 'export default (o: unknown): number => 0;');
  assert.throws(() => policyKind(file, 'CartPole-v1'), /does not strip TypeScript types; compile it to \.js/);
});
