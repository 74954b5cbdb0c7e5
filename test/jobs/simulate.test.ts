// `edgegym simulate` as a function: schedules, built-in scenarios, reproducible reports.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulate, stepSchedule } from '../../jobs/simulate.js';

test('stepSchedule holds each λ for one step', () => {
  assert.deepEqual(stepSchedule([20, 60, 100], 150_000), [
    { atMs: 0, clientsPerMinute: 20 },
    { atMs: 150_000, clientsPerMinute: 60 },
    { atMs: 300_000, clientsPerMinute: 100 },
  ]);
  assert.throws(() => stepSchedule([20, -1], 1000), /non-negative/);
  assert.throws(() => stepSchedule([20], 0), /positive time/);
});

test("ECSRL's load: about 17,000 requests in 5 minutes, i.e. 56.7 per second", () => {
  const { report } = simulate({ scenario: 'ecsrl-jetson', policy: 'least-impedance', durationMs: 60_000, seed: 1 });
  // Poisson arrivals: 3,400 expected in a minute, standard deviation √3400 ≈ 58.
  assert.ok(Math.abs(report.queries - 3400) < 5 * 58, `queries ${report.queries}`);
});

test('the same seed gives the same report; a schedule that starts at 0 clients/min brings none', () => {
  const run = () => simulate({ scenario: 'modeldriven-cluster', policy: 'least-impedance', durationMs: 30_000, seed: 4 }).report;
  assert.deepEqual(run(), run());
  const quiet = simulate({ scenario: 'aset-cloud', policy: 'closest', durationMs: 10_000, seed: 1, schedule: [0, 100], stepMs: 10_000 });
  assert.equal(quiet.report.streams.arrived, 0);
  const busy = simulate({ scenario: 'aset-cloud', policy: 'closest', durationMs: 12_000, seed: 1, schedule: [0, 100], stepMs: 10_000 });
  assert.ok(busy.report.streams.arrived > 0);
});

test('an unknown policy or scenario says what is known', () => {
  assert.throws(() => simulate({ scenario: 'aset-cloud', policy: 'smart', durationMs: 1000, seed: 1 }), /unknown scheduling policy "smart"; known: closest, load-balancing/);
  assert.throws(() => simulate({ scenario: 'aset-nowhere', policy: 'closest', durationMs: 1000, seed: 1 }), /unknown scenario "aset-nowhere": not a built-in \(aset-full-edge/);
});
