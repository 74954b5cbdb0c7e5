// The query log: one row per simulated query, matching the simulator's own report, through
// `simulate` and through the simulators envs build inside themselves.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../envs/index.js';
import { OUTCOME_NAMES } from '../../envs/edge/sim/query-log.js';
import { evaluate } from '../../envs/evaluate.js';
import { simulate } from '../../jobs/simulate.js';
import { LogFiles, numberColumn } from '../../src/replay/reader.js';
import { polars, polarsStream } from '../fixtures/polars.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-queries-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
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

test("eval --events: the simulators an env builds inside itself feed the log", (t) => {
  const dir = tempDir(t);
  const result = evaluate({ env: 'EdgeSched/Dispatch-v0', policy: 'edge-first', episodes: 1, seed: 1000, events: dir });
  const batches = [...new LogFiles(dir, 'queries').batches()];
  const rows = batches.reduce((n, b) => n + b.numRows, 0);
  assert.equal(rows, result.metrics.requests.values[0], "one row per query the env's episode counted");
});
