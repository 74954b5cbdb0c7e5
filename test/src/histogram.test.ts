// The latency histogram's buckets: the table lookup lands every value in the bucket its
// logarithmic definition names, next to the boundaries as well as between them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogHistogram, bucketIndex } from '../../src/sim/histogram.js';
import { Rng } from '../../src/rng.js';

const MIN = 1e-3;
const LOG_BASE = Math.log1p(0.01);
const BUCKETS = Math.ceil(Math.log(1e7 / MIN) / LOG_BASE) + 2;
const byLog = (v: number): number => (v <= MIN ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(v / MIN) / LOG_BASE)));

test('bucketIndex agrees with the logarithm within a few ulps of every boundary and at random', () => {
  const f = new Float64Array(1);
  const bits = new BigInt64Array(f.buffer);
  for (let b = 1; b <= BUCKETS; b++) {
    const edge = MIN * Math.exp((b - 1) * LOG_BASE);
    for (let k = -24; k <= 24; k++) {
      f[0] = edge;
      bits[0] += BigInt(k);
      assert.equal(bucketIndex(f[0]), byLog(f[0]), `value ${f[0]}`);
    }
  }
  const rng = new Rng(11);
  for (let i = 0; i < 200_000; i++) {
    const v = Math.exp(rng.uniform(Math.log(1e-5), Math.log(1e9)));
    assert.equal(bucketIndex(v), byLog(v), `value ${v}`);
  }
  for (const v of [0, -1, MIN, 1e6, 1e7, 1e8, Number.MIN_VALUE, Number.MAX_VALUE, Infinity, -Infinity]) assert.equal(bucketIndex(v), byLog(v), `value ${v}`);
  assert.ok(Number.isNaN(bucketIndex(NaN)));
});

test('quantiles come from the buckets: 1 % wide, capped by the largest value', () => {
  const h = new LogHistogram();
  for (let v = 1; v <= 100; v++) h.add(v);
  assert.equal(h.count, 100);
  assert.equal(h.mean, 50.5);
  for (const q of [0.5, 0.95, 0.99]) assert.ok(Math.abs(h.quantile(q) / (q * 100) - 1) < 0.01, `q ${q}: ${h.quantile(q)}`);
  assert.equal(h.quantile(1), 100);
});
