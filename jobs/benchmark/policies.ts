// The policies `edgegym benchmark` compares: a user's JS module, a built-in baseline, a trained
// folder or an exported .onnx file, each behind one small interface whose `act` may be async.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Env, Info } from '../../src/env.js';
import { Box } from '../../src/spaces/box.js';
import { Discrete } from '../../src/spaces/discrete.js';
import { MultiDiscrete } from '../../src/spaces/multi-discrete.js';
import { baselineNames } from '../../envs/baselines.js';
import { nearest } from '../../src/edit-distance.js';
import { policyByName } from '../policies.js';

/**
 * A policy under benchmark. `act` may return a Promise (ONNX Runtime only runs asynchronously);
 * `reset(seed)` is called before each episode with that episode's seed, `close()` once at the end.
 */
export interface BenchmarkPolicy {
  readonly name: string;
  /** True for the built-in baselines, the ones the table pairs every policy against. */
  readonly baseline: boolean;
  act(observation: unknown, info: Info): unknown;
  reset?(seed: number): unknown;
  close?(): unknown;
}

/** What a user's module may export by default. */
type ActFunction = (observation: unknown, info: Info) => unknown;
interface ActObject {
  act: ActFunction;
  name?: unknown;
  reset?: (seed: number) => unknown;
  close?: () => unknown;
}

/** A policy argument that cannot be used as written (the CLI makes it a usage error, exit 2). */
export class PolicySpecError extends Error {
  override name = 'PolicySpecError';
}

/**
 * A policy file that exists but cannot be used: its module throws (or hangs) on import, or does
 * not export a policy. The argument was right, the file is broken: a failure, exit 1.
 */
export class PolicyLoadError extends Error {
  override name = 'PolicyLoadError';
}

const MODULE = /\.(?:m?js|cjs|m?ts|cts)$/i;
const TYPESCRIPT = /\.(?:m?ts|cts)$/i;

/** Which kind of policy `spec` names, checked before anything runs so a typo costs nothing. */
export function policyKind(spec: string, envId: string): 'module' | 'baseline' | 'folder' | 'onnx' {
  if (MODULE.test(spec) || spec.toLowerCase().endsWith('.onnx')) {
    if (!existsSync(spec)) throw new PolicySpecError(`policy file ${spec} does not exist`);
    if (MODULE.test(spec) && TYPESCRIPT.test(spec) && !stripsTypes()) {
      throw new PolicySpecError(`policy ${spec}: Node ${process.version} does not strip TypeScript types; compile it to .js (npx tsc ${spec}) or run Node ≥ 22.18 (or 22.6+ with --experimental-strip-types)`);
    }
    return MODULE.test(spec) ? 'module' : 'onnx';
  }
  if (baselineNames(envId).includes(spec)) return 'baseline';
  if (existsSync(spec) && statSync(spec).isDirectory()) return 'folder';
  const guess = nearest(spec, baselineNames(envId));
  throw new PolicySpecError(`unknown policy ${JSON.stringify(spec)} for ${envId}: not a .js/.mjs module, an .onnx file, a trained folder or one of ${baselineNames(envId).join(', ')}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`);
}

function stripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

/** Loads `spec` for `env` (made from `envId`); built-in baselines are seeded with `seed`, as `evaluate` seeds them. */
export async function loadBenchmarkPolicy(spec: string, env: Env<unknown, unknown>, envId: string, seed: number): Promise<BenchmarkPolicy> {
  switch (policyKind(spec, envId)) {
    case 'module':
      return loadModule(spec);
    case 'onnx':
      return loadOnnx(spec, env);
    case 'baseline':
    case 'folder': {
      const policy = policyByName(spec, env, seed, envId);
      return { name: policy.name, baseline: baselineNames(envId).includes(spec), act: (o, i) => policy.act(o, i) };
    }
  }
}

/** Loads so far in this thread: each load imports its own instance of the module. */
let instances = 0;

