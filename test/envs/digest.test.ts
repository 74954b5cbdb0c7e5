// Digests of what the simulator and the edge envs produce, pinned: every built-in scenario under
// every static policy (the report and every query the observer sees), and each EdgeSched env's
// episodes under each of its baselines. A refactor that changes any outcome, by one bit, fails here.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import '../../envs/index.js';
import { STATIC_POLICIES } from '../../envs/edge/aset/policies.js';
import { BUILTIN_SCENARIOS, scenarioNamed } from '../../envs/edge/scenario/builtin.js';
import { EdgeSimulator } from '../../envs/edge/sim/simulator.js';
import { baselineNames } from '../../envs/baselines.js';
import { evaluate } from '../../envs/evaluate.js';

const SEEDS = [1, 2];
const HORIZON_MS = 4_000;

/** sha256 of the values, first 16 hex digits: JSON keeps every float's exact value (NaN as null). */
function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Every query's ten observed values, as exact numbers. */
class QueryDigest {
  private readonly hash = createHash('sha256');
  private readonly row = new Float64Array(10);
  count = 0;
  readonly observe = (t: number, stream: number, app: number, inst: number, latency: number, outcome: number, service: number, antenna: number, arrival: number, slowdown: number): void => {
    const r = this.row;
    r[0] = t; r[1] = stream; r[2] = app; r[3] = inst; r[4] = latency; r[5] = outcome; r[6] = service; r[7] = antenna; r[8] = arrival; r[9] = slowdown;
    this.hash.update(new Uint8Array(r.buffer));
    this.count++;
  };
  hex(): string {
    return this.hash.digest('hex').slice(0, 16);
  }
}

const SIMULATOR_DIGESTS: Record<string, string> = {
  'aset-cloud': 'c060c1f605e42ce4',
  'aset-full-edge': '1ef7a1aa9d50ab81',
  'aset-mixed': 'ff8f2535cfca311e',
  'ecsrl-jetson': '6bdde2a3add4ba4c',
  'ecsrl-testbed': '7963ec23c930256c',
  'modeldriven-cluster': '19057d7922766f8c',
};

test('every built-in scenario under every static policy: the same reports and queries as pinned', () => {
  assert.deepEqual(Object.keys(SIMULATOR_DIGESTS).sort(), [...BUILTIN_SCENARIOS].sort(), 'a digest per built-in scenario');
  const found: Record<string, string> = {};
  for (const name of BUILTIN_SCENARIOS) {
    const scenario = scenarioNamed(name);
    const runs = [];
    for (const [policy, dispatcher] of Object.entries(STATIC_POLICIES)) {
      for (const seed of SEEDS) {
        const queries = new QueryDigest();
        const sim = new EdgeSimulator(scenario, { seed, dispatcher, onQuery: queries.observe });
        sim.runUntil(HORIZON_MS);
        const report = sim.report();
        assert.equal(queries.count, report.queries, `${name} ${policy} seed ${seed}: every query ends as one outcome`);
        runs.push([policy, seed, report, queries.hex()]);
      }
    }
    found[name] = digest(runs);
  }
  assert.deepEqual(found, SIMULATOR_DIGESTS);
});

/** Short episodes of each env, so every baseline runs in well under a second. */
const ENVS: { id: string; kwargs: Record<string, unknown>; episodes: number }[] = [
  { id: 'EdgeSched/PolicySelect-v0', kwargs: { horizon: '30 s' }, episodes: 2 },
  { id: 'EdgeSched/Dispatch-v0', kwargs: { horizon: '3 s' }, episodes: 2 },
  { id: 'EdgeSched/Placement-v0', kwargs: { maxApps: 15, checkWindow: '2 s' }, episodes: 2 },
];

const ENV_DIGESTS: Record<string, string> = {
  'EdgeSched/PolicySelect-v0': '4c35a0f3cd36b5b2',
  'EdgeSched/Dispatch-v0': 'b78476a915604d8b',
  'EdgeSched/Placement-v0': '39ab0be631e0aff7',
};

test("each EdgeSched env under each of its baselines: the same returns, lengths and outcome metrics as pinned", () => {
  const found: Record<string, string> = {};
  for (const { id, kwargs, episodes } of ENVS) {
    const runs = baselineNames(id).map((policy) => {
      const r = evaluate({ env: id, policy, episodes, seed: 7, kwargs });
      return [policy, r.returns, r.lengths, Object.entries(r.metrics).map(([k, m]) => [k, m.values])];
    });
    found[id] = digest(runs);
  }
  assert.deepEqual(found, ENV_DIGESTS);
});
