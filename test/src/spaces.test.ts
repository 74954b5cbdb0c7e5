// What every space promises: seeded sampling that stays inside the space (and draws Box
// elements by boundedness, as Gymnasium does), membership, flat encodings and a JSON form.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertNear, moments } from '../fixtures/statistics.js';
import {
  Box, Dict, Discrete, MultiBinary, MultiDiscrete, Space, Tuple, batchBox, flattenSpace, spaceFromJSON,
  type DType,
} from '../../src/spaces/index.js';

/** Samples drawn in each membership and reproducibility check. */
const DRAWS = 10_000;
/** Samples drawn for each distribution check. */
const STAT_DRAWS = 20_000;

/** One example space of each kind, built fresh per test so seeding one does not touch another. */
const kinds: Array<[name: string, make: () => Space<unknown>]> = [
  ['Discrete(5)', () => new Discrete(5)],
  ['Discrete(4, start=-2)', () => new Discrete(4, -2)],
  ['bounded float32 Box', () => new Box(-1, 2, [2, 3])],
  ['unbounded float32 Box', () => new Box(-Infinity, Infinity, [3])],
  ['half-bounded float32 Box', () => new Box([0, -Infinity], [Infinity, 5])],
  ['int32 Box', () => new Box(-3, 3, [4], 'int32')],
  ['MultiDiscrete', () => new MultiDiscrete([3, 2, 4], [0, 5, -1])],
  ['MultiBinary', () => new MultiBinary([2, 3])],
  ['Dict', () => new Dict({ position: new Box(-1, 1, [2]), action: new Discrete(3), flags: new MultiBinary(4) })],
  ['Tuple nesting a Dict', () => new Tuple([
    new Discrete(2),
    new Dict({ load: new Box(0, Infinity, [2]), cores: new MultiDiscrete([4, 4]) }),
    new Box(-5, 5, [1], 'int32'),
  ])],
];

function draw<T>(space: Space<T>, n: number): T[] {
  return Array.from({ length: n }, () => space.sample());
}


/** Element `i` of each Box sample, as one column of numbers. */
function column(samples: ArrayLike<number>[], i: number): Float64Array {
  return Float64Array.from(samples, (s) => s[i]);
}

describe('sampling every kind of space', () => {
  for (const [name, make] of kinds) {
    describe(name, () => {
      it(`draws ${DRAWS} seeded samples that the space contains`, () => {
        const space = make();
        space.seed(1);
        for (const x of draw(space, DRAWS)) assert.ok(space.contains(x), `${space} sampled ${String(x)}, which it does not contain`);
      });

      it('repeats the same sequence for the same seed', () => {
        const a = make();
        const b = make();
        a.seed(42);
        b.seed(42);
        assert.deepEqual(draw(a, DRAWS), draw(b, DRAWS));
      });

      it('draws a different sequence for a different seed', () => {
        const a = make();
        const b = make();
        a.seed(42);
        b.seed(43);
        assert.notDeepEqual(draw(a, 100), draw(b, 100));
      });

      it('restarts its sequence when re-seeded', () => {
        const space = make();
        space.seed(7);
        const first = draw(space, 50);
        space.seed(7);
        assert.deepEqual(draw(space, 50), first);
      });
    });
  }

  it('seeds the subspaces of composite spaces from the parent seed, and reports every seed used', () => {
    const space = new Tuple([new Discrete(2), new Dict({ a: new Discrete(3), b: new Box(0, 1, [1]) })]);
    const seeds = space.seed(11);
    // The tuple's own seed, then one per subspace, depth first: Discrete, Dict, Dict.a, Dict.b.
    assert.equal(seeds.length, 5);
    assert.equal(seeds[0], 11);
    for (const s of seeds) assert.ok(Number.isInteger(s) && s >= 0, `seed ${s} is not a non-negative integer`);
    assert.deepEqual(new Tuple([new Discrete(2), new Dict({ a: new Discrete(3), b: new Box(0, 1, [1]) })]).seed(11), seeds);
  });

  it('returns values of the dtype each space declares', () => {
    assert.ok(new Box(0, 1, [2]).sample() instanceof Float32Array);
    assert.ok(new Box(0, 1, [2], 'float64').sample() instanceof Float64Array);
    assert.ok(new Box(0, 9, [2], 'int32').sample() instanceof Int32Array);
    assert.ok(new Box(0, 9, [2], 'uint8').sample() instanceof Uint8Array);
    assert.ok(new MultiDiscrete([2, 2]).sample() instanceof Int32Array);
    assert.ok(new MultiBinary(3).sample() instanceof Uint8Array);
    assert.equal(typeof new Discrete(3).sample(), 'number');
  });
});

