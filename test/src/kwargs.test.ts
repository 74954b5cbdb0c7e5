// Checked kwargs: the helper's rules by hand, and every registered env refusing an unknown key
// (with a suggestion) and a wrongly typed value (naming key, expected and found).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkKwargs, KwargError, type KwargSpecs } from '../../src/kwargs.js';
import { make, registry } from '../../src/registry.js';
import '../../envs/index.js';

const SPECS: KwargSpecs = {
  steps: { type: 'number', integer: true, min: 1 },
  ratio: { type: 'number', min: 0, lessThan: 1 },
  mode: { type: 'string', oneOf: ['fast', 'exact'] },
  verbose: { type: 'boolean' },
  horizon: { type: 'quantity', kind: 'time' },
  rates: { type: 'numbers', min: 0 },
  pair: { type: 'numbers', length: 2 },
  schedules: { type: 'number-lists', min: 0 },
  names: { type: 'strings', oneOf: ['a', 'b'] },
  even: { type: 'custom', expected: 'an even integer', accepts: (v) => Number.isInteger(v) && (v as number) % 2 === 0 },
};

function errorOf(kwargs: object): KwargError {
  try {
    checkKwargs('Toy', kwargs, SPECS);
  } catch (error) {
    assert.ok(error instanceof KwargError, `expected a KwargError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${JSON.stringify(kwargs)} was accepted`);
}

describe('checkKwargs', () => {
  it('accepts valid values and left-out keys', () => {
    checkKwargs('Toy', {}, SPECS);
    checkKwargs('Toy', { steps: 3, ratio: 0, mode: 'exact', verbose: false, horizon: '5 min', rates: [0, 60], pair: [1, 2], schedules: [[20, 60, 100]], names: ['b'], even: 4, ratioUnset: undefined }, { ...SPECS, ratioUnset: { type: 'number' } });
  });

  it('refuses an unknown key, suggesting the nearest known one', () => {
    const e = errorOf({ step: 3 });
    assert.equal(e.key, 'step');
    assert.equal(e.message, 'Toy: unknown kwarg "step" (did you mean "steps"?); it takes steps, ratio, mode, verbose, horizon, rates, pair, schedules, names, even');
    assert.doesNotMatch(errorOf({ zzzzzzzz: 1 }).message, /did you mean/);
    assert.match(errorOf({ MODE: 'fast' }).message, /did you mean "mode"/);
  });

  it('names the key, what it expected and what it found', () => {
    const cases: [object, string, string, string][] = [
      [{ steps: 0 }, 'steps', 'an integer at least 1', '0'],
      [{ steps: 2.5 }, 'steps', 'an integer at least 1', '2.5'],
      [{ steps: '3' }, 'steps', 'an integer at least 1', '"3"'],
      [{ ratio: 1 }, 'ratio', 'a finite number at least 0 and less than 1', '1'],
      [{ ratio: Number.NaN }, 'ratio', 'a finite number at least 0 and less than 1', 'null'],
      [{ mode: 'slow' }, 'mode', 'one of "fast", "exact"', '"slow"'],
      [{ verbose: 'yes' }, 'verbose', 'true or false', '"yes"'],
      [{ rates: [] }, 'rates', 'a non-empty array of finite numbers at least 0', '[]'],
      [{ rates: [5, -1] }, 'rates', 'a non-empty array of finite numbers at least 0', '[5,-1]'],
      [{ pair: [1] }, 'pair', 'an array of 2 of finite numbers', '[1]'],
      [{ schedules: [[20], []] }, 'schedules', 'a non-empty array of non-empty arrays of finite numbers at least 0', '[[20],[]]'],
      [{ names: ['a', 'c'] }, 'names', 'a non-empty array of names from a, b', '["a","c"] ("c" is not one of them)'],
      [{ even: 3 }, 'even', 'an even integer', '3'],
    ];
    for (const [kwargs, key, expected, found] of cases) {
      const e = errorOf(kwargs);
      assert.deepEqual([e.owner, e.key, e.expected, e.found], ['Toy', key, expected, found], JSON.stringify(kwargs));
      assert.equal(e.message, `Toy: kwarg "${key}" must be ${expected}, got ${found}`);
    }
  });

  it('reports a quantity in the wrong unit as the unit parser words it', () => {
    const e = errorOf({ horizon: '5 kg' });
    assert.equal(e.key, 'horizon');
    assert.match(e.expected, /a time such as "4.2 ms"/);
    assert.match(e.found, /5 kg/);
    assert.match(errorOf({ horizon: '0 s' }).found, /greater than 0/);
  });
});

describe('every registered env checks its kwargs', () => {
  // One wrongly typed value per built-in env.
  const WRONG: Record<string, [string, unknown]> = {
    'CartPole-v1': ['suttonBartoReward', 1],
    'EdgeSched/PolicySelect-v0': ['horizon', 42],
    'EdgeSched/Dispatch-v0': ['beta', '0.1'],
    'EdgeSched/Placement-v0': ['maxApps', 'ten'],
  };
  it('covers every registered env', () => assert.deepEqual([...registry.keys()].sort(), Object.keys(WRONG).sort()));
  for (const [id, [key, value]] of Object.entries(WRONG)) {
    it(`${id} refuses an unknown key and a wrongly typed ${key}`, () => {
      assert.throws(() => make(id, { notAKwarg: 1 }), (e: unknown) => e instanceof KwargError && e.key === 'notAKwarg' && /unknown kwarg "notAKwarg"; it takes /.test(e.message));
      assert.throws(() => make(id, { [key]: value }), (e: unknown) => e instanceof KwargError && e.key === key && e.message.includes(`kwarg "${key}" must be `) && e.message.includes(`, got ${JSON.stringify(value)}`));
    });
  }
  it('suggests the kwarg a typo meant', () => {
    assert.throws(() => make('EdgeSched/PolicySelect-v0', { rate: 100 }), /PolicySelect: unknown kwarg "rate" \(did you mean "rates"\?\)/);
    assert.throws(() => make('EdgeSched/Dispatch-v0', { Alpha: 2 }), /Dispatch: unknown kwarg "Alpha" \(did you mean "alpha"\?\)/);
    assert.throws(() => make('CartPole-v1', { sutton_barto_reward: true }), /CartPole: unknown kwarg "sutton_barto_reward"/);
  });
});
