// The seeded generator behind every space, env and simulator stream: repeatable streams,
// the distributions it draws from, checkpoints, and seed validation.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertNear, moments } from '../fixtures/statistics.js';
import { Rng, checkSeed } from '../../src/rng.js';

/** Draws per distribution check. */
const N = 50_000;

function draws(n: number, next: () => number): Float64Array {
  return Float64Array.from({ length: n }, next);
}


describe('Rng streams', () => {
  it('gives the same stream for the same seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    assert.deepEqual(draws(1000, () => a.random()), draws(1000, () => b.random()));
  });

  it('gives different streams for different seeds, even neighbouring ones', () => {
    const a = new Rng(42);
    const b = new Rng(43);
    assert.notDeepEqual(draws(100, () => a.random()), draws(100, () => b.random()));
  });

  it('gives each named stream of a seed its own sequence', () => {
    const main = new Rng(7);
    const arrivals = new Rng(7, 'arrivals');
    const service = new Rng(7, 'service');
    const [m, a, s] = [main, arrivals, service].map((rng) => draws(100, () => rng.random()));
    assert.notDeepEqual(a, m);
    assert.notDeepEqual(a, s);
    assert.notDeepEqual(s, m);
    assert.equal(arrivals.seed, 7);
    assert.equal(arrivals.stream, 'arrivals');
  });

  it('makes child streams that are the named streams of the same seed', () => {
    const root = new Rng(3);
    root.random(); // drawing from the parent does not move its children
    const child = root.child('net');
    const grandchild = child.child('latency');
    assert.equal(child.stream, 'net');
    assert.equal(grandchild.stream, 'net/latency');
    const expected = new Rng(3, 'net/latency');
    assert.deepEqual(draws(100, () => grandchild.random()), draws(100, () => expected.random()));
  });

  it('derives child seeds that are valid, repeatable seeds', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    for (let i = 0; i < 1000; i++) {
      const seed = a.deriveSeed();
      assert.equal(seed, b.deriveSeed());
      assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, `derived seed ${seed}`);
    }
  });

  it('seeds from OS entropy when no seed is given', () => {
    const rng = Rng.fromEntropy('workload');
    assert.doesNotThrow(() => checkSeed(rng.seed));
    assert.equal(rng.stream, 'workload');
  });
});