describe('Box sampling by boundedness, as Gymnasium', () => {
  // One Box whose four elements are bounded, unbounded, bounded below only and above only.
  const box = new Box([-1, -Infinity, 2, -Infinity], [3, Infinity, Infinity, -4]);
  box.seed(2024);
  const samples = draw(box, STAT_DRAWS);
  const sqrtN = Math.sqrt(STAT_DRAWS);

  it('reports which sides are bounded', () => {
    assert.equal(box.isBounded('both'), false);
    assert.equal(new Box(-1, 3, [2]).isBounded('both'), true);
    assert.equal(new Box([0, -Infinity], [Infinity, 5]).isBounded('below'), false);
    assert.equal(new Box(0, Infinity, [2]).isBounded('below'), true);
    assert.equal(new Box(0, Infinity, [2]).isBounded('above'), false);
  });

  it('draws a bounded element uniformly on [low, high]', () => {
    const x = column(samples, 0);
    const width = 3 - -1;
    for (const v of x) assert.ok(v >= -1 && v <= 3, `${v} outside [-1, 3]`);
    const { mean, variance } = moments(x);
    // Uniform on [a, b]: mean (a+b)/2, variance (b−a)²/12, fourth central moment (b−a)⁴/80.
    assertNear(mean, 1, width / Math.sqrt(12) / sqrtN, 'uniform mean');
    assertNear(variance, width ** 2 / 12, Math.sqrt((1 / 80 - 1 / 144) * width ** 4) / sqrtN, 'uniform variance');
    // Both ends of the interval are reached: the lowest and highest tenths each hold about a tenth.
    const lowTenth = x.filter((v) => v < -0.6).length / STAT_DRAWS;
    const highTenth = x.filter((v) => v > 2.6).length / STAT_DRAWS;
    assertNear(lowTenth, 0.1, Math.sqrt(0.1 * 0.9) / sqrtN, 'share in lowest tenth');
    assertNear(highTenth, 0.1, Math.sqrt(0.1 * 0.9) / sqrtN, 'share in highest tenth');
  });

  it('draws an unbounded element from the standard normal', () => {
    const x = column(samples, 1);
    const { mean, variance } = moments(x);
    assertNear(mean, 0, 1 / sqrtN, 'normal mean');
    // For a normal sample the variance estimate has standard error σ²·√(2/(n−1)).
    assertNear(variance, 1, Math.sqrt(2 / (STAT_DRAWS - 1)), 'normal variance');
    // The shape, not just two moments: about 5% of draws lie beyond ±1.96.
    const tails = x.filter((v) => Math.abs(v) > 1.96).length / STAT_DRAWS;
    assertNear(tails, 0.05, Math.sqrt(0.05 * 0.95) / sqrtN, 'share beyond ±1.96');
  });

  it('draws an element bounded below only as low + Exp(1)', () => {
    const x = column(samples, 2);
    for (const v of x) assert.ok(v >= 2, `${v} is below low = 2`);
    const { mean, variance } = moments(x);
    assertNear(mean, 2 + 1, 1 / sqrtN, 'low + Exp(1) mean');
    // Exp(1): variance 1, fourth central moment 9, so the variance estimate has SE √8/√n.
    assertNear(variance, 1, Math.sqrt(8) / sqrtN, 'low + Exp(1) variance');
  });

  it('draws an element bounded above only as high − Exp(1)', () => {
    const x = column(samples, 3);
    for (const v of x) assert.ok(v <= -4, `${v} is above high = -4`);
    const { mean, variance } = moments(x);
    assertNear(mean, -4 - 1, 1 / sqrtN, 'high − Exp(1) mean');
    assertNear(variance, 1, Math.sqrt(8) / sqrtN, 'high − Exp(1) variance');
  });

  it('draws integer Box elements uniformly on low…high, both ends included', () => {
    const ints = new Box(-2, 3, [1], 'int32');
    ints.seed(5);
    const counts = new Map<number, number>();
    for (let i = 0; i < STAT_DRAWS; i++) {
      const [v] = ints.sample();
      assert.ok(Number.isInteger(v), `${v} is not an integer`);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()].sort((a, b) => a - b), [-2, -1, 0, 1, 2, 3]);
    const p = 1 / 6;
    for (const [v, c] of counts) assertNear(c / STAT_DRAWS, p, Math.sqrt(p * (1 - p)) / sqrtN, `share of ${v}`);
  });

  it('clamps an unbounded integer Box to what its dtype holds', () => {
    const bytes = new Box(-Infinity, Infinity, [3], 'uint8');
    assert.deepEqual(Array.from(bytes.low), [0, 0, 0]);
    assert.deepEqual(Array.from(bytes.high), [255, 255, 255]);
    bytes.seed(3);
    for (const x of draw(bytes, 1000)) assert.ok(bytes.contains(x));
  });

  it('keeps an integer Box to the integers between fractional bounds', () => {
    const ints = new Box(0.5, 2.5, [1], 'int32');
    assert.deepEqual([ints.low[0], ints.high[0]], [1, 2]);
    ints.seed(6);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const x = ints.sample();
      assert.ok(ints.contains(x), `sampled ${x[0]}, which ${ints} does not contain`);
      seen.add(x[0]);
    }
    assert.deepEqual([...seen].sort(), [1, 2]);
  });
});

