// Resuming from a checkpoint: on an env whose state is captured (CartPole's vector env) a run
// stopped at update k and resumed gives the losses of one uninterrupted run; elsewhere it resets
// the env and carries on with the same step counter, schedule, moments and normalisation.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { A2CTrainer } from '../../agents/a2c.js';
import { selectBackend } from '../../agents/backend.js';
import { loadCheckpoint } from '../../agents/checkpoint.js';
import { saveCheckpoint } from '../../agents/checkpoint-save.js';
import { PPOTrainer } from '../../agents/ppo.js';
import type { Trainer, TrainingState, UpdateStats } from '../../agents/training.js';
import '../../envs/index.js';
import { makeVec } from '../../src/vector/make-vec.js';
import type { VectorEnv } from '../../src/vector/vector-env.js';
import '../fixtures/reach-env.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-resume-'));
before(async () => {
  await selectBackend('wasm');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

type Make = (env: VectorEnv, resume?: TrainingState) => Trainer;

/** Losses of every update: of one run to the end, and of a run saved after `k` updates and resumed from disk. */
function runBoth(envId: string, make: Make, k: number): { whole: UpdateStats[]; resumed: UpdateStats[]; trainer: Trainer } {
  const whole: UpdateStats[] = [];
  const a = make(makeVec(envId, { numEnvs: 2 }));
  while (!a.done) whole.push(a.update());

  const resumed: UpdateStats[] = [];
  const envB = makeVec(envId, { numEnvs: 2 });
  const b = make(envB);
  for (let i = 0; i < k; i++) resumed.push(b.update());
  const dir = path.join(root, `${envId.replace('/', '-')}-${b.algo}`);
  saveCheckpoint(dir, b.state(), { envId, observationSpace: envB.singleObservationSpace, actionSpace: envB.singleActionSpace, numEnvs: 2, backend: 'wasm' });
  const state = loadCheckpoint(dir, { training: true }).state;
  assert.ok(state !== null);
  const c = make(makeVec(envId, { numEnvs: 2 }), state);
  while (!c.done) resumed.push(c.update());
  return { whole, resumed, trainer: c };
}

const LOSS_KEYS = ['loss', 'policyLoss', 'valueLoss', 'entropy', 'approxKl', 'gradNorm', 'learningRate', 'globalStep', 'episodes'] as const;

test('PPO resumed at update 3 of 6 on CartPole gives the losses of the uninterrupted run', () => {
  const make: Make = (env, resume) => new PPOTrainer(env, { totalTimesteps: 6 * 64, numSteps: 32, numMinibatches: 2, updateEpochs: 2, seed: 3, normObs: true }, {}, { resume });
  const { whole, resumed, trainer } = runBoth('CartPole-v1', make, 3);
  assert.equal(trainer.envStart, 'restored', "CartPole's vector env continues mid-episode");
  assert.equal(resumed.length, whole.length);
  whole.forEach((w, i) => {
    for (const key of LOSS_KEYS) assert.ok(Math.abs(w[key] - resumed[i][key]) <= 1e-12 * Math.max(1, Math.abs(w[key])), `update ${i + 1}: ${key} ${resumed[i][key]} vs ${w[key]}`);
  });
  assert.ok(whole[5].learningRate < whole[0].learningRate, 'the annealed schedule carried on');
});

test('A2C (RMSprop) resumed at update 4 of 8 gives the same losses too', () => {
  const make: Make = (env, resume) => new A2CTrainer(env, { totalTimesteps: 8 * 10, numSteps: 5, seed: 4, annealLr: true }, {}, { resume });
  const { whole, resumed } = runBoth('CartPole-v1', make, 4);
  whole.forEach((w, i) => {
    // A2C computes no KL: NaN in both runs, never a made-up 0.
    assert.ok(Number.isNaN(w.approxKl) && Number.isNaN(resumed[i].approxKl), `update ${i + 1}: approxKl is not computed`);
    for (const key of LOSS_KEYS.filter((k) => k !== 'approxKl')) assert.ok(Math.abs(w[key] - resumed[i][key]) <= 1e-12 * Math.max(1, Math.abs(w[key])), `update ${i + 1}: ${key}`);
  });
});

test('on an env without capturable state, a resumed run resets it and keeps the counters and statistics', () => {
  const make: Make = (env, resume) => new PPOTrainer(env, { totalTimesteps: 4 * 32, numSteps: 16, numMinibatches: 1, updateEpochs: 1, seed: 5, normObs: true }, {}, { resume });
  const { whole, resumed, trainer } = runBoth('Test/Reach-v0', make, 2);
  assert.equal(trainer.envStart, 'resumed-with-reset');
  assert.deepEqual(resumed.map((s) => s.globalStep), whole.map((s) => s.globalStep));
  assert.deepEqual(resumed.map((s) => s.learningRate), whole.map((s) => s.learningRate));
  assert.equal(resumed[1].loss, whole[1].loss, 'before the stop, the same run');
  assert.notEqual(resumed[2].loss, whole[2].loss, 'after it, other episodes');
});

test('resuming refuses a different network shape or algorithm', () => {
  const env = makeVec('CartPole-v1', { numEnvs: 2 });
  const t = new PPOTrainer(env, { totalTimesteps: 128, numSteps: 32, seed: 1 });
  t.update();
  const state = t.state();
  assert.throws(() => new PPOTrainer(makeVec('CartPole-v1', { numEnvs: 2 }), { hidden: [32] }, {}, { resume: state }), /cannot resume with hidden \[32\]: the run was trained with \[64,64\]/);
  assert.throws(() => new A2CTrainer(makeVec('CartPole-v1', { numEnvs: 2 }), {}, {}, { resume: state }), /cannot resume a ppo run with a2c/);
});
