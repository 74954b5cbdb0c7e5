// The CLI's contract for mistakes, command by command, in subprocesses: a usage error exits 2 with
// one line saying what is wrong and the fix (with "did you mean"), then one line pointing to
// --help; a file that exists but is broken exits 1 in one line; nothing a user typed wrong runs.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/edgegym.js', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-errors-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  lines: string[];
}

function run(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, lines: stderr.trim().split('\n') }));
  });
}

/** Runs every case, a few processes at a time (each spends most of a second starting up). */
async function runAll<T extends { args: readonly string[] }>(cases: readonly T[]): Promise<[T, Run][]> {
  const results: [T, Run][] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < cases.length; i = next++) results[i] = [cases[i], await run(cases[i].args)];
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return results;
}

// Files the cases read: a step log, a folder with its own files, a truncated checkpoint, broken modules.
const LOG = path.join(root, 'log');
const MINE = path.join(root, 'mine');
const TRUNCATED = path.join(root, 'truncated');
const THROWS = path.join(root, 'throws.mjs');
const NO_EXPORT = path.join(root, 'no-export.mjs');
const HAS_LOG = path.join(root, 'has-log');

before(async () => {
  const made = await run(['eval', '--episodes', '1', '--replay', LOG]);
  assert.equal(made.status, 0, made.lines.join('\n'));
  fs.mkdirSync(MINE);
  fs.writeFileSync(path.join(MINE, 'notes.txt'), 'mine');
  fs.mkdirSync(TRUNCATED);
  fs.writeFileSync(path.join(TRUNCATED, 'policy.json'), '{"format":"edgegym-policy","envId":"CartP');
  fs.writeFileSync(THROWS, "throw new Error('broken on import');\n");
  fs.writeFileSync(NO_EXPORT, 'export const x = 1;\n');
  fs.cpSync(LOG, HAS_LOG, { recursive: true });
});

const BENCH = ['benchmark', '--env', 'CartPole-v1', '--seeds', '1', '--out', 'never'];

interface UsageCase {
  args: string[];
  first: string | RegExp;
}

