// Tests of the wrappers on small scripted envs whose observations, rewards and episode ends are
// known, so every number a wrapper returns can be checked against one computed by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import '../../envs/index.js'; // registers CartPole-v1
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult, Wrapper } from '../../src/env.js';
import { make } from '../../src/registry.js';
import { Rng } from '../../src/rng.js';
import { Box } from '../../src/spaces/box.js';
import { Dict } from '../../src/spaces/dict.js';
import { Discrete } from '../../src/spaces/discrete.js';
import type { SpaceValue } from '../../src/spaces/space.js';
import {
  ClipAction, FlattenObservation, NormalizeObservation, NormalizeReward, OrderEnforcing, RecordEpisodeStatistics,
  RunningMeanStd, TimeLimit, TransformObservation, TransformReward, type EpisodeStatistics,
} from '../../src/wrappers/index.js';

// ---------------------------------------------------------------------------------------------
// Scripted envs

/**
 * Box(3) float32 observations [t, −t, t/2] at step t of an episode; the k-th step of the whole
 * run (k = 0, 1, …) earns rewards[k mod length]; episode i lasts episodeLengths[i mod length]
 * steps, then terminates. Records the actions it was given and how often it was closed.
 */
class ScriptedEnv extends Env<Float32Array, number> {
  readonly observationSpace = new Box(-Infinity, Infinity, [3], 'float32');
  readonly actionSpace = new Discrete(2);
  readonly actions: number[] = [];
  closeCount = 0;
  private readonly rewards: number[];
  private readonly episodeLengths: number[];
  private t = 0;
  private episode = -1;
  private totalSteps = 0;

  constructor(rewards: number[], episodeLengths: number[] = [Number.MAX_SAFE_INTEGER]) {
    super();
    this.rewards = rewards;
    this.episodeLengths = episodeLengths;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.t = 0;
    this.episode += 1;
    return { observation: this.observe(), info: { episodeIndex: this.episode } };
  }

  step(action: number): StepResult<Float32Array> {
    this.actions.push(action);
    this.t += 1;
    const reward = this.rewards[this.totalSteps % this.rewards.length];
    this.totalSteps += 1;
    const terminated = this.t >= this.episodeLengths[this.episode % this.episodeLengths.length];
    return { observation: this.observe(), reward, terminated, truncated: false, info: { t: this.t } };
  }

  override close(): void {
    this.closeCount += 1;
  }

  private observe(): Float32Array {
    return Float32Array.of(this.t, -this.t, this.t / 2);
  }
}

/** Replays a fixed list of Box(3) observations: reset gives the first, each step the next. */
class ReplayEnv extends Env<Float32Array, number> {
  readonly observationSpace = new Box(-Infinity, Infinity, [3], 'float32');
  readonly actionSpace = new Discrete(1);
  private readonly observations: Float32Array[];
  private next = 0;

  constructor(observations: Float32Array[]) {
    super();
    this.observations = observations;
  }

  reset(): ResetResult<Float32Array> {
    return { observation: this.observations[this.next++], info: {} };
  }

  step(): StepResult<Float32Array> {
    return { observation: this.observations[this.next++], reward: 0, terminated: false, truncated: false, info: {} };
  }
}

/** A two-joint arm with torque limits [−1, 1] and [0, 5]; it records every action it receives. */
class ArmEnv extends Env<Float32Array, Float32Array> {
  readonly observationSpace = new Box(-1, 1, [2], 'float32');
  readonly actionSpace = new Box([-1, 0], [1, 5], [2], 'float32');
  readonly received: number[][] = [];

  reset(): ResetResult<Float32Array> {
    return { observation: new Float32Array(2), info: {} };
  }

  step(action: Float32Array): StepResult<Float32Array> {
    assert.ok(this.actionSpace.contains(action), `ArmEnv got ${Array.from(action)}, outside its action space`);
    this.received.push(Array.from(action));
    return { observation: new Float32Array(2), reward: 0, terminated: false, truncated: false, info: {} };
  }
}

const sensorSpace = () => new Dict({
  position: new Box(-1, 1, [2], 'float32'),
  mode: new Discrete(3),
  load: new Box(0, 10, [1], 'float32'),
});
type SensorReading = SpaceValue<ReturnType<typeof sensorSpace>>;

