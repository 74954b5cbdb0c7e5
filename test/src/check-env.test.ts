// checkEnv by example: CartPole and a small masked env pass; each broken env below breaks one
// rule of the Env contract (src/env.ts) and checkEnv names that rule in plain words.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import '../../envs/index.js';
import { checkEnv, EnvCheckError } from '../../src/check-env.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../../src/env.js';
import { make } from '../../src/registry.js';
import { Box } from '../../src/spaces/box.js';
import { Discrete } from '../../src/spaces/discrete.js';
import type { Space } from '../../src/spaces/space.js';

const LAST = 4;

/**
 * A correct env: walk along cells 0…4 to reach cell 4. Actions: 0 left, 1 stay, 2 right; the
 * mask forbids walking off either end. Observation: the cell as a float32 Box(0, 4, (1,)).
 * Reward −1 per step. The start cell (0…3) is drawn from this.rng.
 */
class LineWalkEnv extends Env<Float32Array, number> {
  readonly observationSpace: Space<Float32Array> = new Box(0, LAST, [1], 'float32');
  readonly actionSpace = new Discrete(3);
  protected cell = 0;

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.cell = this.rng.int(LAST);
    return { observation: this.observe(), info: { actionMask: this.mask() } };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) throw new RangeError(`LineWalk.step: action ${action} is not in ${this.actionSpace}`);
    if (this.mask()[action] === 0) throw new RangeError(`LineWalk.step: action ${action} is masked at cell ${this.cell}`);
    this.cell += action - 1;
    return { observation: this.observe(), reward: -1, terminated: this.cell === LAST, truncated: false, info: { actionMask: this.mask() } };
  }

  protected observe(): Float32Array {
    return Float32Array.of(this.cell);
  }

  protected mask(): Uint8Array {
    return Uint8Array.of(this.cell > 0 ? 1 : 0, 1, this.cell < LAST ? 1 : 0);
  }
}

/** Runs checkEnv on a broken env and returns its failures, asserting it threw EnvCheckError. */
function failuresOf(env: Env<unknown, unknown>): string[] {
  try {
    checkEnv(env);
  } catch (err) {
    assert.ok(err instanceof EnvCheckError, `expected an EnvCheckError, got ${String(err)}`);
    return err.failures;
  }
  return assert.fail(`checkEnv passed ${env}, which is broken`);
}

/** Asserts that one of `findings` matches `pattern`, showing them all when none does. */
function assertFinding(findings: string[], pattern: RegExp): void {
  assert.ok(findings.some((m) => pattern.test(m)), `no finding matches ${pattern}; got:\n${findings.join('\n')}`);
}

test('CartPole-v1 from make() passes with no findings', () => {
  let warnings: string[] = [];
  assert.doesNotThrow(() => {
    warnings = checkEnv(make('CartPole-v1'));
  });
  assert.deepEqual(warnings, []);
});

test('a correct masked Discrete env passes with no findings', () => {
  assert.deepEqual(checkEnv(new LineWalkEnv()), []);
});

test('checkEnv takes its seed and step count as options', () => {
  assert.deepEqual(checkEnv(new LineWalkEnv(), { seed: 7, steps: 20 }), []);
});

test('fails an observation outside the observation space', () => {
  class OffTheEndEnv extends LineWalkEnv {
    // Bug: reports the cell one past the last.
    protected override observe(): Float32Array {
      return Float32Array.of(LAST + 1);
    }
  }
  assertFinding(failuresOf(new OffTheEndEnv()), /reset\(\{ seed \}\) returned an observation that is not in Box\(0, 4, \(1,\), float32\)/);
});

test('fails a reset that ignores the seed', () => {
  class CountingStartEnv extends LineWalkEnv {
    private resets = 0;
    // Bug: never calls this.seedRng(args.seed); the start cell comes from a counter instead.
    override reset(): ResetResult<Float32Array> {
      this.cell = this.resets++ % LAST;
      return { observation: this.observe(), info: { actionMask: this.mask() } };
    }
  }
  assertFinding(failuresOf(new CountingStartEnv()), /reset\(\{ seed: 123 \}\) twice gave different observations/);
});

