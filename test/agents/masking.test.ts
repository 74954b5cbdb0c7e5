// Action masks: a masked action is never sampled, by the distribution alone or by PPO and A2C
// training through the vector env path (sync and worker threads), Discrete and MultiDiscrete.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { trainA2C } from '../../agents/a2c.js';
import { selectBackend } from '../../agents/backend.js';
import { Categorical } from '../../agents/distributions.js';
import { trainPPO } from '../../agents/ppo.js';
import { Rng } from '../../src/rng.js';
import { makeVec } from '../../src/vector/make-vec.js';
import type { SyncVectorEnv } from '../../src/vector/sync-vector-env.js';
import type { MaskedEnv } from '../fixtures/masked-env.js';
import '../fixtures/masked-env.js';

before(async () => {
  await selectBackend('wasm');
});

test('Categorical never draws a masked action and draws every allowed one', () => {
  const dist = new Categorical([5, 3], [0, 0]);
  // Logits favour the masked actions heavily: masking must still win.
  const logits = Float32Array.of(9, 0, 9, 0, 9, 9, 0, 9);
  const mask = Uint8Array.of(0, 1, 0, 1, 0, 0, 1, 0);
  const actions = new Float32Array(2);
  const rng = new Rng(1);
  const seen = [new Set<number>(), new Set<number>()];
  for (let i = 0; i < 2000; i++) {
    const logp = dist.sample(logits, 0, mask, new Float32Array(0), rng, actions);
    seen[0].add(actions[0]);
    seen[1].add(actions[1]);
    assert.ok(Math.abs(logp - Math.log(0.5)) < 1e-9, 'two equal allowed logits: p = ½ in dimension 0, 1 in dimension 1');
  }
  assert.deepEqual([...seen[0]].sort(), [1, 3]);
  assert.deepEqual([...seen[1]], [1]);
  dist.mode(logits, 0, mask, actions);
  assert.equal(actions[1], 1, 'the mode honours the mask too');
});

test('a mask that allows nothing is a clear error', () => {
  const dist = new Categorical([2], [0]);
  assert.throws(() => dist.sample(Float32Array.of(0, 0), 0, Uint8Array.of(0, 0), new Float32Array(0), new Rng(1), new Float32Array(1)), /allows no action/);
});

for (const nvec of [[4], [3, 4]]) {
  test(`PPO and A2C training never take a masked action (${nvec.length === 1 ? 'Discrete' : 'MultiDiscrete'}, sync vector env)`, () => {
    // The fixture throws on a masked action, so finishing is the proof; count the actions too.
    const env = makeVec('Test/Masked-v0', { numEnvs: 3, vectorizationMode: 'sync', kwargs: { nvec } });
    trainPPO(env, { totalTimesteps: 3 * 64 * 4, numSteps: 64, seed: 3 });
    trainA2C(env, { totalTimesteps: 3 * 5 * 20, seed: 3 });
    const taken = (env as SyncVectorEnv).envs.map((e) => (e.unwrapped as MaskedEnv).taken);
    assert.ok(taken.every((n) => n > 300), `every sub-env acted: ${taken}`);
    env.close();
  });
}

test('masks reach the agent from worker threads (async vector env)', () => {
  const env = makeVec('Test/Masked-v0', { numEnvs: 2, vectorizationMode: 'async', kwargs: { nvec: [4] } });
  try {
    const returns: number[] = [];
    trainPPO(env, { totalTimesteps: 2 * 32 * 4, numSteps: 32, seed: 4 }, { onEpisode: (e) => returns.push(e.r) });
    assert.ok(returns.length >= 8);
  } finally {
    env.close();
  }
});
