// The random policy: seeded, and never picks a masked action.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RandomPolicy } from '../../src/random-policy.js';
import { Env, type ResetResult, type StepResult } from '../../src/env.js';
import { Box } from '../../src/spaces/box.js';
import { Discrete } from '../../src/spaces/discrete.js';

/** Four actions, of which only 1 and 3 are allowed. */
class MaskedEnv extends Env<Float32Array, number> {
  readonly observationSpace = new Box(0, 1, [1]);
  readonly actionSpace = new Discrete(4);
  reset(): ResetResult<Float32Array> {
    return { observation: new Float32Array(1), info: { actionMask: Uint8Array.of(0, 1, 0, 1) } };
  }
  step(): StepResult<Float32Array> {
    return { observation: new Float32Array(1), reward: 0, terminated: false, truncated: false, info: {} };
  }
}

test('masked actions are never drawn, and every allowed one is', () => {
  const env = new MaskedEnv();
  const policy = new RandomPolicy(env, 7);
  const { observation, info } = env.reset();
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) seen.add(policy.act(observation, info));
  assert.deepEqual([...seen].sort(), [1, 3]);
});

test('the same seed gives the same actions, without touching the env’s own space', () => {
  const env = new MaskedEnv();
  env.actionSpace.seed(1);
  const expectedEnvDraw = new Discrete(4);
  expectedEnvDraw.seed(1);
  const draw = (seed: number): number[] => {
    const policy = new RandomPolicy(env, seed);
    return Array.from({ length: 20 }, () => policy.act(new Float32Array(1), {}));
  };
  assert.deepEqual(draw(5), draw(5));
  assert.notDeepEqual(draw(5), draw(6));
  assert.equal(env.actionSpace.sample(), expectedEnvDraw.sample(), 'the env’s space stream is untouched');
});
