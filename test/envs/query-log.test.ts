// The query log: one row per simulated query, matching the simulator's own report, through
// `simulate` and through the simulators each EdgeSched env builds inside itself, with every label
// valid; and the same log from a vector's sub-envs, whether they run in this thread or on workers.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../envs/index.js';
import { logQueries, OUTCOME_NAMES } from '../../envs/edge/sim/query-log.js';
import { evaluate } from '../../envs/evaluate.js';
import { baselineByName } from '../../envs/baselines.js';
import type { PlacementEnv } from '../../envs/edge/model-driven/placement-env.js';
import { isRecordingEnv } from '../../envs/edge/sim/query-observer.js';
import type { Scenario } from '../../envs/edge/model.js';
import { simulate } from '../../jobs/simulate.js';
import type { Info } from '../../src/env.js';
import { make } from '../../src/registry.js';
import { LogFiles, numberColumn } from '../../src/replay/reader.js';
import { polars, polarsStream } from '../fixtures/polars.js';
import { checkLabels, readQueryLog, type QueryRow } from '../fixtures/query-log.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-queries-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The scenario an env's query log is numbered in. */
function scenarioOf(id: string): Scenario {
  const env = make(id).unwrapped;
  assert.ok(isRecordingEnv(env), `${id} records queries`);
  return env.scenario;
}

test('simulate --events: one row per query, outcomes as the report counts them, results unchanged', (t) => {
  const dir = tempDir(t);
  const options = { scenario: 'aset-full-edge', policy: 'closest', durationMs: 20_000, seed: 4, rate: 60 };
  const plain = simulate(options);
  const logged = simulate({ ...options, events: dir });
  assert.deepEqual({ ...logged.report }, { ...plain.report }, 'logging changes nothing about the simulation');
  const files = new LogFiles(dir, 'queries');
  const batches = [...files.batches()];
  const rows = batches.reduce((n, b) => n + b.numRows, 0);
  assert.equal(rows, plain.report.queries);
  const outcome = numberColumn(batches, 'outcome');
  const count = (code: number): number => outcome.filter((o) => o === code).length;
  assert.equal(count(0), plain.report.success);
  assert.equal(count(4), plain.report.rejected);
  const latency = numberColumn(batches, 'latency_ms');
  const arrival = numberColumn(batches, 'arrival_ms');
  const time = numberColumn(batches, 'time_ms');
  const parts = ['network_ms', 'queue_ms', 'service_ms'].map((c) => numberColumn(batches, c));
  for (let r = 0; r < rows; r++) {
    if (Number.isNaN(latency[r])) continue;
    assert.ok(Math.abs(time[r] - arrival[r] - latency[r]) < 1e-9, 'latency = end − arrival');
    assert.ok(Math.abs(parts[0][r] + parts[1][r] + parts[2][r] - latency[r]) < 1e-9, 'latency = network + queue + service');
  }
  assert.equal(files.schema!.metadata.get('edgegym.scenario'), 'aset-full-edge');

  const pl = polars();
  if (pl !== null) {
    const frame = polarsStream(files.files[0]);
    assert.equal(frame.height, rows);
    const names = frame.getColumn('outcome_name').toArray();
    assert.deepEqual(names.slice(0, 50), Array.from(outcome.subarray(0, 50), (o) => OUTCOME_NAMES[o as 0]), 'dictionary-encoded names read back');
    assert.equal(frame.getColumn('device').nullCount(), Array.from(outcome).filter((_, r) => Number.isNaN(parts[0][r])).length);
  }
});

test('Dispatch-v0: every label valid, and one row per request of each episode, outcomes as its metrics count them', (t) => {
  const dir = tempDir(t);
  const env = 'EdgeSched/Dispatch-v0';
  const result = evaluate({ env, policy: 'edge-first', episodes: 2, seed: 1000, kwargs: { horizon: '20 s' }, events: dir });
  const rows = readQueryLog(dir);
  checkLabels(rows, scenarioOf(env));
  const m = result.metrics;
  for (let e = 0; e < 2; e++) {
    const run = rows.filter((r) => r.env === 0 && r.run === e);
    const requests = m.requests.values[e];
    assert.equal(run.length, requests, `episode ${e}: one row per request the episode counted`);
    assert.equal(run.filter((r) => r.outcomeName === 'success').length, Math.round(m.successRatio.values[e] * requests));
    assert.equal(run.filter((r) => r.outcomeName === 'rejected').length, Math.round(m.rejectionRatio.values[e] * requests));
  }
  assert.equal(rows.length, m.requests.values[0] + m.requests.values[1]);
});

