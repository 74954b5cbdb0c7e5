// The edge simulator against hand-computed cases and queueing theory: exact latencies and
// energy for one stream, M/M/1 and M/D/1 waiting times, interference, memory, EdgeTPU swaps,
// and determinism of the random streams.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Outcome, type OutcomeCode } from '../../envs/edge/sim/metrics.js';
import { EdgeSimulator } from '../../envs/edge/sim/simulator.js';
import { fixedDispatcher, tinyScenario } from '../fixtures/edge-scenarios.js';

interface Logged {
  time: number;
  stream: number;
  instance: number;
  latency: number;
  outcome: OutcomeCode;
}

function logged(scenario: ReturnType<typeof tinyScenario>, dispatcher = fixedDispatcher(0), seed = 1, untilMs = 1000): { log: Logged[]; sim: EdgeSimulator } {
  const log: Logged[] = [];
  const sim = new EdgeSimulator(scenario, { seed, dispatcher, onQuery: (time, stream, _app, instance, latency, outcome) => log.push({ time, stream, instance, latency, outcome }) });
  sim.runUntil(untilMs);
  return { log, sim };
}

describe('one device, one stream, by hand', () => {
  // Queries leave at 0, 100, 200 ms (a 250 ms stream at 10 fps). Each crosses the radio
  // (10 kB · 8 / 8 Mb/s = 10 ms) and one 2 ms link at 80 Mb/s (2 ms + 80 kbit / 80 Mb/s = 3 ms):
  // 13 ms of network. Service takes 20 ms, so every latency is 33 ms, under the 40 ms budget.
  test('latency = uplink + network path + service, with no queueing', () => {
    const { log } = logged(tinyScenario({ remote: true, trace: [{ atMs: 0, antenna: 0, application: 0 }] }));
    assert.deepEqual(log.map((q) => q.time), [33, 133, 233]);
    assert.deepEqual(log.map((q) => q.latency), [33, 33, 33]);
    assert.ok(log.every((q) => q.outcome === Outcome.SUCCESS));
  });

  test('per-query dispatch (ECSRL) gives the same timings as a bound stream', () => {
    const { log } = logged(tinyScenario({ remote: true, trace: [{ atMs: 0, antenna: 0, application: 0 }] }), fixedDispatcher(0, 'query'));
    assert.deepEqual(log.map((q) => [q.time, q.latency]), [[33, 33], [133, 33], [233, 33]]);
  });

  test('energy: idle power all along plus the active surplus while busy', () => {
    const { sim } = logged(tinyScenario({ remote: true, trace: [{ atMs: 0, antenna: 0, application: 0 }] }));
    const report = sim.report();
    // 1 s at 2 W idle, plus (10 − 2) W over 3 × 20 ms busy = 2 + 0.48 J.
    assert.ok(Math.abs(report.energyJ - 2.48) < 1e-9, `energy ${report.energyJ}`);
    assert.ok(Math.abs(report.devices[0].utilisation - 0.06) < 1e-12);
    assert.equal(report.queries, 3);
    assert.equal(report.successRatio, 1);
  });

  test('queueing: a 25 ms service every 10 ms backs queries up', () => {
    // Generated at 0, 10, 20; arrive at 13, 23, 33. q0 runs 13–38; q1 waits, runs 38–63;
    // q2 runs 63–88. Latencies 38, 53, 68 ms; the budget of 40 makes the last two late.
    const { log } = logged(
      tinyScenario({ remote: true, variants: [{ latencyMs: 25 }], application: { frameIntervalMs: 10, duration: { kind: 'fixed', valueMs: 25 } }, trace: [{ atMs: 0, antenna: 0, application: 0 }] }),
    );
    assert.deepEqual(log.map((q) => q.latency), [38, 53, 68]);
    assert.deepEqual(log.map((q) => q.outcome), [Outcome.SUCCESS, Outcome.LATE, Outcome.LATE]);
  });

  test('a variant below the required accuracy is a QoS violation, and says so', () => {
    const { log, sim } = logged(tinyScenario({ variants: [{ latencyMs: 5, accuracy: 0.6 }], trace: [{ atMs: 0, antenna: 0, application: 0 }] }));
    assert.ok(log.every((q) => q.outcome === Outcome.INACCURATE));
    const r = sim.report();
    assert.deepEqual([r.violations, r.inaccurate, r.late, r.success], [3, 3, 0, 0]);
  });
});

