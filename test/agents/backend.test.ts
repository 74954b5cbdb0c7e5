// Backend selection: `auto` falls back in order and says why; a forced backend that cannot load
// is an error naming the install command. The loader is injected, so no tfjs-node is needed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { type BackendLoader, type BackendName, BackendUnavailableError, selectBackend } from '../../agents/backend.js';

/** A loader where only `available` load; the others fail as a missing package does. */
function fakeLoader(available: BackendName[], tried: BackendName[]): BackendLoader {
  return async (name) => {
    tried.push(name);
    if (!available.includes(name)) throw new Error(`Cannot find package '@tensorflow/tfjs-node${name === 'tensorflow-gpu' ? '-gpu' : ''}' imported from edgegym`);
  };
}

const activate = async (): Promise<boolean> => true;

test('auto skips the missing TensorFlow backends, logs why, and takes wasm', async () => {
  const tried: BackendName[] = [];
  const lines: string[] = [];
  const choice = await selectBackend('auto', { loader: fakeLoader(['wasm', 'cpu'], tried), activate, log: (l) => lines.push(l) });
  assert.equal(choice.name, 'wasm');
  assert.equal(choice.tfBackend, 'wasm');
  assert.deepEqual(tried, ['tensorflow-gpu', 'tensorflow', 'wasm']);
  assert.deepEqual(choice.skipped.map((s) => s.name), ['tensorflow-gpu', 'tensorflow']);
  // One short line: which backend, and why the faster ones were passed over.
  assert.deepEqual(lines, ['backend: wasm (auto; tensorflow-gpu and tensorflow not installed)']);
  assert.match(choice.skipped[0].reason, /Cannot find package '@tensorflow\/tfjs-node-gpu'/);
});

test('a backend that is installed but fails is named with its error, without absolute paths', async () => {
  const lines: string[] = [];
  const loader: BackendLoader = async (name) => {
    if (name === 'tensorflow-gpu') throw new Error("libcudart.so.11.0: cannot open shared object file, loading /home/me/project/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node");
    if (name === 'tensorflow') throw new Error("Cannot find package '@tensorflow/tfjs-node' imported from /home/me/project/dist/agents/backend.js");
  };
  await selectBackend('auto', { loader, activate, log: (l) => lines.push(l) });
  assert.deepEqual(lines, ['backend: wasm (auto; tensorflow not installed; tensorflow-gpu failed: libcudart.so.11.0: cannot open shared object file, loading tfjs_binding.node)']);
});

test('auto prefers the GPU backend when it loads', async () => {
  const choice = await selectBackend('auto', { loader: fakeLoader(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'], []), activate });
  assert.equal(choice.name, 'tensorflow-gpu');
  assert.equal(choice.tfBackend, 'tensorflow');
  assert.deepEqual(choice.skipped, []);
});

test('auto falls through to cpu when wasm loads but will not initialise', async () => {
  const choice = await selectBackend('auto', { loader: fakeLoader(['wasm', 'cpu'], []), activate: async (name) => name !== 'wasm' });
  assert.equal(choice.name, 'cpu');
  assert.match(choice.skipped[2].reason, /could not initialise the 'wasm' backend/);
});

test('a forced backend that cannot load is an error with the install command', async () => {
  await assert.rejects(selectBackend('tensorflow', { loader: fakeLoader(['wasm'], []), activate }), (err: unknown) => {
    assert.ok(err instanceof BackendUnavailableError);
    assert.match(err.message, /backend 'tensorflow' could not be loaded: Cannot find package/);
    assert.match(err.message, /npm install @tensorflow\/tfjs-node\b/);
    return true;
  });
  await assert.rejects(selectBackend('tensorflow-gpu', { loader: fakeLoader([], []), activate }), /npm install @tensorflow\/tfjs-node-gpu/);
});

test('an unknown backend name is refused, listing the choices', async () => {
  await assert.rejects(selectBackend('webgpu' as never), /unknown backend "webgpu"; expected one of auto, tensorflow-gpu, tensorflow, wasm, cpu/);
});

test('the real loader starts wasm from node_modules, with no network', async () => {
  const choice = await selectBackend('wasm');
  assert.equal(choice.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(tf.tidy(() => tf.add(1, 2).dataSync()[0]), 3);
});