test('fails a step that differs under the same seed (state leaking between episodes)', () => {
  class LeakyCostEnv extends LineWalkEnv {
    private stepsTaken = 0;
    // Bug: the per-episode step count is never cleared in reset, so the cost keeps growing.
    override step(action: number): StepResult<Float32Array> {
      const result = super.step(action);
      result.reward = -++this.stepsTaken;
      return result;
    }
  }
  const failures = failuresOf(new LeakyCostEnv());
  assertFinding(failures, /the same seed and actions gave different trajectories over 100 steps/);
  // Resets alone are deterministic here, so only the trajectory check fires.
  assert.equal(failures.length, 1, failures.join('\n'));
});

test('fails a reward that is NaN or not a number', () => {
  class NaNRewardEnv extends LineWalkEnv {
    override step(action: number): StepResult<Float32Array> {
      return { ...super.step(action), reward: NaN };
    }
  }
  class StringRewardEnv extends LineWalkEnv {
    override step(action: number): StepResult<Float32Array> {
      return { ...super.step(action), reward: '-1' as unknown as number };
    }
  }
  assertFinding(failuresOf(new NaNRewardEnv()), /returned reward NaN; rewards must be finite/);
  assertFinding(failuresOf(new StringRewardEnv()), /returned reward "-1"; it must be a number/);
});

test('fails terminated and truncated that are not booleans', () => {
  class NumericFlagsEnv extends LineWalkEnv {
    override step(action: number): StepResult<Float32Array> {
      const { terminated, ...rest } = super.step(action);
      return { ...rest, terminated: (terminated ? 1 : 0) as unknown as boolean, truncated: undefined as unknown as boolean };
    }
  }
  const failures = failuresOf(new NumericFlagsEnv());
  assertFinding(failures, /returned terminated 0; it must be a boolean/);
  assertFinding(failures, /returned truncated undefined; it must be a boolean/);
});

/** LineWalk that keeps its own rules but reports `reportedMask()` as info.actionMask. */
class BadMaskEnv extends LineWalkEnv {
  constructor(private readonly reportedMask: () => unknown) {
    super();
  }
  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    return { ...super.reset(args), info: { actionMask: this.reportedMask() } };
  }
  override step(action: number): StepResult<Float32Array> {
    return { ...super.step(action), info: { actionMask: this.reportedMask() } };
  }
}

test('fails a malformed action mask', async (t) => {
  const cases: [string, () => unknown, RegExp][] = [
    ['wrong length', () => Uint8Array.of(1, 1), /reset\(\{ seed \}\) returned info\.actionMask of length 2; Discrete\(3\) needs 3/],
    ['a number[] instead of a Uint8Array', () => [1, 1, 1], /info\.actionMask as Array; it must be a Uint8Array/],
    ['values other than 0 and 1', () => Uint8Array.of(1, 2, 1), /info\.actionMask with values other than 0 and 1/],
  ];
  for (const [name, reportedMask, pattern] of cases) {
    await t.test(name, () => {
      const failures = failuresOf(new BadMaskEnv(reportedMask));
      assertFinding(failures, pattern);
      // Reported once, not once per reset and step.
      assert.equal(failures.filter((m) => pattern.test(m)).length, 1, failures.join('\n'));
      // checkEnv draws its actions without a mask it cannot use, so the space's own complaint
      // about the mask is never passed off as the env throwing.
      assert.ok(!failures.some((m) => m.includes('Discrete(3): mask')), failures.join('\n'));
    });
  }
  await t.test('no allowed action', () => {
    const failures = failuresOf(new BadMaskEnv(() => new Uint8Array(3)));
    assertFinding(failures, /info\.actionMask with no allowed action; end the episode instead/);
  });
});

test('fails an observationSpace that is not a Space', () => {
  class PlainObjectSpaceEnv extends LineWalkEnv {
    // Bug: a plain description of a box, not a Box.
    override readonly observationSpace = { low: 0, high: LAST, shape: [1] } as unknown as Space<Float32Array>;
  }
  assertFinding(failuresOf(new PlainObjectSpaceEnv()), /observationSpace is \[object Object\], not a Space/);
});

