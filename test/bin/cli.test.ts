// The command line in subprocesses: usage mistakes exit 2 with one line naming the flag and the
// value (then a pointer to --help); a failure of the work exits 1, a hung policy included, with
// the others' results written. test/bin/errors.test.ts goes through every kind of mistake.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/edgegym.js', import.meta.url));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

test('bad values exit 2 and say which flag and what was wrong', () => {
  const cases: [string[], string][] = [
    [['simulate', '--rate', '-5'], 'edgegym: --rate must be a number at least 0, got -5'],
    [['simulate', '--schedule', '20,x'], 'edgegym: --schedule must be a comma-separated list of numbers, got "20,x"'],
    [['simulate', '--duration', '-10s'], 'edgegym: --duration must be positive, got -10s'],
    [['train', '--lr', '-1'], 'edgegym: --lr must be a number greater than 0, got -1'],
    [['train', '--hidden', 'abc'], 'edgegym: --hidden must be a comma-separated list of numbers, got "abc"'],
    [['train', '--steps', '10.5'], 'edgegym: --steps must be an integer at least 1, got 10.5'],
    [['eval', '--episodes', '0'], 'edgegym: --episodes must be an integer at least 1, got 0'],
    [['eval', '--kwargs', '{'], 'edgegym: --kwargs is not valid JSON'],
    [['benchmark', '--env', 'CartPole-v1', '--policies', 'random', '--workers', '1.5'], 'edgegym: --workers must be an integer at least 0, got 1.5'],
    [['benchmark', '--env', 'CartPole-v1', '--policies', 'random', '--workers', 'two'], 'edgegym: --workers must be an integer at least 0, got NaN'],
    [['benchmark', '--env', 'CartPole-v1', '--policies', 'random', '--step-timeout', '10'], 'edgegym: --step-timeout: expected a time such as "4.2 ms", got "10" (no unit)'],
    [['benchmark', '--env', 'CartPole-v1', '--policies', 'random', '--step-timeout', 'soon'], 'edgegym: --step-timeout: expected a time'],
    [['benchmark', '--env', 'CartPole-v1', '--policies', 'random', '--env-kwargs', '{"gravity":1}'], 'edgegym: --env-kwargs: '],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}, ${r.stderr}`);
    assert.ok(r.stderr.startsWith(message), `${args.join(' ')}: ${r.stderr}`);
    assert.deepEqual(r.stderr.split('\n').slice(1), [`see 'edgegym ${args[0]} --help'`], 'one line, then the pointer to --help');
  }
});

test('an unknown command or flag exits 2 with a suggestion; a missing file too; a failing run exits 1', () => {
  const typo = run('simulat');
  assert.equal(typo.status, 2);
  assert.equal(typo.stderr, "edgegym: unknown command simulat (did you mean simulate?)\nsee 'edgegym --help'");
  const flag = run('eval', '--episods', '3');
  assert.equal(flag.status, 2);
  assert.equal(flag.stderr, "edgegym: unknown option --episods (did you mean --episodes?)\nsee 'edgegym eval --help'");
  const missing = run('simulate', '--scenario', 'no-such-scenario.json', '--duration', '1s');
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /^edgegym: --scenario no-such-scenario\.json: no such file/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-cli-'));
  try {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"name": "x",');
    const failed = run('simulate', '--scenario', broken, '--duration', '1s');
    assert.equal(failed.status, 1, failed.stderr);
    assert.match(failed.stderr, /^edgegym: .*broken\.json/);
    assert.equal(failed.stderr.split('\n').length, 1, failed.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an output path that cannot be made is one line naming it, exit 1, and no hang', { skip: !process.platform.startsWith('linux') }, () => {
  for (const args of [['train', '--steps', '64', '--out', '/proc/nope/x'], ['eval', '--episodes', '1', '--replay', '/proc/nope/x'], ['simulate', '--duration', '1s', '--events', '/proc/nope/x']]) {
    const r = run(...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    const last = r.stderr.split('\n').at(-1) ?? '';
    assert.match(last, /^edgegym: .*cannot create folder \/proc\/nope\/x: \/proc does not allow folders to be created in it$/, args.join(' '));
  }
});

test('benchmark: a policy whose act never returns is stopped and named with its episode and step; the other policy\'s results are written; exit 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-cli-'));
  try {
    const policy = path.join(dir, 'stuck.mjs');
    fs.writeFileSync(policy, `let step = 0;\nexport default { name: 'stuck', act() { if (++step === 4) for (;;) {} return 0; } };\n`);
    const out = path.join(dir, 'out');
    const r = run('benchmark', '--env', 'CartPole-v1', '--policies', `${policy},random`, '--seeds', '2', '--step-timeout', '2s', '--out', out);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /- stuck \(.*stuck\.mjs\): episode 0 \(seed 0\), step 3: did not return an action within 2 s; 0 episodes finished before/);
    const result = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { policies: { name: string; failure: unknown; episodes: unknown[] }[] };
    assert.deepEqual(result.policies.map((p) => [p.name, p.failure === null, p.episodes.length]), [['stuck', false, 0], ['random', true, 2]]);
    assert.ok(fs.existsSync(path.join(out, 'charts', 'return.svg')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
