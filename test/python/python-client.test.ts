// Runs the Python client's own tests (python/tests, unittest) with a python3 that has numpy:
// bit-identity with TypeScript, masks, autoreset, errors, env checks. Says so when none is found.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findPythonWithNumpy } from '../../speed/bridge.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TESTS = join(REPO, 'python', 'tests');
// PATH's python3 first, then Debian's /usr/bin/python3 (which .ci/run equips with python3-numpy).
const { python, tried } = findPythonWithNumpy();
const modules = readdirSync(TESTS).filter((f) => /^test_.*\.py$/.test(f)).map((f) => f.slice(0, -3)).sort();

test('the Python client (python/tests)', { timeout: 30 * 60_000 }, async (t) => {
  if (python === null) {
    const why = `no python3 with numpy found (${tried.join('; ')}): the Python client's tests did NOT run. Install numpy (Debian: apt-get install python3-numpy; .ci/run does).`;
    console.error(`\n*** ${why}\n`);
    t.skip(why);
    return;
  }
  const version = spawnSync(python, ['-c', 'import numpy, sys; print(sys.executable, sys.version.split()[0], "numpy", numpy.__version__)'], { encoding: 'utf8' }).stdout.trim();
  t.diagnostic(`python: ${version}`);
  for (const module of modules) {
    await t.test(module, { timeout: 15 * 60_000 }, (tm) => {
      const r = spawnSync(python, ['-m', 'unittest', '-v', module], { cwd: TESTS, encoding: 'utf8', timeout: 14 * 60_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
      const output = `${r.stdout}${r.stderr}`;
      // Skipped Python tests (gymnasium's check_env without gymnasium) show in node's output too.
      for (const line of output.split('\n')) if (/\.\.\. skipped|^Ran |^OK|^FAILED/.test(line)) tm.diagnostic(line.trim());
      assert.equal(r.error, undefined, `${module}: ${r.error?.message}\n${output}`);
      assert.equal(r.status, 0, `python -m unittest ${module} failed:\n${output}`);
    });
  }
});
