// Saved policies: a checkpoint folder (see checkpoint.ts) loaded back as a Policy that acts in
// plain JS, with its masks and normalisation; nothing here loads tfjs.

import fs from 'node:fs';
import path from 'node:path';
import type { Info } from '../src/env.js';
import type { Policy } from '../src/policy.js';
import { Rng, type Seed } from '../src/rng.js';
import { Box } from '../src/spaces/box.js';
import { Discrete } from '../src/spaces/discrete.js';
import { spaceFromJSON } from '../src/spaces/json.js';
import { MultiDiscrete } from '../src/spaces/multi-discrete.js';
import type { DType, Space } from '../src/spaces/space.js';
import { typedArray } from '../src/spaces/space.js';
import { type CheckpointExpectations, CheckpointError, type PolicyFile, loadCheckpoint } from './checkpoint.js';
import { resolveCheckpoint } from './checkpoint-folder.js';
import { ObsNormalizer } from './obs-norm.js';
import { PolicyNetwork } from './policy-network.js';

/** Options of `loadPolicy`. */
export interface LoadPolicyOptions extends Pick<CheckpointExpectations, 'envId' | 'observationSize'> {
  /** Take the most likely action (default) rather than sampling from the policy. */
  deterministic?: boolean;
  /** Seeds sampling when not deterministic. */
  seed?: Seed;
}

/** A saved policy, acting in plain JS: no tensor backend needed. */
export class SavedPolicy implements Policy<unknown, unknown> {
  readonly name: string;
  readonly file: PolicyFile;
  readonly network: PolicyNetwork;
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
    this.network = new PolicyNetwork(this.observationSpace.flatDim, this.actionSpace, file.network, 1, null);
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
 * Loads a saved policy as a `Policy` for `evaluate` (or anything else). `dir` is a checkpoint
 * folder, or a training run's `--out` folder (its newest checkpoint or `policy/`). Every file is
 * checked first (see loadCheckpoint): a problem is a CheckpointError naming the file.
 */
export function loadPolicy(dir: string, options: LoadPolicyOptions = {}): SavedPolicy {
  const folder = resolveCheckpoint(dir, stepOf);
  if (folder === null) throw new CheckpointError(path.resolve(dir), `no policy.json here, in ${path.join(dir, 'policy')} or in ${path.join(dir, 'checkpoints')}/step-*; point at a folder written by \`edgegym train --out\``);
  const checkpoint = loadCheckpoint(folder, { envId: options.envId, observationSize: options.observationSize });
  const name = `${checkpoint.policy.algo}:${path.basename(path.resolve(dir))}`;
  return new SavedPolicy(checkpoint.policy, checkpoint.params, name, options);
}

/** The global step a checkpoint folder's policy.json records (0 when unreadable: it loses). */
export function stepOf(dir: string): number {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'policy.json'), 'utf8')) as PolicyFile).globalStep ?? 0;
  } catch {
    return 0;
  }
}
