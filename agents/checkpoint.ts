// The checkpoint format: model.json + weights.bin (a tfjs LayersModel), policy.json (what the
// policy is and how it was trained), training.json + optimizer.bin (what a resumed run restores);
// and loading one, every file checked before use, in plain JS (saving is checkpoint-save.ts).

import fs from 'node:fs';
import path from 'node:path';
import { spaceFromJSON } from '../src/spaces/json.js';
import type { Space, SpaceJSON } from '../src/spaces/space.js';
import type { VectorizationMode } from '../src/vector/make-vec.js';
import type { ObsNormState } from './obs-norm.js';
import type { OptimizerState } from './optim.js';
import { type NetworkConfig, PolicyNetwork } from './policy-network.js';
import type { CommonConfig, TrainingState } from './training.js';

/** The format tag and version policy.json carries. Version 2 added the training fields. */
export const POLICY_FORMAT = 'edgegym-policy';
export const POLICY_FORMAT_VERSION = 2;
export const TRAINING_FORMAT = 'edgegym-training';
export const TRAINING_FORMAT_VERSION = 1;

/** What policy.json holds. */
export interface PolicyFile {
  format: typeof POLICY_FORMAT;
  version: number;
  algo: 'ppo' | 'a2c';
  envId: string | null;
  envKwargs: Record<string, unknown>;
  observationSpace: SpaceJSON;
  actionSpace: SpaceJSON;
  network: NetworkConfig & {
    /** LayersModel names of the network's dense layers, in parameter order. */
    layers: string[];
    /** The model's outputs: the actor's (logits or Gaussian means) and the value. */
    outputs: ['actor_head', 'value_head'] | ['actor', 'value'];
  };
  /** The Gaussian policy's learned log-std (Box actions), else null. */
  logStd: number[] | null;
  /** The statistics the model's input must be normalised with, or null (raw observations). */
  obsNormalization: ObsNormState | null;
  /** Every hyper-parameter of the run. */
  config: object;
  seed: number;
  globalStep: number;
  /** Updates done, of how many. */
  update: number;
  updates: number;
  numEnvs: number;
  vectorizationMode: VectorizationMode | null;
  /** The tensor backend it was trained on (a resumed run matches bit for bit only on the same one). */
  backend: string;
  packageVersion: string;
  savedAt: string;
}

/** training.json: the rest of a run's state; the optimiser's moments are in optimizer.bin. */
export interface TrainingFile {
  format: typeof TRAINING_FORMAT;
  version: number;
  iteration: number;
  iterations: number;
  optimizer: { type: OptimizerState['type']; step: number; moments: number; length: number };
  rngs: TrainingState['rngs'];
  collector: TrainingState['collector'];
}

/** Where the trained env came from, beside the run's state. */
export interface CheckpointMeta {
  envId: string | null;
  envKwargs?: Record<string, unknown>;
  observationSpace: Space<unknown>;
  actionSpace: Space<unknown>;
  numEnvs: number;
  vectorizationMode?: VectorizationMode | null;
  /** Default: the tfjs backend in use. */
  backend?: string;
}

/** A bad checkpoint: the message names the file and what was wrong with it. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.file = file;
  }
}

/** What a loaded checkpoint gives. */
export interface Checkpoint {
  dir: string;
  policy: PolicyFile;
  /** The network's flat parameters (log-std included), from weights.bin and policy.json. */
  params: Float32Array;
  /** The run's state for resuming, or null when the folder has no training.json (an older save). */
  state: TrainingState | null;
}

/** What the caller expects of a checkpoint; a mismatch is a CheckpointError. */
export interface CheckpointExpectations {
  envId?: string;
  /** Length of the env's flat observation. */
  observationSize?: number;
  /** Require training.json and optimizer.bin (to resume). */
  training?: boolean;
}

/** Loads and checks the checkpoint folder `dir`: every file, size and field before use. */
export function loadCheckpoint(dir: string, expect: CheckpointExpectations = {}): Checkpoint {
  const folder = path.resolve(dir);
  if (!fs.existsSync(folder)) throw new CheckpointError(folder, 'no such checkpoint folder');
  const policyPath = path.join(folder, 'policy.json');
  const policy = readJson(policyPath) as PolicyFile;
  checkPolicyFile(policy, policyPath);
  const observationSpace = spaceFromJSON(policy.observationSpace, `${policyPath} observationSpace`);
  const actionSpace = spaceFromJSON(policy.actionSpace, `${policyPath} actionSpace`);
  if (expect.envId !== undefined && policy.envId !== null && policy.envId !== expect.envId) {
    throw new CheckpointError(policyPath, `trained on ${policy.envId}, not ${expect.envId}`);
  }
  if (expect.observationSize !== undefined && observationSpace.flatDim !== expect.observationSize) {
    throw new CheckpointError(policyPath, `the policy takes observations of ${observationSpace.flatDim} values, the env gives ${expect.observationSize}`);
  }
  const net = new PolicyNetwork(observationSpace.flatDim, actionSpace, policy.network, 1, null);
  const params = readWeights(folder, policy, net);
  const trainingPath = path.join(folder, 'training.json');
  let state: TrainingState | null = null;
  if (fs.existsSync(trainingPath)) state = readTraining(folder, trainingPath, policy, params);
  else if (expect.training === true) throw new CheckpointError(trainingPath, 'missing: this folder holds a policy but not the training state a resumed run needs');
  return { dir: folder, policy, params, state };
}

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) throw new CheckpointError(file, 'missing');
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CheckpointError(file, `not valid JSON (${(err as Error).message}); the file is damaged or was not written by edgegym`);
  }
}

