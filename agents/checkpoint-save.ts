// Writing a checkpoint: the files of a run's state (the LayersModel built by tfjs-layers from the
// layer description, policy.json, training.json, optimizer.bin), saved atomically in one go.

import * as tf from '@tensorflow/tfjs';
import { type CheckpointMeta, PACKAGE_VERSION, POLICY_FORMAT, POLICY_FORMAT_VERSION, type PolicyFile, TRAINING_FORMAT, TRAINING_FORMAT_VERSION, type TrainingFile } from './checkpoint.js';
import { writeFolderAtomically } from './checkpoint-folder.js';
import { denseNames, describeNetwork } from './layers.js';
import { PolicyNetwork } from './policy-network.js';
import { tfjsModelFiles } from './tfjs-model.js';
import type { TrainedAgent, TrainingState } from './training.js';

/** The files of a checkpoint of `state`, by name (what `saveCheckpoint` writes). */
export function checkpointFiles(state: TrainingState, meta: CheckpointMeta): Map<string, Uint8Array | string> {
  const net = new PolicyNetwork(meta.observationSpace.flatDim, meta.actionSpace, state.config, 1, null);
  const model = tfjsModelFiles(describeNetwork(net, state.params));
  const dist = net.dist;
  const policy: PolicyFile = {
    format: POLICY_FORMAT,
    version: POLICY_FORMAT_VERSION,
    algo: state.algo,
    envId: meta.envId,
    envKwargs: meta.envKwargs ?? {},
    observationSpace: meta.observationSpace.toJSON(),
    actionSpace: meta.actionSpace.toJSON(),
    network: { hidden: [...state.config.hidden], sharedNetwork: state.config.sharedNetwork, layers: denseNames(net), outputs: ['actor_head', 'value_head'] },
    logStd: dist.freeParams > 0 ? Array.from(state.params.subarray(dist.paramOffset, dist.paramOffset + dist.freeParams)) : null,
    obsNormalization: state.normalizer,
    config: { ...state.config },
    seed: state.config.seed,
    globalStep: state.collector.globalStep,
    update: state.iteration,
    updates: state.iterations,
    numEnvs: meta.numEnvs,
    vectorizationMode: meta.vectorizationMode ?? null,
    backend: meta.backend ?? tf.getBackend(),
    packageVersion: PACKAGE_VERSION,
    savedAt: new Date().toISOString(),
  };
  const moments = state.optimizer.moments;
  const training: TrainingFile = {
    format: TRAINING_FORMAT,
    version: TRAINING_FORMAT_VERSION,
    iteration: state.iteration,
    iterations: state.iterations,
    optimizer: { type: state.optimizer.type, step: state.optimizer.step, moments: moments.length, length: moments[0]?.length ?? 0 },
    rngs: state.rngs,
    collector: state.collector,
  };
  const optimizerBin = new Float64Array(moments.reduce((n, m) => n + m.length, 0));
  moments.forEach((m, i) => optimizerBin.set(m, i * m.length));
  return new Map<string, Uint8Array | string>([
    ['model.json', model.modelJson],
    ['weights.bin', model.weightData],
    ['policy.json', `${JSON.stringify(policy, null, 2)}\n`],
    ['training.json', JSON.stringify(training)],
    ['optimizer.bin', new Uint8Array(optimizerBin.buffer)],
  ]);
}

/**
 * Writes a checkpoint of `state` as the folder `dir`, atomically (see writeFolderAtomically):
 * an interrupted save leaves the previous folder, or none, never half of one. Synchronous, so a
 * training loop can save between two updates; needs a tensor backend (tfjs builds model.json).
 */
export function saveCheckpoint(dir: string, state: TrainingState, meta: CheckpointMeta): void {
  writeFolderAtomically(dir, checkpointFiles(state, meta));
}

/** A trained agent as a checkpoint folder `dir` (what `edgegym train` writes as `<out>/policy`). */
export async function savePolicy(dir: string, agent: TrainedAgent, meta: Omit<CheckpointMeta, 'numEnvs'> & { numEnvs?: number }): Promise<void> {
  saveCheckpoint(dir, agent.state, { ...meta, numEnvs: meta.numEnvs ?? agent.state.collector.episodeReturn.length });
}