describe('masked sampling', () => {
  it('Discrete never returns a masked value and returns every allowed one', () => {
    const space = new Discrete(5, 10);
    space.seed(8);
    const mask = Int8Array.of(1, 0, 1, 0, 1); // allows 10, 12 and 14
    const seen = new Set<number>();
    for (let i = 0; i < DRAWS; i++) seen.add(space.sample({ mask }));
    assert.deepEqual([...seen].sort((a, b) => a - b), [10, 12, 14]);
  });

  it('Discrete returns start when the mask allows nothing', () => {
    const space = new Discrete(3, 7);
    space.seed(0);
    assert.equal(space.sample({ mask: [0, 0, 0] }), 7);
  });

  it('Discrete rejects a mask of the wrong length or with values other than 0 and 1', () => {
    const space = new Discrete(3);
    assert.throws(() => space.sample({ mask: [1, 0] }), { name: 'RangeError', message: 'Discrete(3): mask has length 2, expected 3' });
    assert.throws(() => space.sample({ mask: [1, 2, 0] }), { name: 'RangeError', message: /mask values must be 0 or 1, got 2 at 1/ });
    assert.throws(() => space.sample({ mask: [1, 0.5, 0] }), RangeError);
  });

  it('MultiDiscrete takes one mask per dimension', () => {
    const space = new MultiDiscrete([3, 4], [0, 1]);
    space.seed(9);
    const seen = [new Set<number>(), new Set<number>()];
    for (let i = 0; i < DRAWS; i++) {
      const [a, b] = space.sample({ mask: [[0, 1, 1], [1, 0, 0, 1]] });
      seen[0].add(a);
      seen[1].add(b);
    }
    assert.deepEqual([...seen[0]].sort(), [1, 2]);
    assert.deepEqual([...seen[1]].sort(), [1, 4]); // start 1: mask positions 0 and 3
  });

  it('MultiDiscrete takes the per-dimension masks concatenated (the layout of info.actionMask)', () => {
    const perDim = new MultiDiscrete([3, 4], [0, 1]);
    const flat = new MultiDiscrete([3, 4], [0, 1]);
    perDim.seed(9);
    flat.seed(9);
    const flatMask = Int8Array.of(0, 1, 1, /* | */ 1, 0, 0, 1);
    for (let i = 0; i < 1000; i++) {
      assert.deepEqual(flat.sample({ mask: flatMask }), perDim.sample({ mask: [[0, 1, 1], [1, 0, 0, 1]] }));
    }
  });

  it('MultiDiscrete returns start in a dimension whose mask allows nothing', () => {
    const space = new MultiDiscrete([3, 4], [2, 5]);
    space.seed(1);
    for (let i = 0; i < 100; i++) {
      const [a, b] = space.sample({ mask: [[0, 0, 0], [0, 1, 0, 0]] });
      assert.equal(a, 2);
      assert.equal(b, 6);
    }
  });

  it('MultiDiscrete rejects masks of the wrong shape or values', () => {
    const space = new MultiDiscrete([3, 4]);
    assert.throws(() => space.sample({ mask: [1, 1, 1, 1, 1, 1] }), { name: 'RangeError', message: /flat mask has length 6, expected 7/ });
    assert.throws(() => space.sample({ mask: [[1, 1, 1]] }), { name: 'RangeError', message: /got 1 masks, expected 2/ });
    assert.throws(() => space.sample({ mask: [[1, 1, 1], [1, 1]] }), { name: 'RangeError', message: /mask 1 has length 2, expected 4/ });
    assert.throws(() => space.sample({ mask: [[1, 1, 1], [1, 3, 1, 1]] }), { name: 'RangeError', message: /mask values must be 0 or 1, got 3 in mask 1 at 1/ });
  });
});

