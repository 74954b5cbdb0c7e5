// `edgegym replay`: the summary counts what was logged; the Minari export has Minari's layout
// (data/metadata.json, one IPC file of T + 1 rows per episode) and the values the env produced.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import '../../envs/index.js';
import { evaluate } from '../../envs/evaluate.js';
import { exportMinari, formatReplaySummary, summarizeReplay } from '../../jobs/replay.js';
import { readStepLog } from '../../src/replay/reader.js';
import { ReplayLogger } from '../../src/replay/step-log.js';
import { make } from '../../src/registry.js';
import { polars } from '../fixtures/polars.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-minari-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the summary of an eval log matches the evaluation', (t) => {
  const dir = path.join(tempDir(t), 'steps');
  const result = evaluate({ env: 'CartPole-v1', policy: 'random', episodes: 5, seed: 7, replay: dir });
  const s = summarizeReplay(dir);
  assert.equal(s.steps!.episodes, 5);
  assert.equal(s.steps!.steps, result.lengths.reduce((a, b) => a + b, 0));
  assert.ok(Math.abs(s.steps!.return.mean - result.return.mean) < 1e-9);
  assert.ok(Math.abs(s.steps!.return.ci95 - result.return.ci95) < 1e-9);
  assert.equal(s.steps!.writer, 'random');
  assert.match(formatReplaySummary(s, true), /episodes {2}5[\s\S]*edgegym\.env_id = CartPole-v1/);
});

test('the summary of an empty log, or of one no episode ends in, says so instead of printing NaN', (t) => {
  const root = tempDir(t);
  const env = make('CartPole-v1');
  const empty = path.join(root, 'empty');
  new ReplayLogger(empty, { envId: 'CartPole-v1', observationSpace: env.observationSpace, actionSpace: env.actionSpace }).close();
  const text = formatReplaySummary(summarizeReplay(empty), false);
  assert.match(text, /0 steps in 0 rows/);
  assert.match(text, /return {4}none: the log is empty/);
  assert.doesNotMatch(text, /NaN/);

  // What a killed run leaves: steps of an episode whose final row was never written.
  const open = path.join(root, 'open');
  const logger = new ReplayLogger(open, { envId: 'CartPole-v1', observationSpace: env.observationSpace, actionSpace: env.actionSpace });
  const episode = logger.newEpisode();
  const obs = env.reset({ seed: 1 }).observation;
  logger.addStep(episode, 0, obs, 0, 0, 0, 1, false, false, null, 1);
  logger.addStep(episode, 1, env.step(0).observation, 0, 1, 0, 1, false, false, null);
  logger.close();
  const partial = formatReplaySummary(summarizeReplay(open), false);
  assert.match(partial, /episodes {2}0 \(\+ 1 the log ends inside of\)/);
  assert.match(partial, /return {4}none: no episode ends in the log/);
  assert.doesNotMatch(partial, /NaN/);
  env.close();
});

test('--to-minari writes Minari\'s layout: dataset and episode metadata, T + 1 rows per episode', (t) => {
  const root = tempDir(t);
  const logDir = path.join(root, 'steps');
  evaluate({ env: 'EdgeSched/PolicySelect-v0', policy: 'random', episodes: 2, seed: 3, replay: logDir, kwargs: { horizon: '20 s' } });
  const out = path.join(root, 'dataset');
  const result = exportMinari(logDir, out, { datasetId: 'edgegym/policy-select/random-v0' });
  assert.equal(result.episodes, 2);
  const meta = JSON.parse(fs.readFileSync(path.join(out, 'data', 'metadata.json'), 'utf8'));
  assert.equal(meta.dataset_id, 'edgegym/policy-select/random-v0');
  assert.equal(meta.data_format, 'arrow');
  assert.equal(meta.total_episodes, 2);
  assert.equal(meta.total_steps, result.steps);
  assert.equal(JSON.parse(meta.action_space).type, 'Discrete');
  assert.equal(JSON.parse(meta.observation_space.replace(/-?Infinity/g, '0')).type, 'Box');
  assert.equal(JSON.parse(meta.env_spec).id, 'EdgeSched/PolicySelect-v0');

  const episodes = [...readStepLog(logDir).episodes()];
  for (let id = 0; id < 2; id++) {
    const dir = path.join(out, 'data', String(id));
    const em = JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8'));
    const e = episodes[id];
    assert.equal(em.id, id);
    assert.equal(em.total_steps, e.rewards.length);
    assert.equal(em.seed, 3 + id);
    assert.ok(Math.abs(em.rewards_sum - e.rewards.reduce((a, b) => a + b, 0)) < 1e-9);
    const bytes = fs.readFileSync(path.join(dir, 'part-0.arrow'));
    const table = tableFromIPC(bytes);
    assert.equal(table.batches.length, 1, "Minari's reader takes one batch per episode");
    assert.equal(table.numRows, e.rewards.length + 1);
    assert.deepEqual(table.schema.fields.map((f) => f.name), ['observations', 'actions', 'rewards', 'terminations', 'truncations', 'infos']);
    assert.deepEqual(Array.from(table.getChild('rewards')!.toArray()).slice(0, -1), [...e.rewards]);
    assert.equal(table.getChild('rewards')!.get(e.rewards.length), 0, 'the last row is padding, as Minari writes it');
    const pl = polars();
    if (pl !== null) assert.equal(pl.readIPC(bytes).height, e.rewards.length + 1, 'an Arrow IPC file polars reads');
  }
  assert.throws(() => exportMinari(logDir, out), /already holds a Minari dataset/);
});