test('fails a close() that throws the second time', () => {
  class CloseOnceEnv extends LineWalkEnv {
    private closed = false;
    override close(): void {
      if (this.closed) throw new Error('LineWalk is already closed');
      this.closed = true;
    }
  }
  assertFinding(failuresOf(new CloseOnceEnv()), /close\(\) twice threw: LineWalk is already closed; closing must be idempotent/);
});

test('fails a reset that returns the bare observation', () => {
  class BareResetEnv extends LineWalkEnv {
    // Bug: the Gym 0.21 habit of returning only the observation.
    override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
      return super.reset(args).observation as unknown as ResetResult<Float32Array>;
    }
  }
  assertFinding(failuresOf(new BareResetEnv()), /reset\(\{ seed \}\) returned Float32Array \[\d\], not \{ observation, info \}/);
});

test('warns about a Float64Array observation for a float32 Box', () => {
  class Float64ObservationEnv extends LineWalkEnv {
    protected override observe(): Float32Array {
      return Float64Array.of(this.cell) as unknown as Float32Array;
    }
  }
  const warnings = checkEnv(new Float64ObservationEnv());
  assertFinding(warnings, /returned the observation as Float64Array; Box\(0, 4, \(1,\), float32\) declares float32/);
});

test('warns about a Box action space that is not [-1, 1]', () => {
  /** Push a point along [−1, 1] with a force in [−2, 2]; correct apart from the action range. */
  class PushEnv extends Env<Float32Array, Float32Array> {
    readonly observationSpace = new Box(-1, 1, [1], 'float32');
    readonly actionSpace = new Box(-2, 2, [1], 'float32');
    private x = 0;

    reset(args: ResetArgs = {}): ResetResult<Float32Array> {
      this.seedRng(args.seed);
      this.x = this.rng.uniform(-0.5, 0.5);
      return { observation: Float32Array.of(this.x), info: {} };
    }

    step(action: Float32Array): StepResult<Float32Array> {
      if (!this.actionSpace.contains(action)) throw new RangeError(`Push.step: action is not in ${this.actionSpace}`);
      this.x = Math.max(-1, Math.min(1, this.x + 0.1 * action[0]));
      return { observation: Float32Array.of(this.x), reward: -Math.abs(this.x), terminated: false, truncated: false, info: {} };
    }
  }
  const warnings = checkEnv(new PushEnv());
  assertFinding(warnings, /the action Box is not \[-1, 1\] \(Box\(-2, 2, \(1,\), float32\)\)/);
  assert.equal(warnings.length, 1, warnings.join('\n'));
});

test('warns about an env that silently accepts an out-of-space action', () => {
  class ClampingEnv extends LineWalkEnv {
    // Bug: clamps a bad action to "right" instead of rejecting it.
    override step(action: number): StepResult<Float32Array> {
      return super.step(Math.min(action, 2));
    }
  }
  const warnings = checkEnv(new ClampingEnv());
  assertFinding(warnings, /step\(3\) with an action outside Discrete\(3\) was accepted silently/);
});

test('EnvCheckError lists every failure in its message', () => {
  class ManyBugsEnv extends LineWalkEnv {
    private closed = false;
    override step(action: number): StepResult<Float32Array> {
      return { ...super.step(action), reward: NaN, terminated: 'no' as unknown as boolean };
    }
    override close(): void {
      if (this.closed) throw new Error('already closed');
      this.closed = true;
    }
  }
  const env = new ManyBugsEnv();
  assert.throws(
    () => checkEnv(env),
    (err: unknown) => {
      assert.ok(err instanceof EnvCheckError);
      assert.equal(err.name, 'EnvCheckError');
      assert.equal(err.failures.length, 3, err.failures.join('\n'));
      assert.match(err.message, /^checkEnv found 3 problems:/);
      for (const failure of err.failures) assert.ok(err.message.includes(`\n  - ${failure}`), `message lacks: ${failure}`);
      assertFinding(err.failures, /reward NaN/);
      assertFinding(err.failures, /terminated "no"/);
      assertFinding(err.failures, /close\(\) twice threw/);
      return true;
    },
  );
});
