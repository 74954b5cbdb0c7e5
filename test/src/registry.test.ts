// Tests of the env registry: registering an env as data, building it with `make` (kwargs merged
// over the spec's, OrderEnforcing and TimeLimit applied), and the errors a user sees.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import '../../envs/index.js'; // registers CartPole-v1
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../../src/env.js';
import { type EnvRegistration, type Kwargs, make, register, registry, spec, unregister } from '../../src/registry.js';
import { Box } from '../../src/spaces/box.js';
import { Discrete } from '../../src/spaces/discrete.js';
import { OrderEnforcing } from '../../src/wrappers/order-enforcing.js';
import { TimeLimit } from '../../src/wrappers/time-limit.js';

/**
 * Observes [t, 0, 0] at step t, earns 1 per step and terminates after `horizon` steps (kwarg,
 * default 1000). Keeps the kwargs it was built with so tests can see what `make` passed.
 */
class CounterEnv extends Env<Float32Array, number> {
  readonly observationSpace = new Box(0, Infinity, [3], 'float32');
  readonly actionSpace = new Discrete(2);
  readonly kwargs: Kwargs;
  private readonly horizon: number;
  private t = 0;

  constructor(kwargs: Kwargs) {
    super();
    this.kwargs = kwargs;
    this.horizon = typeof kwargs.horizon === 'number' ? kwargs.horizon : 1000;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.t = 0;
    return { observation: Float32Array.of(0, 0, 0), info: {} };
  }

  step(_action: number): StepResult<Float32Array> {
    this.t += 1;
    return { observation: Float32Array.of(this.t, 0, 0), reward: 1, terminated: this.t >= this.horizon, truncated: false, info: {} };
  }
}

/** Registers `registration` for the duration of one test, then removes it. */
function registerForTest(t: { after: (fn: () => void) => void }, registration: Omit<EnvRegistration, 'entryPoint'>): void {
  register({ entryPoint: (kwargs) => new CounterEnv(kwargs), ...registration });
  t.after(() => unregister(registration.id));
}

/** Steps `env` with action 0 `n` times after a reset and returns each step's flags. */
function runSteps(env: Env<unknown, unknown>, n: number): { terminated: boolean; truncated: boolean }[] {
  env.reset({ seed: 0 });
  const flags = [];
  for (let i = 0; i < n; i++) {
    const { terminated, truncated } = env.step(0);
    flags.push({ terminated, truncated });
  }
  return flags;
}

test('register parses namespace, name and version from the id and fills in defaults', (t) => {
  const entryPoint = (kwargs: Kwargs) => new CounterEnv(kwargs);
  const s = register({ id: 'RegTestNs/Parsed-v3', entryPoint, maxEpisodeSteps: 7, rewardThreshold: 6.5, kwargs: { horizon: 9 } });
  t.after(() => unregister('RegTestNs/Parsed-v3'));

  assert.equal(s.id, 'RegTestNs/Parsed-v3');
  assert.equal(s.namespace, 'RegTestNs');
  assert.equal(s.name, 'Parsed');
  assert.equal(s.version, 3);
  assert.equal(s.entryPoint, entryPoint);
  assert.equal(s.maxEpisodeSteps, 7);
  assert.equal(s.rewardThreshold, 6.5);
  assert.equal(s.nondeterministic, false);
  assert.equal(s.orderEnforce, true);
  assert.equal(s.vectorEntryPoint, null);
  assert.equal(s.module, null);
  assert.deepEqual(s.kwargs, { horizon: 9 });
  assert.ok(Object.isFrozen(s) && Object.isFrozen(s.kwargs), 'specs are immutable data');
  assert.equal(registry.get('RegTestNs/Parsed-v3'), s);
  assert.equal(spec('RegTestNs/Parsed-v3'), s);

  // Namespace and version are both optional.
  registerForTest(t, { id: 'RegTestPlain' });
  const plain = spec('RegTestPlain');
  assert.equal(plain.namespace, null);
  assert.equal(plain.name, 'RegTestPlain');
  assert.equal(plain.version, null);
  assert.equal(plain.maxEpisodeSteps, null);
  assert.equal(plain.rewardThreshold, null);
  assert.deepEqual(plain.kwargs, {});
});

