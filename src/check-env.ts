// checkEnv: checks an env against the Env contract (Gymnasium's check_env) and says what is
// wrong in plain words. Hard failures throw an EnvCheckError listing them all; softer findings
// (things that work but will hurt an agent) are returned.

import { Env, type Info, type ResetResult, type StepResult } from './env.js';
import { Box } from './spaces/box.js';
import { Discrete } from './spaces/discrete.js';
import { MultiDiscrete } from './spaces/multi-discrete.js';
import { Space, isTypedArrayOf } from './spaces/space.js';

/** Thrown by checkEnv when the env breaks the contract; `failures` lists every breach. */
export class EnvCheckError extends Error {
  readonly failures: string[];
  readonly warnings: string[];

  constructor(failures: string[], warnings: string[]) {
    super(`checkEnv found ${failures.length} problem${failures.length === 1 ? '' : 's'}:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    this.name = 'EnvCheckError';
    this.failures = failures;
    this.warnings = warnings;
  }
}

/** Options of checkEnv. */
export interface CheckEnvOptions {
  /** Steps taken for the step and determinism checks (default 100). */
  steps?: number;
  /** Seed for resets and for the action space's draws (default 123). */
  seed?: number;
  /** Called as each check starts (0-based `index` of `total`), e.g. to show progress on a slow env. */
  onStage?: (name: string, index: number, total: number) => void;
}

class Findings {
  readonly failures: string[] = [];
  readonly warnings: string[] = [];
  private readonly seen = new Set<string>();
  /** Records a failure once: the same problem on later calls (step 1, 2, …) is not repeated. */
  fail(message: string): void {
    const problem = message.replace(/^(?:reset|step)\(.*? returned /, '');
    if (this.seen.has(problem)) return;
    this.seen.add(problem);
    this.failures.push(message);
  }
  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }
}

/** Stops a check early once a hard failure makes the rest meaningless. */
class Abort extends Error {}

/**
 * Checks `env` against the contract: valid spaces, `reset` and `step` return types,
 * observations in the observation space, seeded determinism of `reset` and `step`, well-formed
 * action masks, invalid actions rejected, and `close` callable twice. The env is left closed.
 * Returns the warnings; throws EnvCheckError on hard failures.
 */
export function checkEnv(env: Env<unknown, unknown>, options: CheckEnvOptions = {}): string[] {
  const steps = options.steps ?? 100;
  const seed = options.seed ?? 123;
  const f = new Findings();
  try {
    const stages: [string, () => void][] = [
      ['spaces', () => checkSpaces(env, f)],
      ['reset', () => checkReset(env, seed, f)],
      [`${steps} random steps`, () => checkSteps(env, seed, steps, f)],
      ['determinism under a seed', () => checkDeterminism(env, seed, steps, f)],
      ['invalid actions', () => checkInvalidAction(env, seed, f)],
    ];
    for (const [i, [name, check]] of stages.entries()) {
      options.onStage?.(name, i, stages.length);
      check();
    }
  } catch (err) {
    if (!(err instanceof Abort)) f.fail(`the env threw: ${(err as Error).message ?? String(err)}`);
  }
  checkClose(env, f);
  if (f.failures.length > 0) throw new EnvCheckError(f.failures, f.warnings);
  return f.warnings;
}

function checkSpaces(env: Env<unknown, unknown>, f: Findings): void {
  if (typeof env?.reset !== 'function' || typeof env?.step !== 'function') {
    f.fail('the env has no reset() or step() method; extend Env');
    throw new Abort();
  }
  for (const [name, space] of [['observationSpace', env.observationSpace], ['actionSpace', env.actionSpace]] as const) {
    if (!(space instanceof Space)) {
      f.fail(`${name} is ${String(space)}, not a Space (Box, Discrete, MultiDiscrete, MultiBinary, Dict or Tuple)`);
    }
  }
  if (f.failures.length > 0) throw new Abort();
  const obs = env.observationSpace;
  if (obs instanceof Box && obs.dtype === 'float64') f.warn('the observation Box is float64; agents train in float32, so declare float32 unless the precision matters');
  const act = env.actionSpace;
  if (act instanceof Box) {
    let normalized = true;
    for (let i = 0; i < act.size; i++) if (act.low[i] !== -1 || act.high[i] !== 1) normalized = false;
    if (!normalized) f.warn(`the action Box is not [-1, 1] (${act}); PPO and A2C sample near 0 with unit spread, so rescale actions to [-1, 1]`);
  }
  if (!Array.isArray(env.metadata?.renderModes)) f.warn('metadata.renderModes should be an array of the render modes the env supports');
}

function checkReset(env: Env<unknown, unknown>, seed: number, f: Findings): void {
  const first = checkResetResult(env.reset({ seed }), env, f, 'reset({ seed })');
  const again = checkResetResult(env.reset({ seed }), env, f, 'reset({ seed }) again');
  if (!sameValue(env.observationSpace, first.observation, again.observation)) {
    f.fail(`reset({ seed: ${seed} }) twice gave different observations: seed the env's generator in reset (call this.seedRng(args.seed)) and draw only from this.rng`);
  }
  const unwrapped = env.unwrapped;
  if (unwrapped.rng.seed !== seed) f.warn(`after reset({ seed: ${seed} }) the env's rng has seed ${unwrapped.rng.seed}; call this.seedRng(args.seed) in reset`);
  checkResetResult(env.reset({ seed, options: {} }), env, f, 'reset({ seed, options: {} })');
  checkResetResult(env.reset(), env, f, 'reset() without a seed');
}

function checkResetResult(result: ResetResult<unknown>, env: Env<unknown, unknown>, f: Findings, call: string): ResetResult<unknown> {
  if (typeof result !== 'object' || result === null || !('observation' in result)) {
    f.fail(`${call} returned ${describe(result)}, not { observation, info }`);
    throw new Abort();
  }
  if (!isPlainObject(result.info)) f.fail(`${call} returned info ${describe(result.info)}; info must be a plain object`);
  checkObservation(env, result.observation, f, call);
  if (isPlainObject(result.info)) checkMask(env, result.info, f, call);
  return result;
}

function checkObservation(env: Env<unknown, unknown>, obs: unknown, f: Findings, call: string): void {
  const space = env.observationSpace;
  if (!space.contains(obs)) {
    f.fail(`${call} returned an observation that is not in ${space}: ${describe(obs)}`);
    throw new Abort();
  }
  if (space.dtype !== null && space.shape !== null && space.shape.length > 0 && !isTypedArrayOf(obs, space.dtype)) {
    f.warn(`${call} returned the observation as ${typeName(obs)}; ${space} declares ${space.dtype}, so return a ${space.dtype} typed array`);
  }
}

function checkMask(env: Env<unknown, unknown>, info: Info, f: Findings, call: string, episodeOver = false): void {
  if (!('actionMask' in info)) return;
  const mask = info.actionMask;
  const space = env.actionSpace;
  const expected = space instanceof Discrete ? space.n : space instanceof MultiDiscrete ? space.flatDim : null;
  if (expected === null) {
    f.fail(`${call} returned info.actionMask, but masks apply to Discrete and MultiDiscrete action spaces, not ${space}`);
    return;
  }
  if (!(mask instanceof Uint8Array)) {
    f.fail(`${call} returned info.actionMask as ${typeName(mask)}; it must be a Uint8Array`);
    return;
  }
  if (mask.length !== expected) f.fail(`${call} returned info.actionMask of length ${mask.length}; ${space} needs ${expected}`);
  if (mask.some((v) => v !== 0 && v !== 1)) f.fail(`${call} returned info.actionMask with values other than 0 and 1`);
  // The mask after the last step has no decision to constrain: all zeros is honest there.
  if (space instanceof Discrete && !episodeOver && !mask.includes(1)) f.fail(`${call} returned info.actionMask with no allowed action; end the episode instead`);
}

/** The next action: drawn from the (seeded) action space, honouring the mask if any. */
function nextAction(env: Env<unknown, unknown>, info: Info): unknown {
  const space = env.actionSpace;
  // A malformed mask is already reported by checkMask; draw without it rather than let the
  // space throw and have that blamed on the env.
  const raw = info.actionMask;
  const wellFormed = raw instanceof Uint8Array && raw.length === space.flatDim && raw.every((v) => v <= 1);
  const mask = wellFormed ? raw : undefined;
  if (mask !== undefined && space instanceof Discrete) return space.sample({ mask });
  if (mask !== undefined && space instanceof MultiDiscrete) return space.sample({ mask });
  return space.sample();
}

function checkStepResult(result: StepResult<unknown>, env: Env<unknown, unknown>, f: Findings, call: string): StepResult<unknown> {
  if (typeof result !== 'object' || result === null || !('observation' in result)) {
    f.fail(`${call} returned ${describe(result)}, not { observation, reward, terminated, truncated, info }`);
    throw new Abort();
  }
  if (typeof result.reward !== 'number') f.fail(`${call} returned reward ${describe(result.reward)}; it must be a number`);
  else if (!Number.isFinite(result.reward)) f.fail(`${call} returned reward ${result.reward}; rewards must be finite`);
  if (typeof result.terminated !== 'boolean') f.fail(`${call} returned terminated ${describe(result.terminated)}; it must be a boolean`);
  if (typeof result.truncated !== 'boolean') f.fail(`${call} returned truncated ${describe(result.truncated)}; it must be a boolean`);
  if (!isPlainObject(result.info)) f.fail(`${call} returned info ${describe(result.info)}; info must be a plain object`);
  checkObservation(env, result.observation, f, call);
  if (isPlainObject(result.info)) checkMask(env, result.info, f, call, result.terminated === true || result.truncated === true);
  return result;
}

function checkSteps(env: Env<unknown, unknown>, seed: number, steps: number, f: Findings): void {
  env.actionSpace.seed(seed);
  let { info } = env.reset({ seed });
  for (let t = 0; t < steps; t++) {
    const result = checkStepResult(env.step(nextAction(env, info)), env, f, `step() at step ${t}`);
    info = result.info;
    if (result.terminated || result.truncated) info = env.reset().info;
  }
}

interface Trajectory {
  observations: Float32Array[];
  rewards: number[];
  ends: string[];
}

function rollout(env: Env<unknown, unknown>, seed: number, steps: number): Trajectory {
  env.actionSpace.seed(seed);
  const space = env.observationSpace;
  const reset = env.reset({ seed });
  const trajectory: Trajectory = { observations: [space.flatten(reset.observation)], rewards: [], ends: [] };
  let info = reset.info;
  for (let t = 0; t < steps; t++) {
    const result = env.step(nextAction(env, info));
    trajectory.observations.push(space.flatten(result.observation));
    trajectory.rewards.push(result.reward);
    trajectory.ends.push(`${result.terminated}/${result.truncated}`);
    info = result.info;
    if (result.terminated || result.truncated) {
      const next = env.reset();
      trajectory.observations.push(space.flatten(next.observation));
      info = next.info;
    }
  }
  return trajectory;
}

function checkDeterminism(env: Env<unknown, unknown>, seed: number, steps: number, f: Findings): void {
  const a = rollout(env, seed, steps);
  const b = rollout(env, seed, steps);
  const differs =
    a.observations.length !== b.observations.length ||
    a.observations.some((o, i) => !sameArray(o, b.observations[i])) ||
    a.rewards.some((r, i) => !Object.is(r, b.rewards[i])) ||
    a.ends.some((e, i) => e !== b.ends[i]);
  if (!differs) return;
  const message = `the same seed and actions gave different trajectories over ${steps} steps: draw every random number from this.rng (never an unseeded global generator or the clock)`;
  if (env.spec?.nondeterministic === true) f.warn(`${message} (the spec says nondeterministic)`);
  else f.fail(message);
}

function checkInvalidAction(env: Env<unknown, unknown>, seed: number, f: Findings): void {
  const space = env.actionSpace;
  const invalid = space instanceof Discrete ? space.start + space.n : space instanceof Box ? new Float32Array(space.size + 1) : space instanceof MultiDiscrete ? Int32Array.from(space.nvec, (n, i) => space.start[i] + n) : undefined;
  if (invalid === undefined) return;
  env.reset({ seed });
  let threw = false;
  try {
    env.step(invalid);
  } catch {
    threw = true;
  }
  if (!threw) f.warn(`step(${describe(invalid)}) with an action outside ${space} was accepted silently; throw a RangeError that names the action and the space`);
}

function checkClose(env: Env<unknown, unknown>, f: Findings): void {
  try {
    env.close();
    env.close();
  } catch (err) {
    f.fail(`close() twice threw: ${(err as Error).message}; closing must be idempotent`);
  }
}

function sameValue(space: Space<unknown>, a: unknown, b: unknown): boolean {
  return space.contains(a) && space.contains(b) && sameArray(space.flatten(a), space.flatten(b));
}

function sameArray(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

function isPlainObject(x: unknown): x is Info {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return typeof x;
  return (x as object).constructor?.name ?? 'object';
}

function describe(x: unknown): string {
  if (ArrayBuffer.isView(x)) return `${typeName(x)} [${Array.from(x as unknown as ArrayLike<number>).slice(0, 8).join(', ')}]`;
  try {
    const s = JSON.stringify(x);
    if (s !== undefined) return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    /* fall through */
  }
  return String(x);
}