describe('queueing theory over long seeded runs', () => {
  // One query per stream (duration shorter than a frame), Poisson stream arrivals, queries
  // reach the device at once: an M/·/1 queue with arrival rate λ and service rate μ.
  const serviceMs = 1;
  const rho = 0.7;
  const lambdaPerMs = rho / serviceMs;
  const scenario = (noise: 'exponential' | 'deterministic') =>
    tinyScenario({
      variants: [{ latencyMs: serviceMs }],
      noise: { kind: noise },
      maxQueue: 100_000,
      rate: lambdaPerMs * 60_000,
      application: { frameIntervalMs: 1e9, duration: { kind: 'fixed', valueMs: 1 }, latencyBudgetMs: 1e9 },
    });

  function meanWait(noise: 'exponential' | 'deterministic'): number {
    const sim = new EdgeSimulator(scenario(noise), { seed: 7, dispatcher: fixedDispatcher(0) });
    sim.runUntil(600_000); // ~420,000 queries
    const r = sim.report();
    assert.equal(r.rejected, 0);
    return r.latency.mean - serviceMs;
  }

  test('M/M/1: mean wait within 3 % of ρ / (μ − λ)', () => {
    const expected = rho / (1 / serviceMs - lambdaPerMs); // 2.333 ms
    const wait = meanWait('exponential');
    assert.ok(Math.abs(wait / expected - 1) < 0.03, `M/M/1 wait ${wait} vs ${expected}`);
  });

  test('M/D/1: mean wait within 3 % of Pollaczek–Khinchine ρ / (2μ(1 − ρ))', () => {
    const expected = (rho * serviceMs) / (2 * (1 - rho)); // 1.1667 ms
    const wait = meanWait('deterministic');
    assert.ok(Math.abs(wait / expected - 1) < 0.03, `M/D/1 wait ${wait} vs ${expected}`);
  });
});

