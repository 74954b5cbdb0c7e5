// The main job end to end on a tiny budget: every file it lists exists and reads back (the
// checkpoint loads, the ONNX export runs, the step logs hold the benchmark's returns), the summary's
// verdict follows from the paired CI recomputed from episodes.csv, and a second run needs --force.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadPolicy } from '../../agents/policy-io.js';
import { learningCurveSpec, quickstart, verdict } from '../../jobs/quickstart.js';
import type { BenchmarkResult } from '../../jobs/benchmark/run.js';
import type { PolicyResult } from '../../jobs/benchmark/run.js';
import { pairedDifference } from '../../src/stats.js';
import { readStepLog } from '../../src/replay/reader.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-quickstart-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('a tiny quickstart writes the checkpoint, ONNX, step logs, charts and a summary that agrees with its CSV', async () => {
  const out = path.join(root, 'qs');
  const r = await quickstart({ out, steps: 400, seeds: 2 });
  for (const f of [r.files.summary, r.files.onnx, r.files.learningCurve, r.files.table, r.files.csv, r.files.arrow, ...r.files.charts]) assert.ok(fs.statSync(f).size > 0, f);
  assert.ok(r.files.checkpoint !== null && fs.existsSync(path.join(r.files.checkpoint, 'training.json')));
  assert.match(fs.readFileSync(r.files.learningCurve, 'utf8'), /^<svg/);
  assert.equal(loadPolicy(r.files.policy).file.envId, 'EdgeSched/Dispatch-v0');

  // The verdict, recomputed from the per-episode CSV: the agent's returns minus the reference's, seed by seed.
  const rows = fs.readFileSync(r.files.csv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const returns = (name: string): number[] => rows.filter((c) => c[0] === name).map((c) => Number(c[3]));
  const reference = r.benchmark.reference as string;
  const d = pairedDifference(returns(r.agent.name), returns(reference));
  assert.equal(returns(r.agent.name).length, 2);
  assert.ok(Math.abs(d.mean - (r.agent.paired as { mean: number }).mean) < 1e-9);
  assert.ok(fs.readFileSync(r.files.summary, 'utf8').includes(verdict(r.agent, reference)));

  // Each policy's step log holds its benchmark returns.
  for (const p of r.benchmark.policies) {
    const logged = [...readStepLog(p.replay as string).episodes()];
    assert.deepEqual(logged.map((e) => e.rewards.reduce((a, b) => a + b, 0)), p.episodes.map((e) => e.return), p.name);
    assert.deepEqual(logged.map((e) => e.seed), [1000, 1001]);
  }
  await assert.rejects(quickstart({ out, steps: 400, seeds: 2 }), /holds a previous quickstart \(summary\.md\); pass --force/);
});

test('the verdict reads the paired CI: beats above 0, loses below, ties when it holds 0', () => {
  const agent = (diffs: number[]): PolicyResult => ({ name: 'a', spec: 'a', baseline: false, episodes: [], failure: null, summaries: {}, windows: null, replay: null, paired: pairedDifference(diffs, diffs.map(() => 0)) });
  assert.match(verdict(agent([10, 12, 11]), 'edge-first'), /^the agent beats edge-first, the best baseline, by 11\.0 ± 2\.5 per episode \(paired 95 % CI, 3 wins \/ 0 losses\)$/);
  assert.match(verdict(agent([-10, -12, -11]), 'edge-first'), /^the agent loses to edge-first/);
  assert.match(verdict(agent([-10, 12, 1]), 'edge-first'), /^the agent ties edge-first, .* an interval that holds 0$/);
});

test('the learning curve leaves out updates before the first finished episode instead of drawing them as 0', () => {
  const csv = path.join(root, 'metrics.csv');
  fs.writeFileSync(csv, 'iteration,global_step,episodic_return_last20\n1,100,\n2,200,\n3,300,-12.5\n4,400,0\n5,500,-8\n');
  const spec = learningCurveSpec(csv, { env: 'CartPole-v1', policies: [], reference: null } as unknown as BenchmarkResult) as unknown as { layer: { data: { values: { step: number; return: number }[] } }[] };
  assert.deepEqual(spec.layer[0].data.values, [{ step: 300, return: -12.5 }, { step: 400, return: 0 }, { step: 500, return: -8 }], 'a real 0 stays; a missing value is gone');
});
