// `--json` is what the inputs determine: the same command under the same seed prints the same
// bytes, and the wall-clock figures it leaves out go to stderr.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/edgegym.js', import.meta.url));

function run(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('simulate --json and train --json print the same bytes twice under a seed, wall time on stderr', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-json-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const commands: [string, string[], string][] = [
    ['simulate', ['simulate', '--scenario', 'aset-full-edge', '--duration', '20s', '--seed', '3', '--json'], 'wallSeconds'],
    ['train', ['train', '--env', 'CartPole-v1', '--steps', '512', '--seed', '1', '--out', path.join(root, 'run'), '--force', '--json'], 'trainSeconds'],
  ];
  for (const [name, args, measured] of commands) {
    const [a, b] = [run(args), run(args)];
    assert.equal(a.status, 0, `${name}: ${a.stderr}`);
    assert.equal(b.status, 0, `${name}: ${b.stderr}`);
    assert.equal(a.stdout, b.stdout, `${name} --json is byte-identical`);
    assert.ok(!a.stdout.includes(measured), `${name} --json holds no ${measured}`);
    assert.match(a.stderr, new RegExp(`measured on the clock, left out of the JSON: .*${measured} \\d`), `${name}: the wall time is on stderr`);
  }
  assert.equal(JSON.parse(run(commands[0][1]).stdout).report.queries > 0, true, 'the JSON still holds the outcomes');
});