describe('interference, memory and EdgeTPU swaps', () => {
  const twoStreams = [
    { atMs: 0, antenna: 0, application: 0 },
    { atMs: 5, antenna: 0, application: 0 },
  ];
  const oneQueryEach = { duration: { kind: 'fixed' as const, valueMs: 1 }, latencyBudgetMs: 1e6 };

  test('linear: a batch starting beside a running one takes 1 + slope × co-runners as long', () => {
    const scenario = tinyScenario({ variants: [{ latencyMs: 20 }, { latencyMs: 20 }], interference: { kind: 'linear', slope: 0.5 }, application: oneQueryEach, trace: twoStreams });
    const { log } = logged(scenario, fixedDispatcher((s) => s));
    // Stream 0's query runs alone: 20 ms. Stream 1's starts at 5 ms beside it: 20 × 1.5 = 30 ms.
    assert.deepEqual(log.map((q) => q.latency), [20, 30]);
  });

  test("two jobs on one device: ECSRL's degradation per query and power that grows with the batches running", () => {
    const run = (powerSaturation: number) => {
      const scenario = tinyScenario({ variants: [{ latencyMs: 20 }, { latencyMs: 20 }], interference: { kind: 'linear', slope: 0.5 }, powerSaturation, application: oneQueryEach, trace: twoStreams });
      const slowdowns: number[] = [];
      const services: number[] = [];
      const sim = new EdgeSimulator(scenario, {
        seed: 1,
        dispatcher: fixedDispatcher((s) => s),
        onQuery: (_t, _s, _a, _i, _l, _o, service, _antenna, _arrival, slowdown) => (services.push(service), slowdowns.push(slowdown)),
      });
      sim.runUntil(1000);
      return { sim, slowdowns, services };
    };
    // Query 0 runs 0–20 ms, alone when it started: d = 1. Query 1 starts at 5 ms beside it:
    // 20 × 1.5 = 30 ms, to 35 ms: d = 30 / 20 = 1.5 (running time with its co-runner over alone).
    const half = run(2);
    assert.deepEqual(half.slowdowns, [1, 1.5]);
    assert.deepEqual(half.services, [20, 30]);
    // Batches running: 1 on [0, 5), 2 on [5, 20), 1 on [20, 35). At saturation 2 the power level is
    // 0.5, 1, 0.5: 5·0.5 + 15·1 + 15·0.5 = 25 ms at full surplus. Energy over 1 s: 2 W · 1 s + 8 W · 25 ms.
    assert.ok(Math.abs(half.sim.activeMs(0) - 25) < 1e-12, `active ${half.sim.activeMs(0)}`);
    assert.equal(half.sim.busyMs(0), 35);
    const report = half.sim.report();
    assert.ok(Math.abs(report.energyJ - 2.2) < 1e-12, `energy ${report.energyJ}`);
    assert.ok(Math.abs(report.devices[0].utilisation - 0.035) < 1e-12);
    // Saturation 1 (the default): full active power whenever anything runs, 35 ms: 2.28 J.
    const full = run(1);
    assert.equal(full.sim.activeMs(0), 35);
    assert.ok(Math.abs(full.sim.report().energyJ - 2.28) < 1e-12);
  });

  test('load scale multiplies the arrival rate: twice the streams on average', () => {
    const count = (loadScale: number): number => {
      const sim = new EdgeSimulator(tinyScenario({ rate: 60 }), { seed: 3, dispatcher: fixedDispatcher(0), loadScale });
      sim.runUntil(600_000);
      return sim.report().streams.arrived;
    };
    const base = count(1);
    // λ = 60/min for 10 min: 600 streams expected (Poisson, sd ≈ 24.5); at scale 2, 1,200 (sd ≈ 35).
    assert.ok(Math.abs(base - 600) < 5 * 24.5, `scale 1: ${base}`);
    assert.ok(Math.abs(count(2) - 1200) < 5 * 35, `scale 2: ${count(2)}`);
    assert.equal(count(0), 0);
    assert.throws(() => new EdgeSimulator(tinyScenario(), { seed: 1, dispatcher: fixedDispatcher(0), loadScale: -1 }), /loadScale must be a finite number ≥ 0, got -1/);
  });

  test('matrix: factors by co-runner counts, and Infinity means the device refuses', () => {
    const factors = new Map([[1, [[1, 1], [1.4, Infinity]]]]); // variant 1's factor by [running v0][running v1]
    const scenario = tinyScenario({ variants: [{ latencyMs: 20 }, { latencyMs: 10 }], interference: { kind: 'matrix', variants: [0, 1], factors }, application: oneQueryEach, trace: twoStreams });
    const { log } = logged(scenario, fixedDispatcher((s) => s));
    // By stream: v0 alone 20 ms; v1 starts at 5 ms beside one running v0: 10 ms × 1.4.
    assert.deepEqual(log.sort((a, b) => a.stream - b.stream).map((q) => q.latency), [20, 14]);
    const refused = tinyScenario({
      variants: [{ latencyMs: 20 }, { latencyMs: 10 }],
      interference: { kind: 'matrix', variants: [0, 1], factors: new Map([[1, [[1], [Infinity]]]]) },
      application: oneQueryEach,
      trace: twoStreams,
    });
    const second = logged(refused, fixedDispatcher((s) => s)).log;
    assert.deepEqual(second.map((q) => q.outcome).sort(), [Outcome.SUCCESS, Outcome.REJECTED]);
  });

  test('replicas of one model run at once and count as co-runners in the matrix', () => {
    // Three replicas of v0; v0's factor by how many v0 batches already run: 1, 1.5, 2.
    const scenario = tinyScenario({
      variants: [{ latencyMs: 20, replicas: 3 }],
      interference: { kind: 'matrix', variants: [0], factors: new Map([[0, [1, 1.5, 2]]]) },
      application: oneQueryEach,
      trace: [0, 1, 2].map((atMs) => ({ atMs, antenna: 0, application: 0 })),
    });
    const { log } = logged(scenario, fixedDispatcher((s) => s));
    assert.deepEqual(log.sort((a, b) => a.stream - b.stream).map((q) => [q.instance, q.latency]), [[0, 20], [1, 30], [2, 40]]);
  });

  test('a variant that does not fit the free memory is refused', () => {
    const scenario = tinyScenario({ variants: [{ latencyMs: 5, memoryBytes: 5e6 }, { latencyMs: 5, memoryBytes: 5e6 }], memoryBytes: 8e6, trace: twoStreams });
    const { log, sim } = logged(scenario, fixedDispatcher((s) => s));
    assert.ok(log.filter((q) => q.stream === 1).every((q) => q.outcome === Outcome.REJECTED), 'stream 1 needs 10 MB in all');
    assert.ok(log.filter((q) => q.stream === 0).every((q) => q.outcome === Outcome.SUCCESS));
    assert.deepEqual(sim.report().streams, { arrived: 2, rejected: 1 });
  });

  const tpu = (memoryBytes: number) =>
    tinyScenario({
      variants: [{ latencyMs: 2, memoryBytes }, { latencyMs: 2, memoryBytes }],
      execution: { kind: 'time-shared', onChipBytes: 8e6, swapBytesPerMs: 1e6 },
      application: { frameIntervalMs: 10, duration: { kind: 'fixed', valueMs: 30 }, latencyBudgetMs: 1e6 },
      trace: [
        { atMs: 0, antenna: 0, application: 0 },
        { atMs: 5, antenna: 0, application: 0 },
      ],
    });

  test('EdgeTPU: models over 8 MB together pay a reload on every switch', () => {
    // Two 5 MB models alternate, queries made at 0 (v0), 5 (v1), 10 (v0), 15, 20, 25. The first
    // load is free; each switch after it reloads 5 MB at 1 MB/ms (5 ms) before the 2 ms run:
    //   v0 0–2 · v1 5–12 · v0 12–19 · v1 19–26 · v0 26–33 · v1 33–40
    const { log } = logged(tpu(5e6), fixedDispatcher((s) => s));
    assert.deepEqual(log.map((q) => q.latency), [2, 7, 9, 11, 13, 15]);
  });

  test('EdgeTPU: models that fit the 8 MB on-chip memory together switch for free', () => {
    const { log } = logged(tpu(3e6), fixedDispatcher((s) => s));
    assert.deepEqual(log.map((q) => q.latency), [2, 2, 2, 2, 2, 2]);
  });
});

