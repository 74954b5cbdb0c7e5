// ASET's paired comparison: differences are per seed, the compared policy's own kwargs reach only
// its episodes, and the per-episode cache answers a second run without playing again.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { evaluate } from '../../envs/evaluate.js';
import { formatPaired, pairedComparison } from '../../experiments/policy-select-paired.js';
import { pairedDifference, pairedVerdict } from '../../src/stats.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-paired-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const BASE = { horizon: '20 s' };
const CONDITIONS = { 'λ = 60': { rates: [60] } };

test('pairedDifference is the mean of per-seed differences with a t interval; beats only when it clears 0', () => {
  const d = pairedDifference([0.9, 0.8, 0.7], [0.8, 0.7, 0.58]);
  assert.ok(Math.abs(d.mean - 0.32 / 3) < 1e-12);
  // sd of (0.1, 0.1, 0.12) = √(1/7500); t(0.975, 2) = 4.303 (stats' table); ci = t · sd / √3.
  assert.ok(Math.abs(d.ci95 - (4.303 * Math.sqrt(1 / 7500)) / Math.sqrt(3)) < 1e-9, String(d.ci95));
  assert.equal(pairedVerdict(d), 'beats');
  assert.equal(pairedVerdict(pairedDifference([0.5, 0.6], [0.6, 0.5])), 'ties');
  assert.equal(pairedVerdict(pairedDifference([0.7, 0.8, 0.7], [0.8, 0.9, 0.82])), 'loses');
  assert.equal(pairedVerdict(pairedDifference([0.9], [0.1])), 'ties', 'one episode has no interval');
  assert.throws(() => pairedDifference([1], [1, 2]), /1 values against 2/);
});

test('the paired table: success in %, the difference in points with its CI, wins and the verdict', () => {
  const difference = pairedDifference([0.9, 0.8, 0.7], [0.8, 0.7, 0.58]);
  const table = formatPaired([{ condition: 'λ = 60', baseline: 'closest', policyMean: 0.8, baselineMean: 0.6933, difference }], 'agent');
  const [header, , row] = table.split('\n');
  assert.match(header, /agent − static, pp \(95 % CI, 3 paired seeds\) \| wins \/ losses \| beats it \|$/);
  // 0.1067 ± 0.0287 → +10.7 ± 2.9 points.
  assert.equal(row, '| λ = 60 | closest | 80.0 | 69.3 | +10.7 ± 2.9 | 3 / 0 | yes |');
});

test('the policy kwargs reach the compared policy only; its rows are exact per seed; the cache answers again', () => {
  const cache = path.join(root, 'episodes');
  // The compared policy is least-impedance on an env whose only action is least-impedance: the
  // same episodes as the baseline of that name, so every difference is exactly 0. `closest` is
  // not among those policies, so it could not run if the kwargs reached it.
  const options = {
    policy: 'least-impedance', label: 'li-only', seeds: 2, seed: 1000, conditions: CONDITIONS, base: BASE,
    baselines: ['least-impedance', 'closest'], policyKwargs: { policies: ['least-impedance'] }, cache,
  };
  const lines: string[] = [];
  const rows = pairedComparison({ ...options, log: (l) => lines.push(l) });
  assert.equal(lines.length, 6); // 3 policies × 2 seeds
  const [li, closest] = rows;
  assert.equal(li.baseline, 'least-impedance');
  assert.equal(li.difference.mean, 0);
  assert.equal(pairedVerdict(li.difference), 'ties');
  const closestRatios = [1000, 1001].map((seed) => evaluate({ env: 'EdgeSched/PolicySelect-v0', policy: 'closest', episodes: 1, seed, kwargs: { ...BASE, rates: [60] } }).metrics.successRatio.values[0]);
  assert.equal(closest.baselineMean, (closestRatios[0] + closestRatios[1]) / 2);
  const liRatios = JSON.parse(fs.readFileSync(path.join(cache, '60', 'li-only.json'), 'utf8')) as Record<string, number>;
  assert.deepEqual(Object.keys(liRatios), ['1000', '1001']);
  const again: string[] = [];
  assert.deepEqual(pairedComparison({ ...options, log: (l) => again.push(l) }), rows);
  assert.equal(again.length, 0);
  // Kwargs that change the episode show they do reach the compared policy: a 2-minute horizon for it alone, long enough to miss deadlines.
  const [shorter] = pairedComparison({ ...options, baselines: ['least-impedance'], policyKwargs: { horizon: '2 min' }, cache: null });
  const ratio = (seed: number, horizon: string): number => evaluate({ env: 'EdgeSched/PolicySelect-v0', policy: 'least-impedance', episodes: 1, seed, kwargs: { horizon, rates: [60] } }).metrics.successRatio.values[0];
  assert.equal(shorter.policyMean, (ratio(1000, '2 min') + ratio(1001, '2 min')) / 2);
  assert.equal(shorter.baselineMean, li.baselineMean);
  assert.notEqual(shorter.policyMean, shorter.baselineMean);
});
