// CartPole-v1: Gymnasium's dynamics to float32 precision, hand-computed steps, each termination
// threshold, truncation at 500, seeding and the errors a user can hit.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CartPoleEnv } from '../../envs/classic/cartpole.js';
import '../../envs/index.js';
import { make } from '../../src/registry.js';
import type { Env } from '../../src/env.js';

type CartPole = Env<Float32Array, number>;
const cartPole = (kwargs = {}): CartPole => make('CartPole-v1', kwargs) as CartPole;

/** Relative closeness at float32 precision (one part in ~10⁷, two ulps of slack). */
function assertFloat32Close(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 2.5e-7 * Math.max(Math.abs(expected[i]), 1e-30);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('CartPole-v1 dynamics', () => {
  test('two steps from rest, worked out by hand', () => {
    // From θ = 0 (sin 0 = 0, cos 0 = 1) pushing right with F = 10 N:
    //   temp = F / (m_c + m_p) = 10 / 1.1 = 100/11
    //   θ̈ = −temp / (l · (4/3 − m_p / 1.1)) = −(100/11) / (0.5 · 41/33) = −600/41
    //   ẍ = temp − m_p·l·θ̈ / 1.1 = 100/11 + 300/451 = 4400/451
    // Euler with τ = 0.02 updates positions from the old velocities.
    const env = cartPole();
    env.reset({ options: { state: [0, 0, 0, 0] } });
    const s1 = env.step(1);
    assertFloat32Close(s1.observation, [0, 0.02 * (4400 / 451), 0, 0.02 * (-600 / 41)], 'step 1');
    // θ is still 0 after step 1 (it moved by τ·θ̇ with θ̇ = 0), so the accelerations repeat.
    const s2 = env.step(1);
    assertFloat32Close(s2.observation, [0.02 * 0.02 * (4400 / 451), 0.04 * (4400 / 451), 0.02 * 0.02 * (-600 / 41), 0.04 * (-600 / 41)], 'step 2');
    assert.equal(s1.reward, 1);
    assert.equal(s2.terminated, false);
  });

  test("matches Gymnasium 1.3.0's trajectory to float32 precision", () => {
    // Reference: gymnasium 1.3.0, env.unwrapped.state = [0.01, -0.02, 0.03, 0.04] (float64),
    // then these actions; each row is the float32 observation Gymnasium returned.
    const actions = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1];
    const gymnasium = [
      [0.009600000455975533, 0.17467918992042542, 0.030799999833106995, -0.24306872487068176],
      [0.013093584217131138, -0.020868849009275436, 0.025938626378774643, 0.059167999774217606],
      [0.012676207348704338, 0.17387177050113678, 0.02712198533117771, -0.22521957755088806],
      [0.016153642907738686, 0.36859580874443054, 0.02261759340763092, -0.5092253088951111],
      [0.023525558412075043, 0.17316263914108276, 0.012433087453246117, -0.20950153470039368],
      [0.026988811790943146, -0.02213486284017563, 0.008243056945502758, 0.0870773121714592],
      [0.026546115055680275, 0.17286796867847443, 0.009984603151679039, -0.20299355685710907],
      [0.030003473162651062, -0.022395342588424683, 0.0059247324243187904, 0.09282222390174866],
      [0.029555566608905792, 0.17264118790626526, 0.007781176827847958, -0.19798557460308075],
      [0.0330083891749382, 0.36765098571777344, 0.0038214651867747307, -0.488203763961792],
    ];
    const env = cartPole();
    const start = env.reset({ options: { state: [0.01, -0.02, 0.03, 0.04] } });
    assert.deepEqual(Array.from(start.observation), [0.01, -0.02, 0.03, 0.04].map(Math.fround));
    actions.forEach((a, t) => {
      const { observation, reward, terminated, truncated } = env.step(a);
      assertFloat32Close(observation, gymnasium[t], `step ${t + 1}`);
      assert.deepEqual([reward, terminated, truncated], [1, false, false]);
    });
  });

  test('observations are float32 copies of the float64 state', () => {
    const env = new CartPoleEnv();
    const { observation } = env.reset({ seed: 3 });
    assert.ok(observation instanceof Float32Array);
    const state = env.state;
    assert.ok(state instanceof Float64Array);
    assert.deepEqual(Array.from(observation), Array.from(state, Math.fround));
  });
});

