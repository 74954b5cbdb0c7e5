// The rollout oracle on PolicySelect-v0: its choices recomputed window by window through the
// env's own API, its episode replayed, ties kept on the base policy, bad input named.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PolicySelectEnv } from '../../envs/edge/aset/policy-select-env.js';
import { formatOracle, oracleEpisode, oracleStudy } from '../../experiments/policy-select-oracle.js';

// Two 5 s windows at λ = 100: enough load that the static policies serve different counts.
const KWARGS = { rates: [100], window: '5 s', horizon: '10 s' };

/** Successes in each window after `prefix`, with `next` played. */
function windowSuccesses(prefix: number[], next: number[]): number[] {
  const env = new PolicySelectEnv(KWARGS);
  env.reset({ seed: 5 });
  for (const a of prefix) env.step(a);
  return next.map((a) => env.step(a).info.successes as number);
}

test('oracle: each window keeps the policy that serves most over the window and the lookahead, ties on the base', () => {
  const names = new PolicySelectEnv(KWARGS).policies.map((p) => p.name);
  const base = names.indexOf('least-impedance');
  const episode = oracleEpisode({ kwargs: KWARGS, seed: 5, lookahead: 1 });
  assert.equal(episode.actions.length, 2);
  // Window 0: the tried policy, then least-impedance for window 1 (lookahead 1).
  // The first policy with the most successes, unless the base policy has as many.
  const pick = (xs: number[]): number => (xs[base] === Math.max(...xs) ? base : xs.indexOf(Math.max(...xs)));
  const first = names.map((_, a) => windowSuccesses([], [a, base]).reduce((x, y) => x + y, 0));
  assert.equal(episode.actions[0], pick(first));
  // Window 1 is the last: no lookahead left.
  const second = names.map((_, a) => windowSuccesses([episode.actions[0]], [a])[0]);
  assert.equal(episode.actions[1], pick(second));
  assert.ok(new Set(first).size > 1, 'the static policies differ here, so the test can tell choices apart');
});

test('oracle: the episode ratios are those of replaying its actions and of the base policy throughout', () => {
  const episode = oracleEpisode({ kwargs: KWARGS, seed: 5, lookahead: 1 });
  const replay = (actions: number[]): number => {
    const env = new PolicySelectEnv(KWARGS);
    env.reset({ seed: 5 });
    let metrics: Record<string, number> = {};
    for (const a of actions) metrics = (env.step(a).info.episodeMetrics as Record<string, number> | undefined) ?? metrics;
    return metrics.successRatio;
  };
  const base = new PolicySelectEnv(KWARGS).policies.findIndex((p) => p.name === 'least-impedance');
  assert.equal(episode.successRatio, replay(episode.actions));
  assert.equal(episode.baseSuccessRatio, replay([base, base]));
  const total = (actions: number[]): number => windowSuccesses([], actions).reduce((x, y) => x + y, 0);
  assert.ok(total(episode.actions) >= total([base, base]), 'with the rest of the episode in view the oracle serves at least as many as the base');
  assert.deepEqual(oracleEpisode({ kwargs: KWARGS, seed: 5, lookahead: 1 }), episode, 'the same seed gives the same study');
});

test('oracle: the study pairs oracle and base per seed and counts the choices; a bad base is named', () => {
  const rows = oracleStudy({ short: KWARGS }, { seeds: 2, seed: 5, lookahead: 1 });
  assert.equal(rows[0].episodes.length, 2);
  const diffs = rows[0].episodes.map((e) => e.successRatio - e.baseSuccessRatio);
  assert.ok(Math.abs(rows[0].difference.mean - (diffs[0] + diffs[1]) / 2) < 1e-15);
  assert.equal(Object.values(rows[0].choices).reduce((a, b) => a + b, 0), 4);
  assert.match(formatOracle(rows, 'least-impedance', 1), /\| short \| [\d.]+ \| [\d.]+ \| -?[\d.]+ ± [\d.]+ \|/);
  assert.throws(() => oracleEpisode({ kwargs: KWARGS, seed: 5, lookahead: 1, base: 'fastest' }), /base policy "fastest" is not among the env's policies \(closest, /);
});
