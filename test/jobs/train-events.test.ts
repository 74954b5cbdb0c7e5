// `edgegym train --events` with sub-envs on worker threads: each worker writes its own part of the
// query log, and the log holds the same queries, sub-env by sub-env, as a run in one thread.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readQueryLog, type QueryRow } from '../fixtures/query-log.js';

const CLI = fileURLToPath(new URL('../../bin/edgegym.js', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-train-events-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Trains PPO on 4 Dispatch-v0 envs (2 s episodes) for 1,024 steps, logging queries into `<root>/<name>`. */
function train(name: string, vectorization: 'sync' | 'async'): { dir: string; episodes: string[] } {
  const dir = path.join(root, name);
  const out = path.join(root, `${name}-run`);
  const args = [
    CLI, 'train', '--env', 'EdgeSched/Dispatch-v0', '--kwargs', '{"horizon": "2 s"}', '--vectorization', vectorization, ...(vectorization === 'async' ? ['--workers', '2'] : []),
    '--num-envs', '4', '--num-steps', '64', '--minibatches', '1', '--epochs', '1', '--steps', '1024', '--seed', '3', '--backend', 'wasm', '--quiet', '--out', out, '--events', dir,
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // episodes.csv: global_step, return, length, seconds — one row per finished episode.
  const episodes = fs.readFileSync(path.join(out, 'episodes.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').slice(0, 3).join(','));
  return { dir, episodes };
}

const bySubEnv = (rows: readonly QueryRow[]): string[][] => [0, 1, 2, 3].map((i) => rows.filter((r) => r.env === i).map((r) => JSON.stringify(r)).sort());

test('train --vectorization async --events: a part per worker, the same queries per sub-env as a sync run', () => {
  const async = train('async', 'async');
  const sync = train('sync', 'sync');
  assert.deepEqual(async.episodes, sync.episodes, 'the same training either way');
  assert.ok(async.episodes.length >= 6, `episodes finished: ${async.episodes.length}`);
  assert.deepEqual(fs.readdirSync(async.dir).sort(), ['queries-w0-00000.arrows', 'queries-w1-00000.arrows']);
  const rows = readQueryLog(async.dir);
  // Every finished episode's requests are its rows: a Dispatch-v0 episode's length is its requests
  // with a choice, so its run holds at least that many rows, one per request that ended.
  const runs = new Set(rows.map((r) => `${r.env}/${r.run}`));
  assert.ok(runs.size >= async.episodes.length, `${runs.size} runs for ${async.episodes.length} finished episodes`);
  assert.deepEqual(bySubEnv(rows), bySubEnv(readQueryLog(sync.dir)));
});
