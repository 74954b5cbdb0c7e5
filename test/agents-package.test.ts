// The `edgegym/agents` entry as a user meets it: resolved by package name, the README's
// train → save → resume → export example runs as written, and `import 'edgegym'` loads no tfjs.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

// Computed specifiers, so tsc does not need dist/ to exist while it compiles this file.
const agents = (await import(String('edgegym/agents'))) as typeof import('../agents/index.js');
const edgegym = (await import(String('edgegym'))) as typeof import('../index.js');

test("the README's agents example trains, saves, resumes and exports", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-agents-'));
  try {
    const { makeVec } = edgegym;
    const { selectBackend, trainPPO, saveCheckpoint, loadCheckpoint, loadPolicy, exportOnnx } = agents;
    // --- README example (runs/ → dir) ---
    const backend = await selectBackend('auto'); // tensorflow ▸ wasm ▸ cpu, whichever loads
    const make = () => makeVec('CartPole-v1', { numEnvs: 4 });
    const env = make();
    const meta = { envId: 'CartPole-v1', observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, backend: backend.name };
    const first = trainPPO(env, { totalTimesteps: 2048, seed: 1 }); // four updates
    saveCheckpoint(`${dir}/step-2048`, first.state, meta); // atomic: a crash leaves the old one
    const { state } = loadCheckpoint(`${dir}/step-2048`, { training: true });
    const agent = trainPPO(make(), { totalTimesteps: 4096 }, {}, { resume: state ?? undefined });
    saveCheckpoint(`${dir}/policy`, agent.state, meta);
    const policy = loadPolicy(`${dir}/policy`, { envId: 'CartPole-v1' });
    const action = policy.act(Float32Array.of(0, 0, 0.05, 0), {}); // 0 or 1, in plain JS
    exportOnnx(`${dir}/policy`, `${dir}/cartpole.onnx`); // for onnxruntime in Python, C++, the web
    // --- end ---
    assert.ok(action === 0 || action === 1);
    assert.equal(agent.globalStep, 4096);
    assert.equal(policy.file.update, 8);
    assert.ok(fs.statSync(`${dir}/cartpole.onnx`).size > 1000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("import 'edgegym' loads no tfjs; import 'edgegym/agents' does", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-imports-'));
  try {
    const hooks = path.join(dir, 'hooks.mjs');
    fs.writeFileSync(hooks, "export async function resolve(s, c, next) { if (s.startsWith('@tensorflow/')) console.log('tfjs:', s); return next(s, c); }\n");
    const loads = (specifier: string): string => {
      const script = `import { register } from 'node:module'; register(${JSON.stringify(new URL(`file://${hooks}`).href)}); await import(${JSON.stringify(specifier)});`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: process.cwd() });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    assert.equal(loads('edgegym'), '');
    assert.match(loads('edgegym/agents'), /tfjs: @tensorflow\/tfjs/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