test('make merges its kwargs over the spec kwargs and records them in env.spec', (t) => {
  registerForTest(t, { id: 'RegTest/Merged-v0', kwargs: { horizon: 100, label: 'from spec', size: 3 } });

  const env = make('RegTest/Merged-v0', { label: 'from make', extra: 7 });
  const inner = env.unwrapped as CounterEnv;
  assert.ok(inner instanceof CounterEnv);
  const merged = { horizon: 100, label: 'from make', size: 3, extra: 7 };
  assert.deepEqual(inner.kwargs, merged);
  assert.deepEqual(env.spec?.kwargs, merged);
  assert.deepEqual(inner.spec?.kwargs, merged);
  assert.equal(env.spec?.id, 'RegTest/Merged-v0');
  // The registered spec keeps its own defaults.
  assert.deepEqual(spec('RegTest/Merged-v0').kwargs, { horizon: 100, label: 'from spec', size: 3 });

  // Without kwargs the env gets exactly the spec's.
  assert.deepEqual((make('RegTest/Merged-v0').unwrapped as CounterEnv).kwargs, { horizon: 100, label: 'from spec', size: 3 });
});

test('make wraps the env in OrderEnforcing, then TimeLimit at the spec step limit', (t) => {
  registerForTest(t, { id: 'RegTest/Limited-v0', maxEpisodeSteps: 5 });

  const env = make('RegTest/Limited-v0');
  assert.ok(env instanceof TimeLimit);
  assert.equal(env.maxEpisodeSteps, 5);
  assert.ok(env.env instanceof OrderEnforcing);
  assert.ok(env.env.env instanceof CounterEnv);
  assert.equal(env.spec?.maxEpisodeSteps, 5);

  // Truncated exactly at step 5, never terminated (the env's own horizon is 1000).
  assert.deepEqual(runSteps(env, 5), [
    { terminated: false, truncated: false },
    { terminated: false, truncated: false },
    { terminated: false, truncated: false },
    { terminated: false, truncated: false },
    { terminated: false, truncated: true },
  ]);
});

test('make options override the step limit, and 0 removes it', (t) => {
  registerForTest(t, { id: 'RegTest/Override-v0', maxEpisodeSteps: 5 });

  const shorter = make('RegTest/Override-v0', {}, { maxEpisodeSteps: 3 });
  assert.equal((shorter as TimeLimit<unknown, unknown>).maxEpisodeSteps, 3);
  assert.equal(shorter.spec?.maxEpisodeSteps, 3);
  assert.deepEqual(runSteps(shorter, 3).map((f) => f.truncated), [false, false, true]);

  const unlimited = make('RegTest/Override-v0', {}, { maxEpisodeSteps: 0 });
  assert.ok(unlimited instanceof OrderEnforcing, 'only OrderEnforcing is left');
  assert.equal(unlimited.findWrapper(TimeLimit), null);
  assert.equal(unlimited.spec?.maxEpisodeSteps, null);
  assert.ok(runSteps(unlimited, 50).every((f) => !f.truncated && !f.terminated));
  // The registered spec is untouched by either override.
  assert.equal(spec('RegTest/Override-v0').maxEpisodeSteps, 5);

  // A spec without a limit gets one only when make asks for it.
  registerForTest(t, { id: 'RegTest/NoLimit-v0' });
  assert.ok(make('RegTest/NoLimit-v0') instanceof OrderEnforcing);
  assert.deepEqual(runSteps(make('RegTest/NoLimit-v0', {}, { maxEpisodeSteps: 2 }), 2).map((f) => f.truncated), [false, true]);
});

test('orderEnforce: false leaves the env unwrapped when there is no step limit', (t) => {
  registerForTest(t, { id: 'RegTest/Loose-v0', orderEnforce: false });
  const env = make('RegTest/Loose-v0');
  assert.ok(env instanceof CounterEnv);
  assert.equal(env.step(0).reward, 1, 'stepping before reset is allowed without OrderEnforcing');
});

test('a terminating env is not truncated by a longer limit', (t) => {
  registerForTest(t, { id: 'RegTest/Short-v0', maxEpisodeSteps: 10, kwargs: { horizon: 2 } });
  assert.deepEqual(runSteps(make('RegTest/Short-v0'), 2), [
    { terminated: false, truncated: false },
    { terminated: true, truncated: false },
  ]);
});