test('PolicySelect-v0: every label valid, and one row per query of each episode, outcomes as its metrics count them', (t) => {
  const dir = tempDir(t);
  const env = 'EdgeSched/PolicySelect-v0';
  const result = evaluate({ env, policy: 'least-impedance', episodes: 2, seed: 5, kwargs: { horizon: '40 s' }, events: dir });
  const rows = readQueryLog(dir);
  checkLabels(rows, scenarioOf(env));
  const m = result.metrics;
  for (let e = 0; e < 2; e++) {
    const run = rows.filter((r) => r.run === e);
    const queries = m.queries.values[e];
    assert.ok(queries > 1000, `episode ${e} has queries to count (${queries})`);
    assert.equal(run.length, queries, `episode ${e}`);
    assert.equal(run.filter((r) => r.outcomeName === 'success').length, Math.round(m.successRatio.values[e] * queries));
    assert.equal(run.filter((r) => r.outcomeName === 'rejected').length, Math.round(m.rejectionRatio.values[e] * queries));
    assert.equal(new Set(run.map((r) => r.application)).size, 3, 'every application of aset-full-edge arrives');
  }
});

test("Placement-v0 (first-fit, seed 3): a run per check, each app's queries labelled with its type, accelerator and variant", (t) => {
  const dir = tempDir(t);
  const env = make('EdgeSched/Placement-v0');
  const inner = env.unwrapped as PlacementEnv;
  const log = logQueries(env, dir, { writer: 'first-fit' });
  const policy = baselineByName('first-fit', env, 0, 'EdgeSched/Placement-v0');
  const infos: Info[] = [];
  try {
    let { observation, info } = env.reset({ seed: 3 });
    for (;;) {
      const r = env.step(policy.act(observation, info) as number);
      infos.push(r.info);
      if (r.terminated || r.truncated) break;
      ({ observation, info } = r);
    }
  } finally {
    log.close();
  }
  const rows = readQueryLog(dir);
  assert.ok(rows.length > 4000, `${rows.length} rows`);
  checkLabels(rows, inner.scenario);
  // Each step that placed an app ran one check, of the chosen accelerator's apps with the new one.
  const checks = infos.filter((i) => i.outcome === 'hosted' || i.outcome === 'violation');
  assert.equal(new Set(rows.map((r) => r.run)).size, checks.length);
  const hosted: string[][] = [];
  checks.forEach((info, run) => {
    const streams = new Map<number, QueryRow[]>();
    for (const r of rows) if (r.run === run) streams.set(r.stream, [...(streams.get(r.stream) ?? []), r]);
    const key = (app: unknown, antenna: unknown, accelerator: unknown, variant: unknown): string => `${String(app)} from ${String(antenna)} on ${String(accelerator)}/${String(variant)}`;
    const candidate = [info.application, info.antenna, info.accelerator, info.variant];
    const expected = [...hosted.filter((h) => h[2] === info.accelerator), candidate].map((h) => key(...(h as [unknown, unknown, unknown, unknown])));
    const found = [...streams.values()].map((qs) => {
      const q = qs.find((r) => r.device !== null)!;
      for (const r of qs) assert.deepEqual([r.application, r.antenna], [q.application, q.antenna], `run ${run}: one app per stream`);
      return key(q.application, q.antenna, q.device, q.variant);
    });
    assert.deepEqual(found.sort(), expected.sort(), `check ${run} (${info.outcome})`);
    const worst = Math.max(...[...streams.values()].map((qs) => qs.filter((r) => r.outcomeName !== 'success').length / qs.length));
    assert.equal(worst, info.violationRatio, `check ${run}: the env judged the queries the log holds`);
    if (info.outcome === 'hosted') hosted.push(candidate as string[]);
  });
});
