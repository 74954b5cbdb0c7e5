// Checkpoint folders: a saved run loads back as the same policy, a run folder resolves to its
// newest checkpoint, only the last K are kept, and every kind of damage is reported by file name.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { selectBackend } from '../../agents/backend.js';
import { type CheckpointMeta, loadCheckpoint } from '../../agents/checkpoint.js';
import { saveCheckpoint } from '../../agents/checkpoint-save.js';
import { checkpointDir, listCheckpoints, pruneCheckpoints } from '../../agents/checkpoint-folder.js';
import { loadPolicy } from '../../agents/policy-io.js';
import { PPOTrainer } from '../../agents/ppo.js';
import '../../envs/index.js';
import { make } from '../../src/registry.js';
import { makeVec } from '../../src/vector/make-vec.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-checkpoint-'));
before(async () => {
  await selectBackend('wasm');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

const env = makeVec('CartPole-v1', { numEnvs: 2 });
const meta: CheckpointMeta = { envId: 'CartPole-v1', observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 2, backend: 'wasm' };

/** A checkpoint of a two-update CartPole run, in a fresh folder. */
function freshCheckpoint(name: string): string {
  const trainer = new PPOTrainer(makeVec('CartPole-v1', { numEnvs: 2 }), { totalTimesteps: 128, numSteps: 32, seed: 9, normObs: true });
  trainer.update();
  trainer.update();
  const dir = path.join(root, name);
  saveCheckpoint(dir, trainer.state(), meta);
  return dir;
}

test('train → checkpoint → load gives a policy that takes the trained network’s actions', () => {
  const trainer = new PPOTrainer(makeVec('CartPole-v1', { numEnvs: 2 }), { totalTimesteps: 256, numSteps: 32, seed: 2, normObs: true });
  while (!trainer.done) trainer.update();
  const dir = path.join(root, 'round-trip');
  saveCheckpoint(dir, trainer.state(), meta);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'optimizer.bin', 'policy.json', 'training.json', 'weights.bin']);
  const policy = loadPolicy(dir);
  const file = policy.file;
  assert.equal(file.globalStep, 256);
  assert.equal(file.update, 4);
  assert.equal(file.seed, 2);
  assert.match(file.packageVersion, /^\d+\.\d+\.\d+/);
  assert.equal(file.backend, 'wasm');

  // The trained network, acting greedily in plain JS, against the loaded one.
  const agent = trainer.result();
  const single = make('CartPole-v1');
  let { observation } = single.reset({ seed: 4 });
  const out = new Float32Array(2);
  for (let t = 0; t < 50; t++) {
    const x = Float32Array.from(observation as Float32Array);
    agent.normalizer?.normalize(x, 1, x, false);
    agent.network.actorForward(x, 1, out);
    const action = policy.act(observation, {});
    assert.equal(action, out[1] > out[0] ? 1 : 0, `step ${t}`);
    const step = single.step(action);
    if (step.terminated || step.truncated) ({ observation } = single.reset());
    else observation = step.observation;
  }
  const optimizer = loadCheckpoint(dir, { training: true }).state?.optimizer;
  assert.deepEqual(optimizer, agent.optimizer.getState(), 'the moments come back exactly');
});

test('a run folder resolves to its newest checkpoint, and pruning keeps the last K and sweeps a killed save', () => {
  const run = path.join(root, 'run');
  const trainer = new PPOTrainer(makeVec('CartPole-v1', { numEnvs: 2 }), { totalTimesteps: 4 * 64, numSteps: 32, seed: 1 });
  while (!trainer.done) {
    const s = trainer.update();
    saveCheckpoint(checkpointDir(run, s.globalStep), trainer.state(), meta);
  }
  fs.mkdirSync(path.join(run, 'checkpoints', '.step-999.tmp-abc123')); // what a SIGKILL mid-save leaves
  pruneCheckpoints(run, 2);
  assert.deepEqual(fs.readdirSync(path.join(run, 'checkpoints')).sort(), ['step-192', 'step-256']);
  assert.deepEqual(listCheckpoints(run).map((c) => c.step), [192, 256]);
  assert.equal(loadPolicy(run).file.globalStep, 256);
});

test('a damaged or mismatched checkpoint is refused with the file and the problem named', () => {
  const cases: [string, (dir: string) => void, RegExp, Parameters<typeof loadCheckpoint>[1]?][] = [
    ['missing model.json', (d) => fs.rmSync(path.join(d, 'model.json')), /model\.json: missing/],
    ['missing weights.bin', (d) => fs.rmSync(path.join(d, 'weights.bin')), /weights\.bin: missing \(model\.json lists it\)/],
    ['truncated weights.bin', (d) => fs.truncateSync(path.join(d, 'weights.bin'), 1000), /weights\.bin: 1000 bytes, but model\.json's manifest needs \d+: the file is truncated/],
    ['policy.json not JSON', (d) => fs.writeFileSync(path.join(d, 'policy.json'), '{"format": "edgegym-pol'), /policy\.json: not valid JSON/],
    ['policy.json from a newer format', (d) => edit(d, (p) => ({ ...p, version: 99 })), /policy\.json: format version 99 is newer than this edgegym reads \(up to 2\)/],
    ['another env', () => {}, /policy\.json: trained on CartPole-v1, not EdgeSched\/Dispatch-v0/, { envId: 'EdgeSched/Dispatch-v0' }],
    ['another observation size', () => {}, /policy\.json: the policy takes observations of 4 values, the env gives 7/, { observationSize: 7 }],
    ['a weight of the wrong shape', (d) => edit(d, (p) => ({ ...p, network: { ...(p.network as object), hidden: [64, 32] } })), /model\.json: weight actor_hidden_2\/kernel has 4096 values, the network in policy\.json needs 2048/],
    ['truncated optimizer.bin', (d) => fs.truncateSync(path.join(d, 'optimizer.bin'), 16), /optimizer\.bin: 16 bytes, expected \d+ \(2 moments × \d+ float64\): the file is truncated/, { training: true }],
    ['missing training.json when resuming', (d) => fs.rmSync(path.join(d, 'training.json')), /training\.json: missing: this folder holds a policy but not the training state/, { training: true }],
    ['no folder at all', (d) => fs.rmSync(d, { recursive: true }), /no such checkpoint folder/],
  ];
  for (const [name, damage, message, expect] of cases) {
    const dir = freshCheckpoint(name.replace(/\W+/g, '-'));
    damage(dir);
    assert.throws(() => loadCheckpoint(dir, expect), (err: Error) => {
      assert.match(err.message, message, name);
      if (name !== 'no folder at all') assert.ok(err.message.includes(dir), `${name}: the message names the file (${err.message})`);
      return true;
    });
  }
  assert.throws(() => loadPolicy(path.join(root, 'nothing-here')), /no policy\.json here/);
});

function edit(dir: string, change: (p: Record<string, unknown>) => Record<string, unknown>): void {
  const file = path.join(dir, 'policy.json');
  fs.writeFileSync(file, JSON.stringify(change(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)));
}
