// Step logs as a user meets them: the wrapper changes nothing, every vector env feeds the same
// rows, the files read back bit for bit with our reader and with polars, bad input is named.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Field, Int32, RecordBatchStreamWriter, Schema, makeData, RecordBatch, Struct } from 'apache-arrow';
import '../../envs/index.js';
import { make } from '../../src/registry.js';
import { readStepLog } from '../../src/replay/reader.js';
import { RecordReplay, RecordReplayVector } from '../../src/replay/record-replay.js';
import { ReplayFormatError, STEP_LOG_FORMAT } from '../../src/replay/schema.js';
import { ReplayWriteError } from '../../src/replay/segments.js';
import { ReplayLogger } from '../../src/replay/step-log.js';
import { Rng } from '../../src/rng.js';
import { makeVec, type VectorizationMode } from '../../src/vector/make-vec.js';
import { polars, polarsStream } from '../fixtures/polars.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-replay-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs CartPole for `episodes` episodes with seeded random actions, recording what it saw. */
function cartPoleRun(dir: string | null, episodes: number) {
  const base = make('CartPole-v1');
  const env = dir === null ? base : new RecordReplay(base, { dir, batchRows: 50 });
  const rng = new Rng(11);
  const seen = { observations: [] as number[][], actions: [] as number[], rewards: [] as number[] };
  for (let e = 0; e < episodes; e++) {
    let { observation } = env.reset({ seed: 100 + e });
    seen.observations.push([...(observation as Float32Array)]);
    for (;;) {
      const action = rng.int(2);
      const r = env.step(action);
      seen.actions.push(action);
      seen.rewards.push(r.reward);
      observation = r.observation;
      seen.observations.push([...(observation as Float32Array)]);
      if (r.terminated || r.truncated) break;
    }
  }
  env.close();
  return seen;
}

test('RecordReplay changes nothing about the env, and the log holds every step bit for bit', (t) => {
  const dir = tempDir(t);
  const plain = cartPoleRun(null, 3);
  const logged = cartPoleRun(dir, 3);
  assert.deepEqual(logged, plain, 'same observations, actions and rewards with and without the wrapper');

  const reader = readStepLog(dir, { envId: 'CartPole-v1' });
  const episodes = [...reader.episodes()];
  assert.equal(episodes.length, 3);
  assert.deepEqual(episodes.map((e) => e.seed), [100, 101, 102]);
  assert.ok(episodes.every((e) => e.complete && e.observations.length === (e.rewards.length + 1) * 4), 'each episode keeps its final observation');
  assert.deepEqual(episodes.flatMap((e) => [...e.observations]), plain.observations.flat(), 'observations bit for bit (float32)');
  assert.deepEqual(episodes.flatMap((e) => e.actions), plain.actions);
  assert.deepEqual(episodes.flatMap((e) => [...e.rewards]), plain.rewards);
  assert.ok(episodes.every((e) => e.terminations.at(-1)! + e.truncations.at(-1)! === 1), 'the last step of each episode ends it');

  const spec = reader.spec!;
  assert.equal(spec.envId, 'CartPole-v1');
  assert.equal(spec.observationSpace.toString(), make('CartPole-v1').observationSpace.toString());
  const schema = reader.files.schema!;
  assert.equal(schema.metadata.get('edgegym.format'), STEP_LOG_FORMAT);
  assert.deepEqual(JSON.parse(schema.metadata.get('gymnasium.action_space')!), { type: 'Discrete', dtype: 'int64', start: 0, n: 2 });
  assert.ok(reader.files.segments()[0].batches > 1, 'rows were written in several bounded batches');
});

function vectorRows(mode: VectorizationMode, dir: string) {
  const env = new RecordReplayVector(makeVec('CartPole-v1', { numEnvs: 4, vectorizationMode: mode, numWorkers: 2 }), { dir, batchRows: 64 });
  env.reset({ seed: 3 });
  const actions = new Int32Array(4);
  let steps = 0;
  for (let t = 0; t < 150; t++) {
    for (let i = 0; i < 4; i++) actions[i] = (t * 7 + i * 3) % 2;
    env.step(actions);
    steps += 4;
  }
  env.close();
  return { steps, rows: [...readStepLog(dir).steps()].map((r) => ({ ...r, observation: [...r.observation] })) };
}

test('one log from a SyncVectorEnv, an AsyncVectorEnv or the native CartPole vector: the same rows', (t) => {
  const native = vectorRows('vector-entry-point', tempDir(t));
  const sync = vectorRows('sync', tempDir(t));
  const async = vectorRows('async', tempDir(t));
  assert.equal(native.rows.filter((r) => !r.final).length, native.steps, 'one row per sub-env step, plus one final row per episode');
  assert.deepEqual(sync.rows, native.rows);
  assert.deepEqual(async.rows, native.rows);
  const ids = new Set(native.rows.map((r) => r.episodeId));
  assert.equal(ids.size, native.rows.filter((r) => r.final).length, 'episode ids are unique across sub-envs, one final row each');
  assert.deepEqual(native.rows.filter((r) => r.seed !== null).map((r) => r.seed), [3, 4, 5, 6], 'seed on the first row of each seeded episode');
});

