// Saved policies: a folder with the network as a TensorFlow.js LayersModel (model.json +
// weights.bin, loadable by tf.loadLayersModel anywhere), policy.json (env id, spaces, observation
// normalisation, algorithm, hyper-parameters) and the optimiser state; and loading one back as a
// Policy that acts in plain JS.

import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Info } from '../src/env.js';
import type { Policy } from '../src/policy.js';
import { Rng, type Seed } from '../src/rng.js';
import { Box } from '../src/spaces/box.js';
import { Discrete } from '../src/spaces/discrete.js';
import { spaceFromJSON } from '../src/spaces/json.js';
import { MultiDiscrete } from '../src/spaces/multi-discrete.js';
import type { DType, Space, SpaceJSON } from '../src/spaces/space.js';
import { typedArray } from '../src/spaces/space.js';
import { ActorCritic, type NetworkConfig } from './actor-critic.js';
import type { DenseLayer } from './network.js';
import { ObsNormalizer, type ObsNormState } from './obs-norm.js';
import type { TrainedAgent } from './training.js';

/** The format tag and version policy.json carries. */
export const POLICY_FORMAT = 'edgegym-policy';
export const POLICY_FORMAT_VERSION = 1;

/** What policy.json holds. */
export interface PolicyFile {
  format: typeof POLICY_FORMAT;
  version: number;
  algo: 'ppo' | 'a2c';
  envId: string | null;
  observationSpace: SpaceJSON;
  actionSpace: SpaceJSON;
  network: NetworkConfig & {
    /** LayersModel layer names, in the order of the network's dense layers. */
    layers: string[];
    /** The model's outputs: the actor's (logits or Gaussian means) and the value. */
    outputs: ['actor', 'value'];
  };
  /** The Gaussian policy's learned log-std (Box actions), else null. */
  logStd: number[] | null;
  obsNormalization: ObsNormState | null;
  config: object;
  globalStep: number;
  savedAt: string;
}

/** Where the saved env came from, beside the agent itself. */
export interface SavePolicyOptions {
  envId: string | null;
  observationSpace: Space<unknown>;
  actionSpace: Space<unknown>;
}

/**
 * Saves `agent` to the folder `dir`, atomically: everything is written into a fresh sibling
 * folder which is then renamed into place, so an interrupted save leaves the previous policy
 * (or nothing), never half of one. Needs a tensor backend (it builds the LayersModel).
 */