test('everything a user typed wrong exits 2: one line with the fix, then a pointer to --help', async () => {
  const cases: UsageCase[] = [
    // Options and commands, with "did you mean".
    { args: ['train', '--stpes', '10'], first: 'edgegym: unknown option --stpes (did you mean --steps?)' },
    { args: ['eval', '--episode', '1'], first: 'edgegym: unknown option --episode (did you mean --episodes?)' },
    { args: ['simulat'], first: 'edgegym: unknown command simulat (did you mean simulate?)' },
    { args: ['train', '--algo', 'ppo2'], first: 'edgegym: --algo must be one of ppo, a2c, got ppo2 (did you mean ppo?)' },
    { args: ['benchmark', '--policies', 'random'], first: 'edgegym: missing --env' },
    { args: ['eval', '--episodes'], first: 'edgegym: --episodes needs a value' },
    // Kwargs: unknown, or of the wrong type, in every command that takes them.
    { args: ['eval', '--kwargs', '{"suttonBartoRewrd":true}'], first: 'edgegym: CartPole: unknown kwarg "suttonBartoRewrd" (did you mean "suttonBartoReward"?); it takes suttonBartoReward' },
    { args: ['check', 'CartPole-v1', '--kwargs', '{"foo":1}'], first: 'edgegym: CartPole: unknown kwarg "foo"; it takes suttonBartoReward' },
    { args: ['eval', '--env', 'EdgeSched/Dispatch-v0', '--kwargs', '{"horizon":42}'], first: 'edgegym: Dispatch: kwarg "horizon" must be a time such as "4.2 ms" (greater than 0), got 42 (a number without a unit)' },
    { args: ['eval', '--env', 'EdgeSched/Dispatch-v0', '--kwargs', '{"horizon":"10 parsecs"}'], first: 'edgegym: Dispatch: kwarg "horizon" must be a time such as "4.2 ms" (greater than 0), got "10 parsecs" (unknown unit "parsecs")' },
    { args: [...BENCH, '--policies', 'random', '--env-kwargs', '{"horizon":"10 parsecs"}'], first: /^edgegym: --env-kwargs: CartPole: unknown kwarg "horizon"/ },
    // The same unknown env, the same line, in every command.
    ...[['eval', '--env', 'CartPol-v1'], ['train', '--env', 'CartPol-v1'], ['check', 'CartPol-v1'], ['benchmark', '--env', 'CartPol-v1', '--policies', 'random']].map((args) => ({
      args,
      first: 'edgegym: unknown env "CartPol-v1" (did you mean CartPole-v1?); `edgegym envs` lists the registered ones',
    })),
    // Policies.
    { args: ['eval', '--policy', 'randon'], first: 'edgegym: unknown policy "randon" for CartPole-v1 (did you mean "random"?); known policies: random' },
    { args: [...BENCH, '--policies', 'randon'], first: /^edgegym: --policies: unknown policy "randon" for CartPole-v1: .*\(did you mean "random"\?\)$/ },
    { args: ['simulate', '--policy', 'fastest'], first: /^edgegym: --policy: unknown scheduling policy "fastest"; known: closest, / },
    { args: ['simulate', '--policy', 'closests'], first: /^edgegym: --policy: unknown scheduling policy "closests" \(did you mean "closest"\?\); known: / },
    // Values: named by their flag, a negative one included.
    { args: ['simulate', '--schedule', '20,60', '--step', '0s'], first: 'edgegym: --step must be positive, got 0s' },
    { args: ['simulate', '--duration', '-10s'], first: 'edgegym: --duration must be positive, got -10s' },
    { args: [...BENCH, '--policies', 'random', '--step-timeout', '-2s'], first: 'edgegym: --step-timeout must be positive or 0 (no limit), got -2s' },
    { args: ['speed', '--seconds', '0'], first: 'edgegym: --seconds must be a number greater than 0, got 0' },
    { args: ['bench', '--seconds', '0'], first: 'edgegym: --seconds must be a number greater than 0, got 0' },
    // A combination that could hang: a loop in this process cannot be stopped by a timeout.
    { args: [...BENCH, '--policies', 'random', '--workers', '0'], first: /^edgegym: --workers 0 plays the policies in this process, where no --step-timeout can stop one caught in a loop; add --step-timeout 0/ },
    // Paths and ids.
    { args: ['replay', 'nowhere'], first: 'edgegym: nowhere does not exist; give a directory written by --replay or --events' },
    { args: ['simulate', '--scenario', 'no-such-scenario.json'], first: /^edgegym: --scenario no-such-scenario\.json: no such file, and not a built-in scenario/ },
    { args: ['replay', LOG, '--to-minari', 'dataset', '--dataset-id', 'bad id!'], first: 'edgegym: --dataset-id "bad id!" must look like (namespace/)name-v<version>, e.g. edgegym/cartpole/replay-v0' },
    { args: ['replay', LOG, '--to-minari', MINE], first: `edgegym: --to-minari ${MINE} is not empty (it holds notes.txt); give a new or empty folder for the dataset` },
    { args: ['eval', '--episodes', '1', '--replay', HAS_LOG], first: /^edgegym: --replay .*has-log already holds a log \(steps-00000\.arrows\); choose another directory or delete it$/ },
    { args: ['train', '--steps', '64', '--replay', HAS_LOG], first: /^edgegym: --replay .*has-log already holds a step log; choose another directory/ },
    { args: ['train', '--resume', 'nowhere'], first: /^edgegym: --resume nowhere: no checkpoint there/ },
  ];
  for (const [c, r] of await runAll(cases)) {
    const what = `${c.args.join(' ')}: exit ${r.status}\n${r.lines.join('\n')}`;
    assert.equal(r.status, 2, what);
    if (typeof c.first === 'string') assert.equal(r.lines[0], c.first, what);
    else assert.match(r.lines[0], c.first, what);
    // The pointer names the command by its name (`bench` is an alias of `speed`).
    const command = c.args[0] === 'simulat' ? '' : `${c.args[0] === 'bench' ? 'speed' : c.args[0]} `;
    assert.deepEqual(r.lines.slice(1), [`see 'edgegym ${command}--help'`], `${what}\nthe message, then only a pointer to --help`);
    assert.doesNotMatch(r.lines.join('\n'), /--append|pass append/, 'no flag that does not exist');
    assert.equal(r.stdout, '', `${what}: nothing ran`);
  }
  assert.ok(!fs.existsSync(path.join(root, 'never')) && !fs.existsSync(path.join(root, 'dataset')), 'a usage error writes nothing');
  assert.deepEqual(fs.readdirSync(MINE), ['notes.txt'], "the user's folder is left as it was");
});

test('a file the user named that exists but is broken exits 1, in one line and in every command', async () => {
  const cases: { args: string[]; first: RegExp }[] = [
    { args: ['eval', '--policy', TRUNCATED, '--episodes', '1'], first: /^edgegym: .*truncated\/policy\.json: not valid JSON/ },
    { args: [...BENCH, '--policies', TRUNCATED], first: /^edgegym: .*truncated\/policy\.json: not valid JSON/ },
    { args: ['export', TRUNCATED, '--format', 'onnx', '--out', 'never.onnx'], first: /^edgegym: .*truncated\/policy\.json: not valid JSON/ },
    { args: [...BENCH, '--policies', THROWS], first: /^edgegym: policy .*throws\.mjs failed to load: broken on import$/ },
    { args: [...BENCH, '--policies', THROWS, '--workers', '0', '--step-timeout', '0'], first: /^edgegym: policy .*throws\.mjs failed to load: broken on import$/ },
    { args: [...BENCH, '--policies', NO_EXPORT], first: /^edgegym: policy .*no-export\.mjs: its default export must be a function/ },
  ];
  for (const [c, r] of await runAll(cases)) {
    const what = `${c.args.join(' ')}: exit ${r.status}\n${r.lines.join('\n')}`;
    assert.equal(r.status, 1, what);
    assert.match(r.lines[0], c.first, what);
    assert.equal(r.lines.length, 1, what);
  }
});