test('polars reads the log: row counts and values are what the env produced', (t) => {
  const pl = polars();
  if (pl === null) return t.skip('nodejs-polars has no build installed for this platform');
  const dir = tempDir(t);
  const { rows } = vectorRows('vector-entry-point', dir);
  const files = readStepLog(dir).files.files;
  const frames = files.map((f) => polarsStream(f));
  assert.equal(frames.reduce((n, f) => n + f.height, 0), rows.length);
  const col = (name: string): unknown[] => frames.flatMap((f) => f.getColumn(name).toArray());
  assert.deepEqual(col('episode_id').map(Number), rows.map((r) => r.episodeId));
  assert.deepEqual(col('step'), rows.map((r) => r.step));
  assert.deepEqual(col('actions').map((a) => (a === null ? null : Number(a))), rows.map((r) => r.action));
  assert.deepEqual(col('rewards'), rows.map((r) => (r.final ? null : r.reward)));
  assert.deepEqual(col('terminations'), rows.map((r) => (r.final ? null : r.terminated)));
  const obs = col('observations').map((o) => Array.from(o as ArrayLike<number>));
  assert.deepEqual(obs, rows.map((r) => r.observation), 'float32 observations identical in both readers');
});

test('Dispatch-v0: action masks and numeric infos get their own columns', (t) => {
  const dir = tempDir(t);
  const env = new RecordReplay(make('EdgeSched/Dispatch-v0'), { dir, writer: 'first-allowed' });
  let { info } = env.reset({ seed: 1 });
  const masks: number[][] = [];
  for (let k = 0; k < 30; k++) {
    const mask = info.actionMask as Uint8Array;
    masks.push([...mask]);
    info = env.step(mask.indexOf(1)).info;
  }
  env.close();
  const reader = readStepLog(dir);
  assert.equal(reader.spec!.maskSize, 36); // ecsrl-testbed: 6 devices × 6 variants
  assert.deepEqual(reader.spec!.infoKeys, ['simSeed']);
  const batch = [...reader.batches()][0];
  const logged = Array.from({ length: 30 }, (_, r) => Array.from(batch.getChild('masks')!.get(r) as Iterable<boolean>, Number));
  assert.deepEqual(logged, masks, "row t's mask is the one its action obeyed");
  assert.equal(typeof batch.getChild('info.simSeed')!.get(0), 'number');
});

test('a writer refuses to overwrite a log, says which path it cannot write, and appends when asked', (t) => {
  const dir = tempDir(t);
  cartPoleRun(dir, 1);
  const file = path.join(dir, 'steps-00000.arrows');
  const before = fs.readFileSync(file);
  assert.throws(() => cartPoleRun(dir, 1), (err: Error) => err instanceof ReplayWriteError && err.message.includes(dir) && /already holds/.test(err.message));
  assert.deepEqual(fs.readFileSync(file), before, 'the existing log is untouched');

  const notDir = path.join(dir, 'steps-00000.arrows');
  assert.throws(() => new RecordReplay(make('CartPole-v1'), { dir: notDir }), (err: Error) => err instanceof ReplayWriteError && err.message.includes(notDir) && /is a file/.test(err.message));

  const env = make('CartPole-v1');
  const logger = new ReplayLogger(dir, { envId: 'CartPole-v1', observationSpace: env.observationSpace, actionSpace: env.actionSpace, append: true });
  const appended = new RecordReplay(env, logger);
  appended.reset({ seed: 9 });
  appended.step(0);
  appended.close();
  const ids = [...readStepLog(dir).steps()].map((r) => r.episodeId);
  assert.deepEqual([...new Set(ids)], [0, 1], 'appended episodes continue the numbering');
  assert.equal(readStepLog(dir).files.files.length, 2, 'appending adds a segment, never rewrites one');
});

test('bad input: another env, another format, a truncated file, a file that is not Arrow — each named', (t) => {
  const dir = tempDir(t);
  cartPoleRun(dir, 2);
  const file = path.join(dir, 'steps-00000.arrows');
  const names = (pattern: RegExp, f = file) => (err: Error) => err instanceof ReplayFormatError && err.message.includes(f) && pattern.test(err.message);
  assert.throws(() => readStepLog(dir, { envId: 'EdgeSched/Dispatch-v0' }), names(/log of CartPole-v1, not of EdgeSched\/Dispatch-v0/));

  const truncated = tempDir(t);
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(path.join(truncated, 'steps-00000.arrows'), bytes.subarray(0, bytes.length - 100));
  assert.throws(() => [...readStepLog(truncated).steps()], names(/truncated/, path.join(truncated, 'steps-00000.arrows')));

  const junk = tempDir(t);
  fs.writeFileSync(path.join(junk, 'steps-00000.arrows'), 'episode_id,step\n0,0\n');
  assert.throws(() => readStepLog(junk), names(/not an Arrow IPC stream/, path.join(junk, 'steps-00000.arrows')));

  const future = tempDir(t);
  const schema = new Schema([new Field('episode_id', new Int32())], new Map([['edgegym.format', 'edgegym.steps/2'], ['edgegym.version', '9.0.0']]));
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 1, children: [makeData({ type: new Int32(), length: 1, data: Int32Array.of(0) })] }));
  fs.writeFileSync(path.join(future, 'steps-00000.arrows'), RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true));
  assert.throws(() => readStepLog(future), names(/edgegym\.steps\/2 \(written by edgegym 9\.0\.0\).*reads edgegym\.steps\/1/, path.join(future, 'steps-00000.arrows')));
});