export async function savePolicy(dir: string, agent: TrainedAgent, options: SavePolicyOptions): Promise<void> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    const net = agent.network;
    const names = layerNames(net);
    const model = buildLayersModel(net, names);
    try {
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
          fs.writeFileSync(path.join(tmp, 'weights.bin'), new Uint8Array(data));
          const modelJson = {
            format: 'layers-model',
            generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
            convertedBy: null,
            modelTopology: artifacts.modelTopology,
            weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
          };
          fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(modelJson));
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
    } finally {
      model.dispose();
    }
    const dist = net.dist;
    const file: PolicyFile = {
      format: POLICY_FORMAT,
      version: POLICY_FORMAT_VERSION,
      algo: agent.algo,
      envId: options.envId,
      observationSpace: options.observationSpace.toJSON(),
      actionSpace: options.actionSpace.toJSON(),
      network: { ...net.config, layers: names, outputs: ['actor', 'value'] },
      logStd: dist.freeParams > 0 ? Array.from(net.params.subarray(dist.paramOffset, dist.paramOffset + dist.freeParams)) : null,
      obsNormalization: agent.normalizer?.toJSON() ?? null,
      config: agent.config,
      globalStep: agent.globalStep,
      savedAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(tmp, 'policy.json'), `${JSON.stringify(file, null, 2)}\n`);
    fs.writeFileSync(path.join(tmp, 'optimizer.json'), JSON.stringify(agent.optimizer.toJSON()));
    replaceDir(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Options of `loadPolicy`. */
export interface LoadPolicyOptions {
  /** Take the most likely action (default) rather than sampling from the policy. */
  deterministic?: boolean;
  /** Seeds sampling when not deterministic. */
  seed?: Seed;
}

/** A saved policy, acting in plain JS: no tensor backend needed. */
export class SavedPolicy implements Policy<unknown, unknown> {
  readonly name: string;
  readonly file: PolicyFile;
  readonly network: ActorCritic;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  readonly deterministic: boolean;
  private readonly normalizer: ObsNormalizer | null;
  private rng: Rng;
  private readonly obs: Float32Array;
  private readonly outputs: Float32Array;
  private readonly sampled: Float32Array;
  private readonly envAction: Float64Array;
  private readonly value = new Float32Array(1);

  constructor(file: PolicyFile, params: Float32Array, name: string, options: LoadPolicyOptions = {}) {
    this.file = file;
    this.name = name;
    this.observationSpace = spaceFromJSON(file.observationSpace, 'policy.json observationSpace');
    this.actionSpace = spaceFromJSON(file.actionSpace, 'policy.json actionSpace');
    this.network = new ActorCritic(this.observationSpace.flatDim, this.actionSpace, file.network, 1, null);
    this.network.params.set(params);
    this.network.paramsChanged();
    this.normalizer = file.obsNormalization === null ? null : ObsNormalizer.fromJSON(file.obsNormalization);
    this.deterministic = options.deterministic ?? true;
    this.rng = new Rng(options.seed ?? 0, 'policy');
    this.obs = new Float32Array(this.observationSpace.flatDim);
    this.outputs = new Float32Array(this.network.dist.outputs);
    this.sampled = new Float32Array(this.network.dist.actionWidth);
    this.envAction = new Float64Array(this.network.dist.actionWidth);
  }

  seed(seed: Seed): void {
    this.rng = new Rng(seed, 'policy');
  }

  act(observation: unknown, info: Info): unknown {
    this.prepare(observation);
    const dist = this.network.dist;
    this.network.actorForward(this.obs, 1, this.outputs);
    const mask = dist.maskSize > 0 && info.actionMask instanceof Uint8Array ? info.actionMask : null;
    if (mask !== null && mask.length !== dist.maskSize) throw new RangeError(`${this.name}: info.actionMask has length ${mask.length}, expected ${dist.maskSize}`);
    if (this.deterministic) dist.mode(this.outputs, 0, mask, this.sampled);
    else dist.sample(this.outputs, 0, mask, this.network.params, this.rng, this.sampled);
    dist.toEnv(this.sampled, 0, this.envAction);
    const space = this.actionSpace;
    if (space instanceof Discrete) return this.envAction[0];
    if (space instanceof MultiDiscrete) return Int32Array.from(this.envAction);
    const out = typedArray((space as Box<DType>).dtype, this.envAction.length);
    for (let i = 0; i < out.length; i++) out[i] = this.envAction[i];
    return out;
  }

  /** The critic's V(s), for inspection. */
  valueOf(observation: unknown): number {
    this.prepare(observation);
    this.network.value(this.obs, 1, this.value);
    return this.value[0];
  }

  private prepare(observation: unknown): void {
    if (!this.observationSpace.contains(observation)) throw new TypeError(`${this.name}: observation is not in ${this.observationSpace}`);
    this.observationSpace.flattenInto(observation, this.obs, 0);
    this.normalizer?.normalize(this.obs, 1, this.obs, false);
  }
}

/**
 * Loads a saved policy as a `Policy` for `evaluate` (or anything else). `dir` is the policy
 * folder, or a training run's `--out` folder holding one in `policy/`.
 */
export function loadPolicy(dir: string, options: LoadPolicyOptions = {}): SavedPolicy {
  const folder = fs.existsSync(path.join(dir, 'policy.json')) ? dir : path.join(dir, 'policy');
  const policyPath = path.join(folder, 'policy.json');
  if (!fs.existsSync(policyPath)) throw new Error(`loadPolicy: no policy.json in ${dir} or ${path.join(dir, 'policy')}; point at a folder written by \`edgegym train --out\``);
  const file = JSON.parse(fs.readFileSync(policyPath, 'utf8')) as PolicyFile;
  if (file.format !== POLICY_FORMAT) throw new Error(`loadPolicy: ${policyPath} is not an ${POLICY_FORMAT} file (format ${JSON.stringify(file.format)})`);
  if (file.version > POLICY_FORMAT_VERSION) throw new Error(`loadPolicy: ${policyPath} has format version ${file.version}; this edgegym reads up to ${POLICY_FORMAT_VERSION}`);
  const modelJson = JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };
  // Weights are float32 tensors concatenated in manifest order across the listed files.
  const byName = new Map<string, Float32Array>();
  for (const group of modelJson.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(folder, p))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`loadPolicy: weight ${w.name} is ${w.dtype}; only float32 is supported`);
      const size = w.shape.reduce((a, b) => a * b, 1);
      byName.set(w.name, new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 4 * size)));
      offset += 4 * size;
    }
  }
  const probe = new ActorCritic(spaceFromJSON(file.observationSpace).flatDim, spaceFromJSON(file.actionSpace), file.network, 1, null);
  const params = new Float32Array(probe.params.length);
  probe.layers.forEach((layer, i) => {
    const name = file.network.layers[i];
    params.set(weightNamed(byName, `${name}/kernel`, layer.inputs * layer.outputs, policyPath), layer.weight);
    params.set(weightNamed(byName, `${name}/bias`, layer.outputs, policyPath), layer.bias);
  });
  if (probe.dist.freeParams > 0) params.set(file.logStd ?? [], probe.dist.paramOffset);
  const name = `${file.algo}:${path.basename(path.resolve(dir))}`;
  return new SavedPolicy(file, params, name, options);
}

