// Saved policies: the folder holds a LayersModel that tfjs loads with the same outputs as the
// trained network, loadPolicy gives a Policy that acts like it (masks and normalisation kept),
// and a save replaces the previous one atomically.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../agents/backend.js';
import { savePolicy } from '../../agents/checkpoint-save.js';
import { loadPolicy } from '../../agents/policy-io.js';
import { trainPPO } from '../../agents/ppo.js';
import '../../envs/index.js';
import { make } from '../../src/registry.js';
import { makeVec } from '../../src/vector/make-vec.js';
import '../fixtures/masked-env.js';

before(async () => {
  await selectBackend('wasm');
});

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-policy-'));

test('a saved CartPole policy reloads as a Policy and as a tfjs LayersModel with the same outputs', async () => {
  const env = makeVec('CartPole-v1', { numEnvs: 4 });
  const agent = trainPPO(env, { totalTimesteps: 2048, seed: 5, normObs: true });
  const dir = path.join(tmp(), 'run', 'policy');
  await savePolicy(dir, agent, { envId: 'CartPole-v1', observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'optimizer.bin', 'policy.json', 'training.json', 'weights.bin']);

  const policy = loadPolicy(path.dirname(dir)); // the run folder works too
  assert.equal(policy.file.envId, 'CartPole-v1');
  assert.ok(policy.file.obsNormalization !== null, 'normalisation statistics are saved');
  // Weights are matched by name, as tf.loadLayersModel does with the files.
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const bytes = fs.readFileSync(path.join(dir, 'weights.bin'));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));

  const single = make('CartPole-v1');
  let { observation } = single.reset({ seed: 11 });
  const norm = agent.normalizer;
  assert.ok(norm !== null);
  for (let t = 0; t < 20; t++) {
    const x = Float32Array.from(observation);
    norm.normalize(x, 1, x, false);
    const [logits, value] = tf.tidy(() => (model.predict(tf.tensor2d(x, [1, 4])) as tf.Tensor[]).map((o) => Array.from(o.dataSync())));
    const expected = logits[1] > logits[0] ? 1 : 0;
    const action = policy.act(observation, {}) as number;
    assert.equal(action, expected, `step ${t}: the saved policy takes the LayersModel's most likely action`);
    assert.ok(Math.abs(policy.valueOf(observation) - value[0]) < 1e-4, 'and its critic agrees');
    const step = single.step(action);
    observation = step.observation;
    if (step.terminated || step.truncated) break;
  }
  model.dispose();
  env.close();
});

test('a loaded policy honours action masks', async () => {
  const env = makeVec('Test/Masked-v0', { numEnvs: 2, vectorizationMode: 'sync', kwargs: { nvec: [3, 4] } });
  const agent = trainPPO(env, { totalTimesteps: 2 * 32 * 2, numSteps: 32, seed: 6 });
  const dir = path.join(tmp(), 'p');
  await savePolicy(dir, agent, { envId: 'Test/Masked-v0', observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace });
  const policy = loadPolicy(dir, { deterministic: false, seed: 1 });
  const single = make('Test/Masked-v0', { nvec: [3, 4] });
  let { observation, info } = single.reset({ seed: 2 });
  for (let t = 0; t < 200; t++) {
    const result = single.step(policy.act(observation, info)); // throws on a masked action
    ({ observation, info } = result.terminated ? single.reset() : result);
  }
  env.close();
});

test('saving over a policy replaces it whole and leaves no temporary folders', async () => {
  const env = makeVec('CartPole-v1', { numEnvs: 2 });
  const parent = tmp();
  const dir = path.join(parent, 'policy');
  for (const seed of [1, 2]) {
    const agent = trainPPO(env, { totalTimesteps: 512, numSteps: 128, seed });
    await savePolicy(dir, agent, { envId: 'CartPole-v1', observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace });
    assert.equal((JSON.parse(fs.readFileSync(path.join(dir, 'policy.json'), 'utf8')).config as { seed: number }).seed, seed);
  }
  assert.deepEqual(fs.readdirSync(parent), ['policy']);
  assert.throws(() => loadPolicy(parent + '-missing'), /no policy\.json/);
  env.close();
});

test('eval takes a trained policy folder, and refuses one trained on another env', async () => {
  const { evaluate } = await import('../../envs/evaluate.js');
  const { policyByName } = await import('../../jobs/policies.js');
  const env = makeVec('CartPole-v1', { numEnvs: 4 });
  const agent = trainPPO(env, { totalTimesteps: 1024, seed: 2 });
  const dir = tmp();
  await savePolicy(path.join(dir, 'policy'), agent, { envId: 'CartPole-v1', observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace });
  const a = evaluate({ env: 'CartPole-v1', policy: dir, resolvePolicy: policyByName, episodes: 3, seed: 7 });
  const b = evaluate({ env: 'CartPole-v1', policy: dir, resolvePolicy: policyByName, episodes: 3, seed: 7 });
  assert.deepEqual(a.returns, b.returns, 'greedy and seeded: the same returns');
  assert.ok(a.returns.every((r) => r >= 8 && r <= 500));
  assert.throws(() => policyByName(dir, make('EdgeSched/Dispatch-v0'), 0, 'EdgeSched/Dispatch-v0'), /was trained on CartPole-v1, not EdgeSched\/Dispatch-v0/);
});