/** Dict observations: a position, a mode in {0, 1, 2} and a load; the mode cycles each step. */
class SensorEnv extends Env<SensorReading, number> {
  readonly observationSpace = sensorSpace();
  readonly actionSpace = new Discrete(2);
  private t = 0;

  reset(): ResetResult<SensorReading> {
    this.t = 0;
    return { observation: { position: Float32Array.of(0.25, -0.5), mode: 2, load: Float32Array.of(7) }, info: {} };
  }

  step(): StepResult<SensorReading> {
    this.t += 1;
    const observation = { position: Float32Array.of(-1, 0.75), mode: this.t % 3, load: Float32Array.of(this.t) };
    return { observation, reward: 0, terminated: false, truncated: false, info: {} };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Mean and variance Gymnasium's RunningMeanStd should hold after seeing `samples`: the prior
 * (mean 0, variance 1, weight `prior`) merged with the samples as one batch by Chan et al.'s
 * parallel formula, computed here from a two-pass mean and sum of squares.
 */
function expectedStats(samples: number[], prior = 1e-4): { mean: number; var: number; count: number } {
  const n = samples.length;
  const batchMean = samples.reduce((a, b) => a + b, 0) / n;
  const batchM2 = samples.reduce((a, x) => a + (x - batchMean) ** 2, 0);
  const count = prior + n;
  const delta = batchMean - 0;
  const mean = 0 + (delta * n) / count;
  const m2 = 1 * prior + batchM2 + (delta * delta * prior * n) / count;
  return { mean, var: m2 / count, count };
}

/** Two-pass mean and population variance, no prior. */
function plainStats(samples: number[]): { mean: number; var: number } {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { mean, var: samples.reduce((a, x) => a + (x - mean) ** 2, 0) / samples.length };
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: got ${actual}, expected ${expected} ± ${tolerance}`);
}

// ---------------------------------------------------------------------------------------------
// OrderEnforcing

test('OrderEnforcing: step before reset throws an error that says to call reset', () => {
  const env = new OrderEnforcing(new ScriptedEnv([1]));
  assert.throws(() => env.step(0), (err: unknown) => err instanceof Error && /call env\.reset\(\)/.test(err.message));
  assert.deepEqual((env.unwrapped as ScriptedEnv).actions, [], 'the inner env never saw the step');

  env.reset({ seed: 1 });
  assert.equal(env.step(1).reward, 1);

  // make() applies it too.
  assert.throws(() => make('CartPole-v1').step(0), /before reset\(\).*call env\.reset\(\)/);
});

// ---------------------------------------------------------------------------------------------
// TimeLimit

test('TimeLimit: truncates at exactly N steps, leaves terminated alone, restarts on reset', () => {
  // Episode 0 terminates on its own after 2 steps; the later ones would last 100.
  const env = new TimeLimit(new ScriptedEnv([1], [2, 100, 100]), 3);
  const flags = (r: StepResult<unknown>) => [r.terminated, r.truncated];

  env.reset();
  assert.deepEqual(flags(env.step(0)), [false, false]);
  assert.deepEqual(flags(env.step(0)), [true, false], 'a termination before the limit is not a truncation');

  env.reset();
  assert.equal(env.elapsedSteps, 0);
  assert.deepEqual(flags(env.step(0)), [false, false]);
  assert.deepEqual(flags(env.step(0)), [false, false]);
  assert.equal(env.elapsedSteps, 2);
  const third = env.step(0);
  assert.deepEqual(flags(third), [false, true]);
  assert.deepEqual(Array.from(third.observation), [3, -3, 1.5], 'the observation passes through');

  // The counter restarts with the episode.
  env.reset();
  assert.equal(env.elapsedSteps, 0);
  assert.deepEqual(flags(env.step(0)), [false, false]);
  assert.deepEqual(flags(env.step(0)), [false, false]);
  assert.deepEqual(flags(env.step(0)), [false, true]);
});

test('TimeLimit: an episode that terminates at the limit is both terminated and truncated', () => {
  const env = new TimeLimit(new ScriptedEnv([1], [2]), 2);
  env.reset();
  env.step(0);
  const last = env.step(0);
  assert.equal(last.terminated, true);
  assert.equal(last.truncated, true);
});

test('TimeLimit: the limit must be a positive integer', () => {
  for (const bad of [0, -3, 1.5, Number.NaN]) {
    assert.throws(() => new TimeLimit(new ScriptedEnv([1]), bad), { name: 'RangeError', message: /maxEpisodeSteps/ });
  }
});

// ---------------------------------------------------------------------------------------------
// RecordEpisodeStatistics

test('RecordEpisodeStatistics: info.episode = { r, l, t } at the end of each episode only', () => {
  // Episodes of 3, 1 and 2 steps with rewards 1+2+3, 0.5 and −1+4.
  const env = new RecordEpisodeStatistics(new ScriptedEnv([1, 2, 3, 0.5, -1, 4], [3, 1, 2]), 2);
  const expected = [{ r: 6, l: 3 }, { r: 0.5, l: 1 }, { r: 3, l: 2 }];

  for (const { r, l } of expected) {
    env.reset();
    let result: StepResult<Float32Array>;
    let steps = 0;
    do {
      result = env.step(0);
      steps += 1;
      if (steps < l) assert.equal('episode' in result.info, false, `no statistics mid-episode (step ${steps})`);
    } while (!result.terminated && !result.truncated);

    const episode = result.info.episode as EpisodeStatistics;
    assert.equal(episode.r, r);
    assert.equal(episode.l, l);
    assert.ok(episode.t >= 0 && Number.isFinite(episode.t));
    assert.equal(result.info.t, l, "the inner env's own info is kept");
  }

  assert.equal(env.episodeCount, 3);
  // bufferLength 2: the queues hold the last two episodes, oldest first.
  assert.deepEqual(env.returnQueue, [0.5, 3]);
  assert.deepEqual(env.lengthQueue, [1, 2]);
  assert.equal(env.timeQueue.length, 2);
});

test('RecordEpisodeStatistics: a truncation by TimeLimit also ends the episode', () => {
  const env = new RecordEpisodeStatistics(new TimeLimit(new ScriptedEnv([2.5]), 4));
  env.reset();
  const infos: Info[] = [];
  for (let i = 0; i < 4; i++) infos.push(env.step(0).info);
  assert.deepEqual(infos.map((info) => 'episode' in info), [false, false, false, true]);
  const episode = infos[3].episode as EpisodeStatistics;
  assert.equal(episode.r, 10);
  assert.equal(episode.l, 4);
  assert.equal(env.bufferLength, 100, 'the default buffer, as Gymnasium');
});

// ---------------------------------------------------------------------------------------------
// RunningMeanStd

test('RunningMeanStd: three samples merged with the (mean 0, var 1, count 1e-4) prior', () => {
  const rms = new RunningMeanStd(2);
  assert.deepEqual(Array.from(rms.mean), [0, 0]);
  assert.deepEqual(Array.from(rms.var), [1, 1]);
  assert.equal(rms.count, 1e-4);

  // One sample x: mean = x / 1.0001, var = (1·1e-4 + x²·1e-4 / 1.0001) / 1.0001.
  rms.update([1, 10]);
  assertClose(rms.mean[0], 1 / 1.0001, 1e-15, 'mean[0] after one sample');
  assertClose(rms.var[0], (1e-4 + 1e-4 / 1.0001) / 1.0001, 1e-15, 'var[0] after one sample');
  assertClose(rms.var[1], (1e-4 + (100 * 1e-4) / 1.0001) / 1.0001, 1e-15, 'var[1] after one sample');

  rms.update([2, 20]);
  rms.update([4, -30]);
  // Sequential updates equal one merge of the prior with the batch {1, 2, 4} (resp. {10, 20, −30}).
  for (const [i, samples] of [[1, 2, 4], [10, 20, -30]].entries()) {
    const e = expectedStats(samples);
    assertClose(rms.mean[i], e.mean, 1e-12, `mean[${i}]`);
    assertClose(rms.var[i], e.var, 1e-12 * e.var, `var[${i}]`);
  }
  assertClose(rms.count, 3.0001, 1e-12, 'count');
  // Without the prior: mean 7/3 and variance 14/9; the prior pulls both slightly toward (0, 1).
  assertClose(rms.mean[0], 7 / 3, 1e-3, 'mean[0] ≈ 7/3');
  assertClose(rms.var[0], 14 / 9, 1e-3, 'var[0] ≈ 14/9');
});

test('RunningMeanStd: toJSON / fromJSON round-trips, and the copy goes on updating identically', () => {
  const rms = new RunningMeanStd(3);
  rms.update([1, -2, 0.5]);
  rms.update([3, 4, -1.5]);

  const state = JSON.parse(JSON.stringify(rms));
  assert.deepEqual(state, rms.toJSON());
  const copy = RunningMeanStd.fromJSON(state);
  assert.deepEqual(Array.from(copy.mean), Array.from(rms.mean));
  assert.deepEqual(Array.from(copy.var), Array.from(rms.var));
  assert.equal(copy.count, rms.count);

  rms.update([7, 7, 7]);
  copy.update([7, 7, 7]);
  assert.deepEqual(copy.toJSON(), rms.toJSON());
});

// ---------------------------------------------------------------------------------------------
// NormalizeObservation

test('NormalizeObservation: running statistics match a two-pass computation over 1000 observations', () => {
  const rng = new Rng(2024, 'observations');
  const observations = Array.from({ length: 1010 }, () => Float32Array.of(rng.normal(1, 0.5), rng.normal(-2, 2), rng.uniform(3, 7)));
  const env = new NormalizeObservation(new ReplayEnv(observations));
  assert.ok(env.observationSpace.isBounded('below') === false && env.observationSpace.shape[0] === 3);

  // Each returned observation is normalised with the statistics *after* folding it in.
  const check = (out: Float32Array, obs: Float32Array) => {
    for (let i = 0; i < 3; i++) {
      assert.equal(out[i], Math.fround((obs[i] - env.obsRms.mean[i]) / Math.sqrt(env.obsRms.var[i] + 1e-8)));
    }
  };
  check(env.reset().observation, observations[0]);
  // After one observation x the mean is x / 1.0001, so the first output is almost 0.
  assertClose(env.obsRms.mean[0], observations[0][0] / 1.0001, 1e-12, 'mean after the first observation');
  for (let k = 1; k < 1000; k++) check(env.step(0).observation, observations[k]);
  assert.equal(env.obsRms.count, 1000 + 1e-4);

  for (let i = 0; i < 3; i++) {
    const column = observations.slice(0, 1000).map((o) => o[i]);
    const plain = plainStats(column);
    // The prior's weight is 1e-4 against 1000 samples: it moves the moments by about 1e-7·(mean² + var + 1).
    assertClose(env.obsRms.mean[i], plain.mean, 1e-5, `mean[${i}] vs two-pass`);
    assertClose(env.obsRms.var[i], plain.var, 1e-5, `var[${i}] vs two-pass`);
    // Merged with the prior as one batch, the match is exact up to rounding.
    const e = expectedStats(column);
    assertClose(env.obsRms.mean[i], e.mean, 1e-10, `mean[${i}] vs prior + batch`);
    assertClose(env.obsRms.var[i], e.var, 1e-10, `var[${i}] vs prior + batch`);
  }
  // The data were drawn with means (1, −2, 5) and variances (0.25, 4, 16/12).
  assertClose(env.obsRms.mean[2], 5, 0.1, 'mean of Uniform(3, 7)');

  // Frozen: the statistics stay put and keep normalising new observations.
  env.updateRunningMean = false;
  const frozen = env.obsRms.toJSON();
  for (let k = 1000; k < 1010; k++) check(env.step(0).observation, observations[k]);
  assert.deepEqual(env.obsRms.toJSON(), frozen);
});

test('NormalizeObservation: needs a Box observation space', () => {
  assert.throws(() => new NormalizeObservation(new SensorEnv() as unknown as Env<Float32Array, number>), { name: 'TypeError', message: /Box observation space/ });
});

// ---------------------------------------------------------------------------------------------
// NormalizeReward

test('NormalizeReward: divides each reward by the std of the discounted return, reset on termination', () => {
  // Episodes of 3 steps; rewards 1…6 over two episodes.
  const env = new NormalizeReward(new ScriptedEnv([1, 2, 3, 4, 5, 6], [3]), 0.9);
  // Gymnasium's accumulator: G ← G·γ·(1 − terminated) + r, so a terminal step's G is its reward
  // alone, and that G carries into the next episode (reset() does not clear it).
  const returns = [
    1, //                 1
    0.9 * 1 + 2, //       2.9
    3, //                 terminated: 2.9·0.9·0 + 3
    0.9 * 3 + 4, //       6.7
    0.9 * 6.7 + 5, //     11.03
    6, //                 terminated
  ];
  const rewards = [1, 2, 3, 4, 5, 6];

  env.reset();
  for (let k = 0; k < 6; k++) {
    if (k === 3) env.reset();
    const result = env.step(0);
    assert.equal(result.terminated, k === 2 || k === 5);
    const e = expectedStats(returns.slice(0, k + 1));
    assertClose(env.returnRms.mean[0], e.mean, 1e-12, `mean of returns after step ${k + 1}`);
    assertClose(env.returnRms.var[0], e.var, 1e-12, `var of returns after step ${k + 1}`);
    assertClose(result.reward, rewards[k] / Math.sqrt(e.var + 1e-8), 1e-12, `scaled reward at step ${k + 1}`);
  }
  // By hand for step 1: G = 1, var = (1e-4 + 1e-4/1.0001) / 1.0001 ≈ 2e-4, so the reward 1 becomes ≈ 70.7.
  assertClose(1 / Math.sqrt(expectedStats([1]).var + 1e-8), 70.71, 0.01, 'step-1 scale');

  // Frozen statistics: rewards are scaled by the last variance, which no longer moves.
  env.updateRunningMean = false;
  const frozen = env.returnRms.toJSON();
  env.reset();
  const r = env.step(0).reward; // the 7th reward of the script is 1 again
  assert.equal(r, 1 / Math.sqrt(frozen.var[0] + 1e-8));
  assert.deepEqual(env.returnRms.toJSON(), frozen);
});

test('NormalizeReward: a truncation does not reset the discounted return', () => {
  const env = new NormalizeReward(new TimeLimit(new ScriptedEnv([1]), 2), 0.5);
  env.reset();
  env.step(0); // G = 1
  assert.equal(env.step(0).truncated, true); // G = 1.5
  env.reset();
  env.step(0); // G = 1.75, not 1
  const e = expectedStats([1, 1.5, 1.75]);
  assertClose(env.returnRms.mean[0], e.mean, 1e-12, 'mean of returns');
  assertClose(env.returnRms.var[0], e.var, 1e-12, 'var of returns');
  assert.throws(() => new NormalizeReward(new ScriptedEnv([1]), 1.5), RangeError);
});

// ---------------------------------------------------------------------------------------------
// FlattenObservation

test('FlattenObservation: a Dict observation becomes one flat Float32Array, Discrete parts one-hot', () => {
  const env = new FlattenObservation(new SensorEnv());
  // Keys are taken in sorted order: load (1), mode (3, one-hot), position (2).
  const space = env.observationSpace;
  assert.ok(space instanceof Box);
  assert.deepEqual(space.shape, [6]);
  assert.equal(space.dtype, 'float32');
  assert.deepEqual(Array.from(space.low), [0, 0, 0, 0, -1, -1]);
  assert.deepEqual(Array.from(space.high), [10, 1, 1, 1, 1, 1]);

  const { observation } = env.reset();
  assert.ok(observation instanceof Float32Array);
  // { position: [0.25, −0.5], mode: 2, load: [7] }
  assert.deepEqual(Array.from(observation), [7, 0, 0, 1, 0.25, -0.5]);
  assert.ok(space.contains(observation));

  // Step 1: { position: [−1, 0.75], mode: 1, load: [1] }; step 3: mode 0, load 3.
  assert.deepEqual(Array.from(env.step(0).observation), [1, 0, 1, 0, -1, 0.75]);
  env.step(0);
  assert.deepEqual(Array.from(env.step(0).observation), [3, 1, 0, 0, -1, 0.75]);
  assert.ok(env.actionSpace instanceof Discrete, 'the action space passes through');
});

// ---------------------------------------------------------------------------------------------
// ClipAction

test('ClipAction: clips actions into the inner Box before the env sees them', () => {
  const inner = new ArmEnv();
  const env = new ClipAction(inner);
  env.reset();
  env.step([3, -2]); // both outside: → [1, 0]
  env.step(Float32Array.of(0.5, 2.5)); // inside: unchanged
  env.step([-7, 9]); // → [−1, 5]
  assert.deepEqual(inner.received, [[1, 0], [0.5, 2.5], [-1, 5]]);

  // The agent is told it may send any real vector of the same shape and dtype.
  const space = env.actionSpace;
  assert.deepEqual(Array.from(space.low), [-Infinity, -Infinity]);
  assert.deepEqual(Array.from(space.high), [Infinity, Infinity]);
  assert.deepEqual(space.shape, [2]);
  assert.equal(space.dtype, 'float32');
  assert.equal(space.isBounded(), false);
  assert.deepEqual(Array.from(inner.actionSpace.high), [1, 5], "the inner env's space is unchanged");

  assert.throws(() => env.step([0.5]), { name: 'RangeError', message: /1 elements.*needs 2/ });
  assert.throws(() => new ClipAction(new ScriptedEnv([1]) as unknown as Env<Float32Array, Float32Array>), { name: 'TypeError', message: /Box action space/ });
});

// ---------------------------------------------------------------------------------------------
// TransformReward and TransformObservation

test('TransformReward applies its function to every reward', () => {
  const env = new TransformReward(new ScriptedEnv([1, -2, 0.5]), (r) => 2 * r - 1);
  env.reset();
  assert.deepEqual([env.step(0).reward, env.step(0).reward, env.step(0).reward], [1, -5, 0]);
});

test('TransformObservation applies its function to reset and step observations and reports the new space', () => {
  const sumSpace = new Box(-Infinity, Infinity, [1], 'float32');
  const env = new TransformObservation(new ScriptedEnv([1]), (obs: Float32Array) => Float32Array.of(obs[0] + obs[1] + 10 * obs[2]), sumSpace);
  assert.equal(env.observationSpace, sumSpace);
  assert.deepEqual(Array.from(env.reset().observation), [0]);
  const step = env.step(0); // [1, −1, 0.5] → 1 − 1 + 5
  assert.deepEqual(Array.from(step.observation), [5]);
  assert.equal(step.reward, 1, 'the rest of the step passes through');
  assert.deepEqual(Array.from(env.step(0).observation), [10]);
});

// ---------------------------------------------------------------------------------------------
// Wrapper

test('Wrapper: unwrapped, spaces, rng and metadata pass through a stack of wrappers', () => {
  const inner = new ScriptedEnv([1]);
  inner.metadata = { renderModes: ['ansi'] };
  const env = new RecordEpisodeStatistics(new TimeLimit(new OrderEnforcing(inner), 10));
  assert.equal(env.unwrapped, inner);
  assert.equal(inner.unwrapped, inner);
  assert.equal(env.observationSpace, inner.observationSpace);
  assert.equal(env.actionSpace, inner.actionSpace);
  assert.equal(env.metadata, inner.metadata);

  env.reset({ seed: 3 });
  assert.equal(env.rng, inner.rng, 'one generator, owned by the innermost env');
  assert.equal(env.rng.seed, 3);
  assert.equal(String(env), '<RecordEpisodeStatistics<TimeLimit<OrderEnforcing<ScriptedEnv>>>>');
  assert.throws(() => new Wrapper({} as Env), { name: 'TypeError', message: /expected an Env/ });
});

test('Wrapper: findWrapper finds a wrapper by class in a make()d env', () => {
  const env = make('CartPole-v1', {}, { maxEpisodeSteps: 20 }) as Wrapper;
  const limit = env.findWrapper(TimeLimit);
  assert.ok(limit instanceof TimeLimit);
  assert.equal(limit.maxEpisodeSteps, 20);
  assert.ok(env.findWrapper(OrderEnforcing) instanceof OrderEnforcing);
  assert.equal(env.findWrapper(NormalizeReward), null);

  const stats = new RecordEpisodeStatistics(env);
  assert.equal(stats.findWrapper(RecordEpisodeStatistics), stats, 'the search starts with the wrapper itself');
  assert.equal(stats.findWrapper(TimeLimit), limit);
});

test('Wrapper: close() reaches the innermost env', () => {
  const inner = new ScriptedEnv([1]);
  const env = new NormalizeReward(new TransformReward(new TimeLimit(inner, 5), (r) => r));
  env.close();
  assert.equal(inner.closeCount, 1);
  env.close();
  assert.equal(inner.closeCount, 2);
});
