// The query log of a vector of EdgeSched envs: on worker threads each worker writes its own part
// of the log, the readers read the parts as one log, and it holds the same queries as the log of
// the same vector run in this thread.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../envs/index.js';
import { isRecordingEnv } from '../../envs/edge/sim/query-observer.js';
import { queryLogSetup } from '../../envs/edge/sim/query-log.js';
import { summarizeReplay } from '../../jobs/replay.js';
import { make } from '../../src/registry.js';
import { ReplayWriteError } from '../../src/replay/segments.js';
import { makeVec, type VectorizationMode } from '../../src/vector/make-vec.js';
import { checkLabels, readQueryLog, type QueryRow } from '../fixtures/query-log.js';

const ID = 'EdgeSched/Dispatch-v0';
const NUM_ENVS = 4;
const STEPS = 300;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-vector-queries-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Steps a vector of Dispatch-v0 envs (2 s episodes) with the first allowed action of each, logging
 * its queries into `dir`; returns each sub-env's finished episodes' request counts.
 */
function run(mode: VectorizationMode, dir: string): number[][] {
  const vec = makeVec(ID, { numEnvs: NUM_ENVS, vectorizationMode: mode, numWorkers: 2, kwargs: { horizon: '2 s' }, setup: queryLogSetup(dir, { writer: 'first-allowed' }) });
  const requests: number[][] = Array.from({ length: NUM_ENVS }, () => []);
  const actions = new Int32Array(NUM_ENVS);
  const firstAllowed = (infos: readonly Record<string, unknown>[]): void => {
    infos.forEach((info, i) => (actions[i] = Math.max(0, (info.actionMask as Uint8Array).indexOf(1))));
  };
  try {
    firstAllowed(vec.reset({ seed: 11 }).infos);
    for (let k = 0; k < STEPS; k++) {
      const r = vec.step(actions);
      r.finalInfos?.forEach((info, i) => {
        if (info !== null) requests[i].push((info.episodeMetrics as Record<string, number>).requests);
      });
      firstAllowed(r.infos);
    }
  } finally {
    vec.close();
  }
  return requests;
}

/** Each sub-env's rows, as sorted strings: the multiset a run's log holds for it. */
function rowsByEnv(rows: readonly QueryRow[]): string[][] {
  const out: string[][] = Array.from({ length: NUM_ENVS }, () => []);
  for (const r of rows) out[r.env].push(JSON.stringify(r));
  return out.map((rs) => rs.sort());
}

test('async --events: a log part per worker, read as one log, the same queries as in this thread', (t) => {
  const asyncDir = tempDir(t);
  const syncDir = tempDir(t);
  const asyncRequests = run('async', asyncDir);
  const syncRequests = run('sync', syncDir);
  assert.deepEqual(asyncRequests, syncRequests, 'the same episodes either way');
  assert.ok(asyncRequests.every((episodes) => episodes.length >= 2), `every sub-env finished episodes: ${JSON.stringify(asyncRequests)}`);

  const files = (dir: string): string[] => fs.readdirSync(dir).sort();
  assert.deepEqual(files(asyncDir), ['queries-w0-00000.arrows', 'queries-w1-00000.arrows'], 'one part per worker thread');
  assert.deepEqual(files(syncDir), ['queries-00000.arrows']);

  const rows = readQueryLog(asyncDir);
  const env = make(ID).unwrapped;
  assert.ok(isRecordingEnv(env));
  checkLabels(rows, env.scenario);
  // Worker 0 holds sub-envs 0 and 1, worker 1 sub-envs 2 and 3; run e of env i is its episode e.
  asyncRequests.forEach((episodes, i) => {
    episodes.forEach((requests, e) => {
      assert.equal(rows.filter((r) => r.env === i && r.run === e).length, requests, `env ${i} episode ${e}: every request ends as one row`);
    });
  });
  assert.deepEqual(rowsByEnv(rows), rowsByEnv(readQueryLog(syncDir)), 'the same rows per sub-env');

  const summary = summarizeReplay(asyncDir).queries!;
  assert.equal(summary.rows, rows.length);
  assert.equal(summary.runs, new Set(rows.map((r) => `${r.env}/${r.run}`)).size, 'runs are counted per sub-env');
  assert.equal(summary.outcomes.success + (summary.outcomes.rejected ?? 0) + (summary.outcomes.late ?? 0), rows.length);
});

test('a vector query log refuses a directory that holds one, before any worker starts', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'queries-w3-00000.arrows'), '');
  assert.throws(() => queryLogSetup(dir), (err: Error) => err instanceof ReplayWriteError && err.message.includes('already holds a queries log'));
});

test('--events needs envs that run a simulator: the error names the env', (t) => {
  const dir = tempDir(t);
  assert.throws(
    () => makeVec('CartPole-v1', { numEnvs: 2, vectorizationMode: 'sync', setup: queryLogSetup(dir) }),
    /CartPole.* runs no edge simulator/,
  );
  assert.deepEqual(fs.readdirSync(dir), [], 'no log file is left behind');
});