describe('CartPole-v1 episode ends', () => {
  const cases: [string, number[], boolean][] = [
    ['cart past +2.4', [2.39, 1, 0, 0], true], // x → 2.39 + 0.02·1 = 2.41
    ['cart past −2.4', [-2.39, -1, 0, 0], true],
    ['pole past +12°', [0, 0, 0.2, 0.5], true], // θ → 0.2 + 0.02·0.5 = 0.21 > 0.2094
    ['pole past −12°', [0, 0, -0.2, -0.5], true],
    ['cart just inside 2.4', [2.39, 0.4, 0, 0], false], // x → 2.398
    ['pole just inside 12°', [0, 0, 0.2, 0.4], false], // θ → 0.208 < 0.2094
  ];
  for (const [name, state, ends] of cases) {
    test(`${name}: terminated = ${ends}`, () => {
      const env = cartPole();
      env.reset({ options: { state } });
      const { terminated, truncated, reward } = env.step(state[0] < 0 || state[2] < 0 ? 0 : 1);
      assert.equal(terminated, ends);
      assert.equal(truncated, false);
      assert.equal(reward, 1, 'the failing step still pays +1');
    });
  }

  test('stepping past termination pays 0, as Gymnasium', () => {
    const env = cartPole();
    env.reset({ options: { state: [2.39, 1, 0, 0] } });
    assert.equal(env.step(1).reward, 1);
    assert.equal(env.step(1).reward, 0);
  });

  test("Sutton & Barto's reward: 0 per step, −1 on failure", () => {
    const env = cartPole({ suttonBartoReward: true });
    env.reset({ options: { state: [2.3, 1, 0, 0] } });
    assert.equal(env.step(1).reward, 0); // x → 2.32
    env.reset({ options: { state: [2.39, 1, 0, 0] } });
    assert.equal(env.step(1).reward, -1);
  });

  test('make truncates at exactly 500 steps when the pole stays up', () => {
    const env = cartPole();
    let { observation: o } = env.reset({ options: { state: [0, 0, 0, 0] } });
    for (let t = 1; t <= 500; t++) {
      const action = o[2] + 0.3 * o[3] + 0.01 * o[0] + 0.1 * o[1] > 0 ? 1 : 0;
      const result = env.step(action);
      o = result.observation;
      assert.equal(result.terminated, false, `step ${t}`);
      assert.equal(result.truncated, t === 500, `step ${t}`);
    }
  });
});

describe('CartPole-v1 seeding and errors', () => {
  test('the start state is Uniform(−0.05, 0.05), the same for the same seed', () => {
    const a = cartPole().reset({ seed: 42 }).observation;
    const b = cartPole().reset({ seed: 42 }).observation;
    const c = cartPole().reset({ seed: 43 }).observation;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const env = cartPole();
    env.reset({ seed: 0 });
    for (let i = 0; i < 200; i++) {
      const { observation } = env.reset();
      for (const v of observation) assert.ok(v >= Math.fround(-0.05) && v <= Math.fround(0.05));
    }
  });

  test('reset without a seed continues the stream: episodes differ, runs repeat', () => {
    const starts = (): number[] => {
      const env = cartPole();
      env.reset({ seed: 9 });
      return [env.reset().observation[0], env.reset().observation[0]];
    };
    const [first, second] = starts();
    assert.notEqual(first, second);
    assert.deepEqual(starts(), [first, second]);
  });

  test('reset options low/high change the start range', () => {
    const { observation } = cartPole().reset({ seed: 1, options: { low: 0.1, high: 0.2 } });
    for (const v of observation) assert.ok(v >= Math.fround(0.1) && v <= Math.fround(0.2));
    assert.throws(() => cartPole().reset({ options: { low: 0.2, high: 0.1 } }), /low ≤ high/);
  });

  test('bad input gets errors that say what was wrong', () => {
    const env = cartPole();
    assert.throws(() => env.step(0), /step\(\) was called before reset\(\)/);
    env.reset({ seed: 0 });
    assert.throws(() => env.step(2), { name: 'RangeError', message: /action 2 is not in Discrete\(2\)/ });
    assert.throws(() => env.step(0.5), /action 0.5 is not in Discrete\(2\)/);
    assert.throws(() => env.reset({ options: { state: [0, 0, 0] } }), /options.state must be 4 finite numbers/);
    assert.throws(() => env.reset({ seed: -1 }), /seed must be a non-negative integer/);
  });
});