function weightNamed(byName: Map<string, Float32Array>, name: string, size: number, where: string): Float32Array {
  // tfjs-layers may suffix a layer's weights (`name/kernel` → `name/kernel_1`) when names repeat.
  const found = byName.get(name) ?? [...byName].find(([k]) => k.replace(/_\d+$/, '') === name)?.[1];
  if (found === undefined || found.length !== size) throw new Error(`loadPolicy: ${where}: model.json has no ${size}-value weight ${name}`);
  return found;
}

/** LayersModel names of the network's dense layers, parallel to `net.layers`. */
function layerNames(net: ActorCritic): string[] {
  const names = new Map<DenseLayer, string>();
  net.bodies.forEach((body, b) => {
    const prefix = net.bodies.length === 1 ? 'shared' : b === 0 ? 'actor' : 'critic';
    body.forEach((layer, i) => names.set(layer, `${prefix}_hidden_${i + 1}`));
  });
  names.set(net.actorHead, 'actor_head');
  names.set(net.criticHead, 'value_head');
  return net.layers.map((l) => names.get(l) as string);
}

/** The network as a functional LayersModel with outputs [actor, value], holding its current weights. */
function buildLayersModel(net: ActorCritic, names: string[]): tf.LayersModel {
  const nameOf = new Map(net.layers.map((l, i) => [l, names[i]]));
  const dense = (layer: DenseLayer): tf.layers.Layer =>
    tf.layers.dense({ units: layer.outputs, activation: layer.activation, name: nameOf.get(layer), kernelInitializer: 'zeros', biasInitializer: 'zeros' });
  const input = tf.input({ shape: [net.obsDim], name: 'observation' });
  const run = (layers: readonly DenseLayer[], x: tf.SymbolicTensor): tf.SymbolicTensor => layers.reduce((h, l) => dense(l).apply(h) as tf.SymbolicTensor, x);
  const actorBody = run(net.bodies[0], input);
  const criticBody = net.bodies.length === 1 ? actorBody : run(net.bodies[1], input);
  const model = tf.model({ inputs: input, outputs: [run([net.actorHead], actorBody), run([net.criticHead], criticBody)], name: 'actor_critic' });
  tf.tidy(() => {
    for (const layer of net.layers) {
      const p = net.params;
      model.getLayer(nameOf.get(layer) as string).setWeights([tf.tensor2d(p.slice(layer.weight, layer.weight + layer.inputs * layer.outputs), [layer.inputs, layer.outputs]), tf.tensor1d(p.slice(layer.bias, layer.bias + layer.outputs))]);
    }
  });
  return model;
}

/** Moves folder `from` to `to`, replacing what is there with a rename, not a delete-then-write. */
function replaceDir(from: string, to: string): void {
  if (!fs.existsSync(to)) {
    fs.renameSync(from, to);
    return;
  }
  const old = `${to}.old-${process.pid}`;
  fs.rmSync(old, { recursive: true, force: true });
  fs.renameSync(to, old);
  fs.renameSync(from, to);
  fs.rmSync(old, { recursive: true, force: true });
}
