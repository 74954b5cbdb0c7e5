// `edgegym train` as a process: SIGKILL while a checkpoint is written every update leaves the
// newest complete one loadable, Ctrl-C writes a final one and a resumed run matches an
// uninterrupted one, a resumed run keeps its settings and step log, an existing run folder is not
// overwritten by accident.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '../../agents/checkpoint.js';
import { listCheckpoints, resolveCheckpoint } from '../../agents/checkpoint-folder.js';
import { loadPolicy, stepOf } from '../../agents/policy-io.js';
import { summarizeReplay } from '../../jobs/replay.js';
import { numberColumn, readStepLog } from '../../src/replay/reader.js';

const CLI = fileURLToPath(new URL('../../bin/edgegym.js', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-train-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

// Tiny updates (2 envs × 16 steps, one minibatch, one epoch) so checkpoints come many a second.
const TINY = ['--num-envs', '2', '--num-steps', '16', '--minibatches', '1', '--epochs', '1'];
const QUIET = ['--backend', 'wasm', '--quiet'];

function start(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> } {
  const child = spawn(process.execPath, [CLI, 'train', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stdout += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout })));
  return { child, done };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('SIGKILL while checkpoints are written every update leaves the newest complete one loadable', async () => {
  const out = path.join(root, 'killed');
  for (let round = 0; round < 3; round++) {
    const args = round === 0 ? ['--steps', '10000000', '--out', out, ...TINY] : ['--resume', out];
    const before = listCheckpoints(out).at(-1)?.step ?? 0;
    const { child, done } = start([...args, ...QUIET, '--checkpoint-every', '1', '--keep', '2']);
    await until(() => (listCheckpoints(out).at(-1)?.step ?? 0) >= before + 3 * 32, 'a few checkpoints');
    child.kill('SIGKILL');
    assert.equal((await done).signal, 'SIGKILL');
    const dir = resolveCheckpoint(out, stepOf);
    assert.ok(dir !== null);
    const checkpoint = loadCheckpoint(dir, { training: true, envId: 'CartPole-v1' });
    assert.ok(checkpoint.state !== null && checkpoint.state.collector.globalStep > before, `round ${round}: the run went on from step ${before}`);
    loadPolicy(out).act(new Float32Array(4), {});
  }
});

test('Ctrl-C writes a final checkpoint, and the resumed run has the losses of an uninterrupted one', async () => {
  const whole = path.join(root, 'whole');
  const parts = path.join(root, 'parts');
  const run = ['--steps', String(120 * 32), '--seed', '7', '--norm-obs', ...TINY, ...QUIET];
  assert.equal(spawnSync(process.execPath, [CLI, 'train', ...run, '--out', whole]).status, 0);

  const { child, done } = start([...run, '--out', parts]);
  await until(() => fs.existsSync(path.join(parts, 'metrics.csv')) && fs.readFileSync(path.join(parts, 'metrics.csv'), 'utf8').split('\n').length > 4, 'a few updates');
  child.kill('SIGINT');
  const stopped = await done;
  assert.equal(stopped.code, 130, stopped.stdout);
  assert.match(stopped.stdout, /stopped by SIGINT; checkpoint .*step-\d+; continue with: edgegym train --resume /);
  assert.ok(!fs.existsSync(path.join(parts, 'policy')), 'an interrupted run has no final policy/');

  const resumed = spawnSync(process.execPath, [CLI, 'train', '--resume', parts, '--quiet', '--backend', 'wasm'], { encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  const losses = (dir: string): string[] => fs.readFileSync(path.join(dir, 'metrics.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(8).join(','));
  assert.deepEqual(losses(parts), losses(whole), 'every update once, with the same losses');
});

test('an --out that holds a run is refused (exit 2) unless --resume or --force; without --out nothing is saved', () => {
  const out = path.join(root, 'existing');
  const run = ['--steps', '64', ...TINY, ...QUIET];
  assert.equal(spawnSync(process.execPath, [CLI, 'train', ...run, '--out', out]).status, 0);
  const again = spawnSync(process.execPath, [CLI, 'train', ...run, '--out', out], { encoding: 'utf8' });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already holds a run .*pass --resume .* or --force/);
  assert.equal(spawnSync(process.execPath, [CLI, 'train', ...run, '--out', out, '--force']).status, 0);
  const nowhere = spawnSync(process.execPath, [CLI, 'train', ...run], { encoding: 'utf8' });
  assert.match(nowhere.stdout, /the policy was not saved \(no --out\)/);
  const clash = spawnSync(process.execPath, [CLI, 'train', '--resume', out, '--seed', '2', '--quiet'], { encoding: 'utf8' });
  assert.equal(clash.status, 2);
  assert.match(clash.stderr, /drop seed/);
});

test('--workers spreads async sub-envs over threads without changing the run; elsewhere it is a usage error', () => {
  // 4 sub-envs on 1 or 2 threads, 16 steps each per update, 4 updates.
  const run = ['--steps', '256', '--num-envs', '4', '--num-steps', '16', '--minibatches', '1', '--epochs', '1', '--vectorization', 'async', ...QUIET];
  const losses = (workers: string): string[][] => {
    const out = path.join(root, `workers-${workers}`);
    const r = spawnSync(process.execPath, [CLI, 'train', ...run, '--workers', workers, '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [header, ...rows] = fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    // Everything but the clock: the losses, returns and statistics of each update.
    const timed = new Set(['wall_seconds', 'steps_per_second']);
    return rows.map((row) => row.filter((_, k) => !timed.has(header[k])));
  };
  const one = losses('1');
  assert.equal(one.length, 4);
  assert.deepEqual(losses('2'), one);
  const sync = spawnSync(process.execPath, [CLI, 'train', '--steps', '64', ...TINY, ...QUIET, '--workers', '2'], { encoding: 'utf8' });
  assert.equal(sync.status, 2);
  assert.match(sync.stderr, /--workers sets the worker threads of --vectorization async/);
  const zero = spawnSync(process.execPath, [CLI, 'train', ...run, '--workers', '0'], { encoding: 'utf8' });
  assert.equal(zero.status, 2);
  assert.match(zero.stderr, /--workers/);
});

test('--resume keeps the run\'s --checkpoint-every, --keep and step log, refuses --steps below the steps done, and takes a new --keep', () => {
  const out = path.join(root, 'cadence');
  const log = path.join(out, 'steps');
  const train = (...args: string[]): { status: number | null; stderr: string } => spawnSync(process.execPath, [CLI, 'train', ...args, ...QUIET], { encoding: 'utf8' });
  // 4 updates of 32 steps; a checkpoint after every update but the last, the last 2 kept.
  assert.equal(train('--steps', '128', ...TINY, '--checkpoint-every', '1', '--keep', '2', '--replay', log, '--out', out).status, 0);
  assert.deepEqual(listCheckpoints(out).map((c) => c.step), [64, 96]);

  // Asked to go back, or to go nowhere: refused, naming both numbers, and nothing changes.
  const back = train('--resume', out, '--steps', '100');
  assert.equal(back.status, 2);
  assert.equal(back.stderr.split('\n')[0], `edgegym: --steps 100 does not go past the 128 steps the run in ${out} has done; give --steps 160 or more to extend it (one update is 32 steps)`);
  const nowhere = train('--resume', out);
  assert.equal(nowhere.status, 2);
  assert.equal(nowhere.stderr.split('\n')[0], `edgegym: --resume ${out}: the run has done all its 128 steps; give --steps 160 or more to extend it (one update is 32 steps)`);
  assert.deepEqual(listCheckpoints(out).map((c) => c.step), [64, 96]);

  // Resumed with no other flag: a checkpoint after every update again, 2 kept, the step log appended to.
  const resumed = train('--resume', out, '--steps', '256');
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.deepEqual(listCheckpoints(out).map((c) => c.step), [192, 224]);
  const summary = summarizeReplay(log);
  assert.equal(summary.steps?.steps, 256, 'the steps of both parts');
  assert.equal(summary.files.length, 2, 'one segment per part');
  const ids = [...readStepLog(log).batches()].flatMap((b) => Array.from(numberColumn([b], 'episode_id')));
  assert.equal(new Set(ids).size, summary.steps!.episodes + summary.steps!.openEpisodes, 'episode ids stay unique across the parts');

  // A flag given again wins, and is what the next resume keeps.
  assert.equal(train('--resume', out, '--steps', '320', '--keep', '1').status, 0);
  assert.deepEqual(listCheckpoints(out).map((c) => c.step), [288]);
  assert.equal(train('--resume', out, '--steps', '384').status, 0);
  assert.deepEqual(listCheckpoints(out).map((c) => c.step), [352]);
  assert.equal(summarizeReplay(log).steps?.steps, 384);
  const metrics = fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n').slice(1);
  assert.deepEqual(metrics.map((l) => Number(l.split(',')[0])), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'every update once');
});