describe('determinism', () => {
  const busy = () => tinyScenario({ variants: [{ latencyMs: 4 }, { latencyMs: 6 }], noise: { kind: 'lognormal', cv: 0.3 }, rate: 600, application: { frameIntervalMs: 33, duration: { kind: 'exponential', meanMs: 2000 } } });
  const randomPick = { name: 'random', granularity: 'stream' as const, choose: (_s: unknown, _r: unknown, rng: { int(n: number): number }) => rng.int(2) };

  test('the same seed gives the same per-query outcomes', () => {
    const a = logged(busy(), randomPick, 3, 20_000).log;
    const b = logged(busy(), randomPick, 3, 20_000).log;
    assert.ok(a.length > 1000);
    assert.deepEqual(a, b);
    assert.notDeepEqual(logged(busy(), randomPick, 4, 20_000).log, a);
  });

  test("a policy's random draws do not move arrivals", () => {
    // Every stream passes through the dispatcher once: record when it came and for what.
    const arrivals = (choose: (rng: { int(n: number): number }) => number): string[] => {
      const seen: string[] = [];
      const dispatcher = {
        name: 'recording',
        granularity: 'stream' as const,
        choose: (_s: unknown, r: { timeMs: number; application: number; stream: number }, rng: { int(n: number): number }) => {
          seen.push(`${r.stream}@${r.timeMs}:${r.application}`);
          return choose(rng);
        },
      };
      new EdgeSimulator(busy(), { seed: 3, dispatcher }).runUntil(20_000);
      return seen;
    };
    const withRandomPolicy = arrivals((rng) => rng.int(2));
    const withFixedPolicy = arrivals(() => 0);
    assert.ok(withRandomPolicy.length > 100);
    assert.deepEqual(withRandomPolicy, withFixedPolicy);
  });
});