describe('flat encodings', () => {
  for (const [name, make] of kinds) {
    it(`${name}: unflatten(flatten(x)) gives x back`, () => {
      const space = make();
      space.seed(3);
      for (const x of draw(space, 500)) {
        const flat = space.flatten(x);
        assert.ok(flat instanceof Float32Array);
        assert.equal(flat.length, space.flatDim);
        assert.deepEqual(space.unflatten(flat), x);
      }
    });

    it(`${name}: flattened samples lie in flattenSpace(space)`, () => {
      const space = make();
      const box = flattenSpace(space);
      assert.deepEqual(box.shape, [space.flatDim]);
      space.seed(4);
      for (const x of draw(space, 500)) assert.ok(box.contains(space.flatten(x)));
    });
  }

  it('encodes Discrete as one-hot, counting from start', () => {
    assert.deepEqual(Array.from(new Discrete(4).flatten(2)), [0, 0, 1, 0]);
    assert.deepEqual(Array.from(new Discrete(4, -1).flatten(-1)), [1, 0, 0, 0]);
    assert.deepEqual(Array.from(new Discrete(4, -1).flatten(2)), [0, 0, 0, 1]);
    assert.equal(new Discrete(4, -1).unflatten([0, 1, 0, 0]), 0);
    assert.throws(() => new Discrete(3).unflatten([0, 0, 0]), { name: 'RangeError', message: /not one-hot/ });
  });

  it('encodes MultiDiscrete as one one-hot block per dimension', () => {
    const space = new MultiDiscrete([3, 2], [1, 0]);
    assert.deepEqual(Array.from(space.flatten(Int32Array.of(3, 0))), [0, 0, 1, 1, 0]);
  });

  it('lays Dict entries out in sorted key order, Tuple entries in order', () => {
    // Keys are sorted, so construction order does not change the encoding.
    const dict = new Dict({ z: new Box(-9, 9, [1]), a: new Discrete(2) });
    assert.deepEqual(dict.keys, ['a', 'z']);
    assert.deepEqual(Array.from(dict.flatten({ z: Float32Array.of(7), a: 1 })), [0, 1, 7]);
    const tuple = new Tuple([new Box(-9, 9, [1]), new Discrete(2)]);
    assert.deepEqual(Array.from(tuple.flatten([Float32Array.of(7), 1])), [7, 0, 1]);
  });

  it('has the flatDim worked out by hand', () => {
    assert.equal(new Discrete(5).flatDim, 5); // one-hot
    assert.equal(new Discrete(5, 100).flatDim, 5);
    assert.equal(new Box(0, 1, [2, 3]).flatDim, 6);
    assert.equal(new MultiDiscrete([3, 2, 4]).flatDim, 3 + 2 + 4);
    assert.equal(new MultiBinary([2, 3]).flatDim, 6);
    const dict = new Dict({ a: new Discrete(3), b: new Box(0, 1, [2]) });
    assert.equal(dict.flatDim, 3 + 2);
    assert.equal(new Tuple([new Discrete(2), dict, new MultiBinary(4)]).flatDim, 2 + 5 + 4);
  });

  it('writes into a shared buffer at an offset and leaves the rest alone', () => {
    const space = new Dict({ a: new Discrete(3, 1), b: new Box(-5, 5, [2]) });
    const out = new Float32Array(2 + space.flatDim + 1).fill(-7);
    space.flattenInto({ a: 2, b: Float32Array.of(0.5, -4) }, out, 2);
    assert.deepEqual(Array.from(out), [-7, -7, 0, 1, 0, 0.5, -4, -7]);
    assert.deepEqual(space.unflatten(out, 2), { a: 2, b: Float32Array.of(0.5, -4) });
  });
});