describe('Rng distributions', () => {
  it('random() is uniform on [0, 1)', () => {
    const rng = new Rng(1);
    const x = draws(N, () => rng.random());
    for (const v of x) assert.ok(v >= 0 && v < 1, `${v} outside [0, 1)`);
    const { mean, variance } = moments(x);
    assertNear(mean, 0.5, Math.sqrt(1 / 12 / N), 'mean');
    assertNear(variance, 1 / 12, Math.sqrt((1 / 80 - 1 / 144) / N), 'variance');
  });

  it('uniform(low, high) stays in [low, high) with mean at the midpoint', () => {
    const rng = new Rng(2);
    const x = draws(N, () => rng.uniform(-3, 5));
    for (const v of x) assert.ok(v >= -3 && v < 5, `${v} outside [-3, 5)`);
    const { mean, variance } = moments(x);
    assertNear(mean, 1, 8 / Math.sqrt(12 * N), 'mean');
    assertNear(variance, 64 / 12, Math.sqrt((1 / 80 - 1 / 144) * 8 ** 4 / N), 'variance');
  });

  it('int(n) draws every integer 0…n−1 about equally often', () => {
    const rng = new Rng(3);
    const n = 7;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < N; i++) {
      const k = rng.int(n);
      assert.ok(Number.isInteger(k) && k >= 0 && k < n, `int(${n}) gave ${k}`);
      counts[k]++;
    }
    const p = 1 / n;
    counts.forEach((c, k) => assertNear(c / N, p, Math.sqrt(p * (1 - p) / N), `share of ${k}`));
  });

  it('int(1) always gives 0', () => {
    const rng = new Rng(4);
    for (let i = 0; i < 100; i++) assert.equal(rng.int(1), 0);
  });

  it('normal() has mean 0 and variance 1, normal(mean, std) shifts and scales it', () => {
    const rng = new Rng(5);
    const standard = moments(draws(N, () => rng.normal()));
    assertNear(standard.mean, 0, 1 / Math.sqrt(N), 'standard mean');
    // For a normal sample the variance estimate has standard error σ²·√(2/(n−1)).
    assertNear(standard.variance, 1, Math.sqrt(2 / (N - 1)), 'standard variance');
    const scaled = moments(draws(N, () => rng.normal(10, 2)));
    assertNear(scaled.mean, 10, 2 / Math.sqrt(N), 'scaled mean');
    assertNear(scaled.variance, 4, 4 * Math.sqrt(2 / (N - 1)), 'scaled variance');
  });

  it('normal() puts about 95% of draws within 1.96 standard deviations', () => {
    const rng = new Rng(6);
    const inside = draws(N, () => rng.normal()).filter((v) => Math.abs(v) < 1.96).length / N;
    assertNear(inside, 0.95, Math.sqrt(0.95 * 0.05 / N), 'share within ±1.96');
  });

  it('exponential(mean) is non-negative with the given mean (not rate)', () => {
    const rng = new Rng(7);
    const unit = draws(N, () => rng.exponential());
    for (const v of unit) assert.ok(v >= 0 && Number.isFinite(v), `exponential gave ${v}`);
    const m1 = moments(unit);
    assertNear(m1.mean, 1, 1 / Math.sqrt(N), 'Exp(1) mean');
    // Exp: variance mean², fourth central moment 9·mean⁴, so the variance estimate has SE √8·mean²/√n.
    assertNear(m1.variance, 1, Math.sqrt(8 / N), 'Exp(1) variance');
    const m3 = moments(draws(N, () => rng.exponential(3)));
    assertNear(m3.mean, 3, 3 / Math.sqrt(N), 'Exp(mean 3) mean');
    assertNear(m3.variance, 9, 9 * Math.sqrt(8 / N), 'Exp(mean 3) variance');
  });
});

describe('Rng checkpoints', () => {
  it('fromState(getState()) continues the stream exactly, through JSON', () => {
    const rng = new Rng(99, 'arrivals');
    draws(123, () => rng.random());
    const state = JSON.parse(JSON.stringify(rng.getState()));
    const restored = Rng.fromState(state);
    assert.equal(restored.seed, 99);
    assert.equal(restored.stream, 'arrivals');
    assert.deepEqual(
      draws(1000, () => restored.normal() + restored.exponential() + restored.int(10)),
      draws(1000, () => rng.normal() + rng.exponential() + rng.int(10)),
    );
  });

  it('keeps a snapshot unchanged as the generator moves on', () => {
    const rng = new Rng(100);
    const state = rng.getState();
    const first = draws(50, () => rng.random());
    draws(50, () => rng.random());
    const restored = Rng.fromState(state);
    assert.deepEqual(draws(50, () => restored.random()), first);
    // The restored generator can itself be snapshotted and restored again.
    const again = Rng.fromState(restored.getState());
    assert.deepEqual(draws(20, () => again.random()), draws(20, () => restored.random()));
  });
});

describe('checkSeed', () => {
  it('accepts non-negative safe integers', () => {
    for (const seed of [0, 1, 2 ** 32, Number.MAX_SAFE_INTEGER]) assert.doesNotThrow(() => checkSeed(seed));
  });

  it('rejects anything else with a RangeError that names the value', () => {
    for (const bad of [-1, 1.5, NaN, '3', Infinity, Number.MAX_SAFE_INTEGER + 1, null, undefined]) {
      assert.throws(
        () => checkSeed(bad),
        { name: 'RangeError', message: `seed must be a non-negative integer, got ${String(bad)}` },
      );
    }
  });

  it('names the argument it was checking', () => {
    assert.throws(() => checkSeed(-1, 'reset(seed)'), { name: 'RangeError', message: /^reset\(seed\) must be a non-negative integer, got -1$/ });
  });

  it('guards the Rng constructor', () => {
    assert.throws(() => new Rng(-1), RangeError);
    assert.throws(() => new Rng(0.5), RangeError);
  });
});