function checkPolicyFile(p: PolicyFile, file: string): void {
  if (typeof p !== 'object' || p === null || p.format !== POLICY_FORMAT) throw new CheckpointError(file, `not an ${POLICY_FORMAT} file (format ${JSON.stringify((p as { format?: unknown } | null)?.format)})`);
  if (typeof p.version !== 'number' || p.version > POLICY_FORMAT_VERSION) throw new CheckpointError(file, `format version ${p.version} is newer than this edgegym reads (up to ${POLICY_FORMAT_VERSION}); upgrade edgegym`);
  if (p.algo !== 'ppo' && p.algo !== 'a2c') throw new CheckpointError(file, `"algo" must be "ppo" or "a2c", got ${JSON.stringify(p.algo)}`);
  const n = p.network;
  if (typeof n !== 'object' || n === null || !Array.isArray(n.hidden) || !n.hidden.every((h) => Number.isInteger(h) && h > 0) || typeof n.sharedNetwork !== 'boolean' || !Array.isArray(n.layers)) {
    throw new CheckpointError(file, '"network" must hold "hidden" (positive integers), "sharedNetwork" (boolean) and "layers" (names)');
  }
}

/** The flat parameters from model.json's manifest and weights.bin, each weight checked. */
function readWeights(folder: string, policy: PolicyFile, net: PolicyNetwork): Float32Array {
  const modelPath = path.join(folder, 'model.json');
  const model = readJson(modelPath) as { weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };
  if (!Array.isArray(model.weightsManifest)) throw new CheckpointError(modelPath, 'no "weightsManifest": not a tfjs LayersModel file');
  const byName = new Map<string, Float32Array>();
  for (const group of model.weightsManifest) {
    const parts = group.paths.map((p) => {
      const file = path.join(folder, p);
      if (!fs.existsSync(file)) throw new CheckpointError(file, `missing (model.json lists it)`);
      return fs.readFileSync(file);
    });
    const bytes = Buffer.concat(parts);
    const where = group.paths.map((p) => path.join(folder, p)).join(' + ');
    const needed = 4 * group.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    if (bytes.length !== needed) throw new CheckpointError(where, `${bytes.length} bytes, but model.json's manifest needs ${needed}: the file is ${bytes.length < needed ? 'truncated' : 'too long'}`);
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new CheckpointError(modelPath, `weight ${w.name} is ${w.dtype}; only float32 is supported`);
      const size = w.shape.reduce((a, b) => a * b, 1);
      byName.set(w.name, new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 4 * size)));
      offset += 4 * size;
    }
  }
  const params = new Float32Array(net.params.length);
  const names = policy.network.layers;
  if (names.length !== net.layers.length) throw new CheckpointError(path.join(folder, 'policy.json'), `"network.layers" names ${names.length} layers, the network described has ${net.layers.length}`);
  net.layers.forEach((layer, i) => {
    params.set(weightNamed(byName, `${names[i]}/kernel`, layer.inputs * layer.outputs, modelPath), layer.weight);
    params.set(weightNamed(byName, `${names[i]}/bias`, layer.outputs, modelPath), layer.bias);
  });
  if (net.dist.freeParams > 0) {
    if (policy.logStd?.length !== net.dist.freeParams) throw new CheckpointError(path.join(folder, 'policy.json'), `"logStd" must hold ${net.dist.freeParams} values for this Box action space`);
    params.set(policy.logStd, net.dist.paramOffset);
  }
  return params;
}

function weightNamed(byName: Map<string, Float32Array>, name: string, size: number, where: string): Float32Array {
  // tfjs-layers may suffix a layer's weights (`name/kernel` → `name/kernel_1`) when names repeat.
  const found = byName.get(name) ?? [...byName].find(([k]) => k.replace(/_\d+$/, '') === name)?.[1];
  if (found === undefined) throw new CheckpointError(where, `no weight ${name} (expected ${size} values): the model does not match policy.json's network`);
  if (found.length !== size) throw new CheckpointError(where, `weight ${name} has ${found.length} values, the network in policy.json needs ${size}`);
  return found;
}

function readTraining(folder: string, file: string, policy: PolicyFile, params: Float32Array): TrainingState {
  const t = readJson(file) as TrainingFile;
  if (t.format !== TRAINING_FORMAT) throw new CheckpointError(file, `not an ${TRAINING_FORMAT} file (format ${JSON.stringify(t.format)})`);
  if (t.version > TRAINING_FORMAT_VERSION) throw new CheckpointError(file, `format version ${t.version} is newer than this edgegym reads (up to ${TRAINING_FORMAT_VERSION})`);
  const binPath = path.join(folder, 'optimizer.bin');
  if (!fs.existsSync(binPath)) throw new CheckpointError(binPath, 'missing (training.json needs the optimiser moments)');
  const bytes = fs.readFileSync(binPath);
  const { moments: count, length } = t.optimizer;
  if (length !== params.length) throw new CheckpointError(file, `optimiser moments of ${length} values, the network has ${params.length} parameters`);
  if (bytes.length !== 8 * count * length) throw new CheckpointError(binPath, `${bytes.length} bytes, expected ${8 * count * length} (${count} moments × ${length} float64): the file is ${bytes.length < 8 * count * length ? 'truncated' : 'too long'}`);
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const moments = Array.from({ length: count }, (_, i) => all.slice(i * length, (i + 1) * length));
  return {
    algo: policy.algo,
    config: policy.config as CommonConfig,
    iteration: t.iteration,
    iterations: t.iterations,
    params,
    optimizer: { type: t.optimizer.type, step: t.optimizer.step, moments },
    normalizer: policy.obsNormalization,
    rngs: t.rngs,
    collector: t.collector,
  };
}

/** This package's version, from its package.json (two folders up from dist/agents/). */
export const PACKAGE_VERSION: string = (() => {
  try {
    return (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();