describe('JSON form', () => {
  for (const [name, make] of kinds) {
    it(`${name}: toJSON → JSON text → spaceFromJSON gives an equal space`, () => {
      const space = make();
      const text = JSON.stringify(space.toJSON());
      assert.equal(JSON.stringify(space), text); // JSON.stringify calls toJSON itself
      const back = spaceFromJSON(JSON.parse(text));
      assert.ok(back.equals(space), `${back} does not equal ${space}`);
      assert.equal(back.constructor, space.constructor);
      assert.equal(back.toString(), space.toString());
      // The rebuilt space samples the same values for the same seed.
      space.seed(12);
      back.seed(12);
      assert.deepEqual(draw(back, 100), draw(space, 100));
    });
  }

  it('writes ±Infinity bounds as strings and reads them back', () => {
    const box = new Box([-Infinity, 0], [Infinity, Infinity]);
    const json = JSON.parse(JSON.stringify(box));
    assert.deepEqual(json.low, ['-Infinity', 0]);
    assert.deepEqual(json.high, ['Infinity', 'Infinity']);
    const back = spaceFromJSON(json) as Box;
    assert.ok(back.equals(box));
    assert.deepEqual(Array.from(back.low), [-Infinity, 0]);
    assert.deepEqual(Array.from(back.high), [Infinity, Infinity]);
  });

  it('tells spaces apart that differ only in a detail', () => {
    assert.ok(!new Discrete(3).equals(new Discrete(4)));
    assert.ok(!new Discrete(3).equals(new Discrete(3, 1)));
    assert.ok(!new Box(0, 1, [2]).equals(new Box(0, 1, [2], 'float64')));
    assert.ok(!new Box(0, 1, [2]).equals(new Box(0, 2, [2])));
    assert.ok(!new MultiBinary(4).equals(new MultiBinary([2, 2])));
    assert.ok(!new Tuple([new Discrete(2), new Discrete(3)]).equals(new Tuple([new Discrete(3), new Discrete(2)])));
  });

  it('names the path of a bad entry in its errors', () => {
    assert.throws(
      () => spaceFromJSON({ type: 'Dict', spaces: { a: { type: 'Foo' } } }),
      { name: 'TypeError', message: /^space\.spaces\.a: unknown space type "Foo"; expected Discrete, Box/ },
    );
    assert.throws(
      () => spaceFromJSON({ type: 'Tuple', spaces: [{ type: 'Discrete', n: 2 }, { type: 'Discrete', n: 0 }] }),
      { message: /^space\.spaces\[1\]: Discrete: n must be a positive integer, got 0$/ },
    );
    assert.throws(
      () => spaceFromJSON({ type: 'Dict', spaces: { obs: { type: 'Dict', spaces: { x: { type: 'Box', low: ['inf'], high: [1], shape: [1], dtype: 'float32' } } } } }),
      { message: /^space\.spaces\.obs\.spaces\.x\.low\[0\]: expected a number, "Infinity" or "-Infinity", got "inf"$/ },
    );
    assert.throws(() => spaceFromJSON(42), { name: 'TypeError', message: /^space: expected a space object with a "type", got 42$/ });
    assert.throws(() => spaceFromJSON({ type: 'Tuple', spaces: {} }), { message: /^space: "spaces" must be an array$/ });
    assert.throws(
      () => spaceFromJSON({ type: 'Box', low: [0], high: [1], shape: [1], dtype: 'float16' }, 'env.observationSpace'),
      { message: /^env\.observationSpace: Box: unknown dtype "float16"/ },
    );
  });
});

