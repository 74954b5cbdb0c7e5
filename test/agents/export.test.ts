// Exported policies in other runtimes: ONNX Runtime gives the TensorFlow.js model's outputs on
// 1,000 observations of the env (Discrete, masked Discrete, MultiDiscrete, Box), and the tfjs
// export loads over HTTP in plain tfjs, as a web page would, with the normalisation inside.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { selectBackend } from '../../agents/backend.js';
import { saveCheckpoint } from '../../agents/checkpoint-save.js';
import { exportOnnx, exportTfjs } from '../../agents/export.js';
import { ObsNormalizer } from '../../agents/obs-norm.js';
import { ModelProto } from '../../agents/onnx/onnx-proto.js';
import { loadPolicy } from '../../agents/policy-io.js';
import { PPOTrainer } from '../../agents/ppo.js';
import '../../envs/index.js';
import { make } from '../../src/registry.js';
import { makeVec } from '../../src/vector/make-vec.js';
import '../fixtures/masked-env.js';
import '../fixtures/reach-env.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-export-'));
before(async () => {
  await selectBackend('wasm');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

const N = 1000;

/** A briefly trained checkpoint of `id`, and N observations (raw, flat) and masks the env gave. */
function checkpointAndData(id: string, kwargs: Record<string, unknown> = {}): { dir: string; obs: Float32Array; masks: Uint8Array | null; obsDim: number } {
  const env = makeVec(id, { numEnvs: 2, kwargs, vectorizationMode: id === 'CartPole-v1' ? undefined : 'sync' });
  const trainer = new PPOTrainer(env, { totalTimesteps: 2 * 64, numSteps: 32, numMinibatches: 2, updateEpochs: 2, seed: 3, normObs: true });
  while (!trainer.done) trainer.update();
  const dir = path.join(root, id.replace(/\W+/g, '-') + (kwargs.nvec === undefined ? '' : `-${(kwargs.nvec as number[]).join('x')}`));
  saveCheckpoint(dir, trainer.state(), { envId: id, envKwargs: kwargs, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 2, backend: 'wasm' });
  env.close();

  const policy = loadPolicy(dir, { deterministic: false, seed: 1 });
  const single = make(id, kwargs);
  const d = single.observationSpace.flatDim;
  const maskSize = policy.network.dist.maskSize;
  const obs = new Float32Array(N * d);
  const masks = new Uint8Array(N * maskSize).fill(1);
  let masked = false;
  let { observation, info } = single.reset({ seed: 10 });
  for (let i = 0; i < N; i++) {
    single.observationSpace.flattenInto(observation, obs, i * d);
    if (info.actionMask instanceof Uint8Array) {
      masks.set(info.actionMask, i * maskSize);
      masked = true;
    }
    const step = single.step(policy.act(observation, info));
    ({ observation, info } = step.terminated || step.truncated ? single.reset() : step);
  }
  single.close();
  return { dir, obs, masks: masked ? masks : null, obsDim: d };
}

/** The checkpoint's own LayersModel (it takes normalised observations), run on `obs`. */
async function tfjsOutputs(dir: string, obs: Float32Array, obsDim: number): Promise<{ actor: Float32Array; value: Float32Array }> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const bytes = fs.readFileSync(path.join(dir, 'weights.bin'));
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) }));
  const norm = JSON.parse(fs.readFileSync(path.join(dir, 'policy.json'), 'utf8')).obsNormalization;
  const x = obs.slice();
  ObsNormalizer.fromJSON(norm).normalize(x, N, x, false);
  const [actor, value] = tf.tidy(() => (model.predict(tf.tensor2d(x, [N, obsDim])) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array));
  model.dispose();
  return { actor, value };
}

function assertClose(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, what);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    if (want[i] === -Infinity) {
      assert.equal(got[i], -Infinity, `${what}[${i}] is masked`);
      continue;
    }
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  }
  assert.ok(worst <= 1e-5, `${what}: worst relative difference ${worst.toExponential(2)} > 1e-5`);
}

const CASES: [string, string, Record<string, unknown>][] = [
  ['Discrete', 'CartPole-v1', {}],
  ['masked Discrete', 'EdgeSched/Dispatch-v0', {}],
  ['masked MultiDiscrete', 'Test/Masked-v0', { nvec: [3, 4] }],
  ['Box', 'Test/Reach-v0', {}],
];

for (const [kind, id, kwargs] of CASES) {
  test(`ONNX Runtime matches the tfjs model on ${N} observations: ${kind} (${id})`, async () => {
    const { dir, obs, masks, obsDim } = checkpointAndData(id, kwargs);
    const exported = exportOnnx(dir);
    assert.equal(exported.path, path.join(dir, 'policy.onnx'));
    const decoded = ModelProto.toObject(ModelProto.decode(fs.readFileSync(exported.path)), { longs: Number }) as { opset_import: { version: number }[] };
    assert.ok(decoded.opset_import[0].version >= 13);

    const session = await ort.InferenceSession.create(exported.path);
    const feeds: Record<string, ort.Tensor> = { observation: new ort.Tensor('float32', obs, [N, obsDim]) };
    const want = await tfjsOutputs(dir, obs, obsDim);
    const policy = JSON.parse(fs.readFileSync(path.join(dir, 'policy.json'), 'utf8'));
    if (policy.logStd === null) {
      const width = want.actor.length / N;
      const mask = masks ?? new Uint8Array(N * width).fill(1);
      feeds.action_mask = new ort.Tensor('uint8', mask, [N, width]);
      const result = await session.run(feeds);
      assert.deepEqual(session.inputNames, ['observation', 'action_mask']);
      const masked = want.actor.map((v, i) => (mask[i] === 1 ? v : -Infinity));
      if (masks !== null) assert.ok(masked.some((v) => v === -Infinity), 'the env did mask some actions');
      assertClose(result.logits.data as Float32Array, masked, 'logits');
      assertClose(result.value.data as Float32Array, want.value, 'value');
    } else {
      const result = await session.run(feeds);
      assert.deepEqual(session.outputNames, ['mean', 'log_std', 'value']);
      assertClose(result.mean.data as Float32Array, want.actor, 'mean');
      assertClose(result.log_std.data as Float32Array, Float32Array.from(policy.logStd), 'log_std');
      assertClose(result.value.data as Float32Array, want.value, 'value');
    }
    await session.release();
  });
}

test('the tfjs export loads over HTTP in plain tfjs and takes raw observations', async () => {
  const { dir, obs, obsDim } = checkpointAndData('Test/Reach-v0');
  const out = exportTfjs(dir, path.join(root, 'web'));
  assert.deepEqual(fs.readdirSync(out.path).sort(), ['export.json', 'model.json', 'weights.bin']);
  const server = http.createServer((req, res) => {
    const file = path.join(out.path, path.basename(req.url ?? ''));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const model = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
    const [mean, value] = tf.tidy(() => (model.predict(tf.tensor2d(obs, [N, obsDim])) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array));
    model.dispose();
    const want = await tfjsOutputs(dir, obs, obsDim);
    // Normalisation as stock tfjs layers rounds once more in float32 (see tfjs-model.ts).
    for (const [got, ref] of [[mean, want.actor], [value, want.value]] as const) {
      for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(got[i] - ref[i]) <= 1e-4 * Math.max(1, Math.abs(ref[i])), `output ${i}: ${got[i]} vs ${ref[i]}`);
    }
  } finally {
    server.close();
  }
});