test('registering an id twice throws and keeps the first registration', (t) => {
  registerForTest(t, { id: 'RegTest/Twice-v0', kwargs: { horizon: 1 } });
  assert.throws(
    () => register({ id: 'RegTest/Twice-v0', entryPoint: (kwargs) => new CounterEnv(kwargs) }),
    { message: /RegTest\/Twice-v0 is already registered/ },
  );
  assert.deepEqual(spec('RegTest/Twice-v0').kwargs, { horizon: 1 });
});

test('malformed ids and bad registrations throw', () => {
  const entryPoint = (kwargs: Kwargs) => new CounterEnv(kwargs);
  for (const id of ['', 'a/b/c', 'has space-v1', 'Bad!-v1', '/NoNamespace-v0', 'Name-v1/']) {
    assert.throws(() => register({ id, entryPoint }), { name: 'TypeError', message: /malformed env id/ }, `id ${JSON.stringify(id)}`);
    assert.equal(registry.has(id), false);
  }
  assert.throws(
    () => register({ id: 'RegTest/NoEntry-v0', entryPoint: 'not a function' as unknown as EnvRegistration['entryPoint'] }),
    { name: 'TypeError', message: /entryPoint must be a function/ },
  );
  for (const maxEpisodeSteps of [0, -1, 2.5]) {
    assert.throws(() => register({ id: 'RegTest/BadLimit-v0', entryPoint, maxEpisodeSteps }), { name: 'RangeError', message: /maxEpisodeSteps/ });
  }
  assert.equal(registry.has('RegTest/NoEntry-v0') || registry.has('RegTest/BadLimit-v0'), false);
});

test('an unknown id names the closest registered ids', () => {
  assert.throws(() => make('CartPole-v0'), { message: /No env registered with id "CartPole-v0"\. Did you mean "CartPole-v1"/ });
  assert.throws(() => make('cartpole-v1'), { message: /Did you mean "CartPole-v1"/ });
  assert.throws(() => spec('CartPol-v1'), { message: /Did you mean "CartPole-v1"/ });
  // Nothing registered is near this one, so the error gives no suggestion.
  assert.throws(
    () => spec('SomethingCompletelyDifferent-v9'),
    (err: unknown) => err instanceof Error && err.message.includes('"SomethingCompletelyDifferent-v9"') && !err.message.includes('Did you mean'),
  );
});

test('unregister removes an id, and reports whether it was there', () => {
  register({ id: 'RegTest/Gone-v0', entryPoint: (kwargs) => new CounterEnv(kwargs) });
  assert.ok(registry.has('RegTest/Gone-v0'));
  assert.equal(unregister('RegTest/Gone-v0'), true);
  assert.equal(registry.has('RegTest/Gone-v0'), false);
  assert.throws(() => make('RegTest/Gone-v0'), { message: /No env registered with id "RegTest\/Gone-v0"/ });
  assert.equal(unregister('RegTest/Gone-v0'), false);
  // The id is free to be registered again.
  register({ id: 'RegTest/Gone-v0', entryPoint: (kwargs) => new CounterEnv(kwargs) });
  assert.equal(unregister('RegTest/Gone-v0'), true);
});

test('an entry point that returns something other than an Env is an error', (t) => {
  register({ id: 'RegTest/NotAnEnv-v0', entryPoint: () => ({}) as unknown as Env<unknown, unknown> });
  t.after(() => unregister('RegTest/NotAnEnv-v0'));
  assert.throws(() => make('RegTest/NotAnEnv-v0'), { name: 'TypeError', message: /not an Env/ });
});

test('make("CartPole-v1") builds the built-in env with its 500-step limit', () => {
  const env = make('CartPole-v1');
  assert.ok(env instanceof TimeLimit);
  assert.equal(env.maxEpisodeSteps, 500);
  assert.equal(env.spec?.id, 'CartPole-v1');
  assert.equal(env.spec?.rewardThreshold, 475);
  assert.equal(env.unwrapped.constructor.name, 'CartPoleEnv');
  const { observation } = env.reset({ seed: 42 });
  assert.ok(env.observationSpace.contains(observation));
  env.close();
});