describe('contains', () => {
  it('Discrete accepts only integers in start…start+n−1', () => {
    const space = new Discrete(3, 5);
    for (const ok of [5, 6, 7]) assert.ok(space.contains(ok), `rejected ${ok}`);
    for (const bad of [4, 8, 5.5, NaN, Infinity, '5', null, undefined, [5]]) {
      assert.ok(!space.contains(bad), `accepted ${String(bad)}`);
    }
  });

  it('Box rejects the wrong length, out-of-bounds values, NaN and non-numbers', () => {
    const box = new Box([-1, 0], [1, 10]);
    assert.ok(box.contains(Float32Array.of(-1, 10)));
    assert.ok(box.contains([0.5, 3])); // plain arrays are accepted too
    assert.ok(!box.contains(Float32Array.of(0)));
    assert.ok(!box.contains(Float32Array.of(0, 0, 0)));
    assert.ok(!box.contains(Float32Array.of(-1.5, 0)));
    assert.ok(!box.contains(Float32Array.of(0, 10.5)));
    assert.ok(!box.contains(Float32Array.of(NaN, 0)));
    assert.ok(!box.contains(['0', 1]));
    assert.ok(!box.contains('01'));
    assert.ok(!box.contains(0));
    assert.ok(!box.contains(null));
    assert.ok(!box.contains({ 0: 0, 1: 1, length: 2 }));
  });

  it('integer Box rejects non-integers', () => {
    const box = new Box(0, 10, [2], 'int32');
    assert.ok(box.contains(Int32Array.of(0, 10)));
    assert.ok(box.contains([3, 4]));
    assert.ok(!box.contains([3, 4.5]));
    assert.ok(!box.contains([NaN, 4]));
  });

  it('MultiDiscrete checks each dimension against its own start and n', () => {
    const space = new MultiDiscrete([3, 2], [0, 10]);
    assert.ok(space.contains(Int32Array.of(2, 11)));
    assert.ok(space.contains([0, 10]));
    assert.ok(!space.contains([3, 10]));
    assert.ok(!space.contains([0, 12]));
    assert.ok(!space.contains([0, 9]));
    assert.ok(!space.contains([0.5, 10]));
    assert.ok(!space.contains([0]));
    assert.ok(!space.contains(Float32Array.of(0, 10)));
    assert.ok(!space.contains('0,10'));
  });

  it('MultiBinary accepts only 0s and 1s of the right count', () => {
    const space = new MultiBinary(3);
    assert.ok(space.contains(Uint8Array.of(0, 1, 1)));
    assert.ok(space.contains([1, 1, 1]));
    assert.ok(!space.contains([0, 2, 1]));
    assert.ok(!space.contains([0, 0.5, 1]));
    assert.ok(!space.contains([0, 1]));
    assert.ok(!space.contains(Float32Array.of(0, 1, 1)));
  });

  it('Dict rejects missing keys, extra keys and bad entries', () => {
    const space = new Dict({ a: new Discrete(2), b: new Box(0, 1, [1]) });
    assert.ok(space.contains({ a: 1, b: Float32Array.of(0.5) }));
    assert.ok(!space.contains({ a: 1 }));
    assert.ok(!space.contains({ a: 1, b: Float32Array.of(0.5), c: 0 }));
    assert.ok(!space.contains({ a: 2, b: Float32Array.of(0.5) }));
    assert.ok(!space.contains({ a: 1, c: Float32Array.of(0.5) }));
    assert.ok(!space.contains([1, Float32Array.of(0.5)]));
    assert.ok(!space.contains(null));
  });

  it('Tuple rejects the wrong length, non-arrays and bad elements', () => {
    const space = new Tuple([new Discrete(2), new MultiBinary(2)]);
    assert.ok(space.contains([1, Uint8Array.of(0, 1)]));
    assert.ok(!space.contains([1]));
    assert.ok(!space.contains([1, Uint8Array.of(0, 1), 0]));
    assert.ok(!space.contains([2, Uint8Array.of(0, 1)]));
    assert.ok(!space.contains({ 0: 1, 1: Uint8Array.of(0, 1), length: 2 }));
  });
});