async function loadModule(file: string): Promise<BenchmarkPolicy> {
  let exported: unknown;
  // A module listed twice must not share its state between the two (nor depend on whether both
  // land in one worker thread), so every load evaluates the module afresh: the query string makes
  // it a new ES module instance; the modules it imports are still shared.
  const url = `${pathToFileURL(path.resolve(file)).href}?instance=${++instances}`;
  try {
    exported = ((await import(url)) as { default?: unknown }).default;
  } catch (err) {
    throw new PolicyLoadError(`policy ${file} failed to load: ${(err as Error).message}`);
  }
  const fallback = path.basename(file).replace(MODULE, '');
  if (typeof exported === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(exported))) {
    exported = new (exported as new () => unknown)();
  }
  if (typeof exported === 'function') {
    const act = exported as ActFunction;
    return { name: fallback, baseline: false, act: (o, i) => act(o, i) };
  }
  if (typeof exported === 'object' && exported !== null && typeof (exported as ActObject).act === 'function') {
    const p = exported as ActObject;
    const name = typeof p.name === 'string' && p.name !== '' ? p.name : fallback;
    return { name, baseline: false, act: (o, i) => p.act(o, i), reset: p.reset?.bind(p), close: p.close?.bind(p) };
  }
  throw new PolicyLoadError(`policy ${file}: its default export must be a function (observation, info) => action or an object with act(observation, info); got ${exported === null ? 'null' : typeof exported}`);
}

/** The part of onnxruntime-node's API used here, so its types stay out of edgegym's public ones. */
interface OrtTensor {
  readonly data: unknown;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface Ort {
  InferenceSession: { create(file: string): Promise<OrtSession> };
  Tensor: new (type: string, data: Float32Array | Uint8Array, dims: number[]) => OrtTensor;
}

/** A model written by `edgegym export`, acting greedily: argmax of the masked logits, or the Gaussian's mean clipped to the bounds. */
async function loadOnnx(file: string, env: Env<unknown, unknown>): Promise<BenchmarkPolicy> {
  let ort: Ort;
  try {
    ort = (await import('onnxruntime-node')) as unknown as Ort;
  } catch {
    throw new PolicySpecError(`policy ${file}: running an .onnx policy needs onnxruntime-node, an optional dependency: npm install onnxruntime-node`);
  }
  const session = await ort.InferenceSession.create(path.resolve(file));
  const obsSpace = env.observationSpace;
  const actSpace = env.actionSpace;
  const masked = session.inputNames.includes('action_mask');
  const maskSize = actSpace instanceof Discrete ? actSpace.n : actSpace instanceof MultiDiscrete ? actSpace.nvec.reduce((a, b) => a + b, 0) : 0;
  const ones = new Uint8Array(maskSize).fill(1);
  return {
    name: path.basename(file),
    baseline: false,
    act: async (observation, info) => {
      const feeds: Record<string, OrtTensor> = { observation: new ort.Tensor('float32', obsSpace.flatten(observation), [1, obsSpace.flatDim]) };
      if (masked) feeds.action_mask = new ort.Tensor('uint8', info.actionMask instanceof Uint8Array ? info.actionMask : ones, [1, maskSize]);
      const out = await session.run(feeds);
      if (actSpace instanceof Box) {
        const mean = out.mean.data as Float32Array;
        return Float32Array.from(mean, (m, k) => Math.min(actSpace.high[k], Math.max(actSpace.low[k], m)));
      }
      const logits = out.logits.data as Float32Array;
      if (actSpace instanceof Discrete) return actSpace.start + argmax(logits, 0, actSpace.n);
      if (actSpace instanceof MultiDiscrete) {
        let offset = 0;
        return Int32Array.from(actSpace.nvec, (n, k) => {
          const a = actSpace.start[k] + argmax(logits, offset, n);
          offset += n;
          return a;
        });
      }
      throw new Error(`${file}: cannot act in ${actSpace}`);
    },
    close: () => session.release(),
  };
}

function argmax(values: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (values[offset + k] > values[offset + best]) best = k;
  return best;
}