describe('constructor errors', () => {
  it('Discrete needs a positive integer n and an integer start', () => {
    assert.throws(() => new Discrete(0), { name: 'RangeError', message: 'Discrete: n must be a positive integer, got 0' });
    assert.throws(() => new Discrete(2.5), RangeError);
    assert.throws(() => new Discrete(2, 0.5), { name: 'RangeError', message: /start must be an integer, got 0.5/ });
  });

  it('Box names a low bound above its high bound', () => {
    assert.throws(() => new Box([0, 2], [1, 1]), { name: 'RangeError', message: 'Box: low[1] = 2 is above high[1] = 1' });
    assert.throws(() => new Box(0, NaN, [1]), { name: 'RangeError', message: /bound 0 is NaN/ });
  });

  it('Box names bounds that do not match the shape', () => {
    assert.throws(() => new Box([0, 0], [1, 1], [3]), { name: 'RangeError', message: 'Box: low has 2 elements, the shape needs 3' });
    assert.throws(() => new Box(0, [1, 1, 1], [2]), { name: 'RangeError', message: 'Box: high has 3 elements, the shape needs 2' });
    assert.throws(() => new Box(0, 1, [2, 0]), { name: 'RangeError', message: /shape must be a list of positive integers/ });
    assert.throws(() => new Box(0, 1), { name: 'TypeError', message: /give a shape/ });
  });

  it('Box refuses integer bounds that hold no value of its dtype', () => {
    assert.throws(() => new Box(300, 400, [1], 'uint8'), { name: 'RangeError', message: 'Box: no uint8 value lies in [low[0], high[0]] = [300, 400]' });
    assert.throws(() => new Box(0.2, 0.8, [1], 'int32'), { name: 'RangeError', message: /no int32 value lies in/ });
  });

  it('Box lists the dtypes it knows when given another', () => {
    assert.throws(
      () => new Box(0, 1, [1], 'float16' as unknown as DType),
      { name: 'TypeError', message: /^Box: unknown dtype "float16"; expected one of float32, float64, int8/ },
    );
  });

  it('MultiDiscrete needs positive integers in nvec, and a start of the same length', () => {
    assert.throws(() => new MultiDiscrete([2, 0]), { name: 'RangeError', message: 'MultiDiscrete: nvec[1] must be a positive integer, got 0' });
    assert.throws(() => new MultiDiscrete([]), { name: 'RangeError', message: /nvec must not be empty/ });
    assert.throws(() => new MultiDiscrete([2, 2], [0]), { name: 'RangeError', message: /start has 1 elements, nvec has 2/ });
  });

  it('MultiBinary, Dict and Tuple refuse empty or malformed contents', () => {
    assert.throws(() => new MultiBinary(0), RangeError);
    assert.throws(() => new Dict({}), { name: 'RangeError', message: /needs at least one subspace/ });
    assert.throws(() => new Tuple([]), { name: 'RangeError', message: /needs at least one subspace/ });
    assert.throws(() => new Dict({ a: 3 as unknown as Space<unknown> }), { name: 'TypeError', message: 'Dict: entry "a" is not a space' });
  });
});

describe('flattenSpace and batchBox', () => {
  it('flattenSpace of a Dict gives the bounds of each entry, keys in sorted order', () => {
    const space = new Dict({ pos: new Box([-1, 0], [1, 5]), act: new Discrete(3) });
    const flat = flattenSpace(space);
    assert.deepEqual(flat.shape, [5]);
    assert.equal(flat.dtype, 'float32');
    //                               act (one-hot)  pos
    assert.deepEqual(Array.from(flat.low), [0, 0, 0, -1, 0]);
    assert.deepEqual(Array.from(flat.high), [1, 1, 1, 1, 5]);
  });

  it('batchBox stacks n copies of a flat Box into shape [n, dim]', () => {
    const flat = new Box([-1, 0, -Infinity], [1, 5, Infinity]);
    const batch = batchBox(flat, 4);
    assert.deepEqual(batch.shape, [4, 3]);
    assert.equal(batch.flatDim, 12);
    assert.deepEqual(Array.from(batch.low.subarray(6, 9)), [-1, 0, -Infinity]);
    assert.deepEqual(Array.from(batch.high.subarray(9, 12)), [1, 5, Infinity]);
    batch.seed(1);
    assert.ok(batch.contains(batch.sample()));
  });
});
