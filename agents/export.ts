// Exports a checkpoint for other runtimes: `policy.onnx` for ONNX Runtime, or a self-contained
// TensorFlow.js folder; both take raw observations, with the normalisation folded in.

import fs from 'node:fs';
import path from 'node:path';
import { spaceFromJSON } from '../src/spaces/json.js';
import { PolicyNetwork } from './policy-network.js';
import { type Checkpoint, PACKAGE_VERSION, loadCheckpoint } from './checkpoint.js';
import { resolveCheckpoint, writeFolderAtomically } from './checkpoint-folder.js';
import { Categorical } from './distributions.js';
import { describeNetwork } from './layers.js';
import { type OnnxSignature, onnxModel } from './onnx/graph.js';
import { encodeModel } from './onnx/onnx-proto.js';
import { stepOf } from './policy-io.js';
import { tfjsModelFiles } from './tfjs-model.js';
import { makeDirs } from '../src/make-dirs.js';

/** What an export wrote. */
export interface ExportResult {
  /** The .onnx file, or the tfjs folder. */
  path: string;
  bytes: number;
  /** The checkpoint it came from. */
  source: string;
  signature: OnnxSignature;
}

/** A checkpoint folder, a run folder (its newest checkpoint) or an already loaded checkpoint. */
export type ExportSource = string | Checkpoint;

function open(source: ExportSource): Checkpoint {
  if (typeof source !== 'string') return source;
  const dir = resolveCheckpoint(source, stepOf);
  if (dir === null) throw new Error(`export: no checkpoint in ${source} (no policy.json, checkpoints/step-*/ or policy/)`);
  return loadCheckpoint(dir);
}

function networkOf(checkpoint: Checkpoint): PolicyNetwork {
  const p = checkpoint.policy;
  const net = new PolicyNetwork(spaceFromJSON(p.observationSpace).flatDim, spaceFromJSON(p.actionSpace), p.network, 1, null);
  net.params.set(checkpoint.params);
  return net;
}

/** The ONNX ModelProto bytes of a checkpoint's policy (see `onnxModel` for its inputs and outputs). */
export function onnxBytes(source: ExportSource): { bytes: Uint8Array; signature: OnnxSignature; checkpoint: Checkpoint } {
  const checkpoint = open(source);
  const p = checkpoint.policy;
  const net = networkOf(checkpoint);
  const spec = describeNetwork(net, net.params, p.obsNormalization);
  const dist = net.dist;
  const head = dist instanceof Categorical ? { kind: 'categorical' as const, maskSize: dist.maskSize } : { kind: 'gaussian' as const, logStd: Float32Array.from(p.logStd ?? []) };
  const metadata = {
    'edgegym.env_id': p.envId ?? '',
    'edgegym.algo': p.algo,
    'edgegym.global_step': String(p.globalStep),
    'edgegym.observation_space': JSON.stringify(p.observationSpace),
    'edgegym.action_space': JSON.stringify(p.actionSpace),
  };
  const { model, signature } = onnxModel(spec, head, dist.outputs, metadata, PACKAGE_VERSION);
  return { bytes: encodeModel(model), signature, checkpoint };
}

/** Writes a checkpoint's policy as an ONNX model to `out` (default: `<checkpoint>/policy.onnx`). */
export function exportOnnx(source: ExportSource, out?: string): ExportResult {
  const { bytes, signature, checkpoint } = onnxBytes(source);
  const file = path.resolve(out ?? path.join(checkpoint.dir, 'policy.onnx'));
  makeDirs(path.dirname(file));
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
  return { path: file, bytes: bytes.length, source: checkpoint.dir, signature };
}

/**
 * Writes a checkpoint's policy as a TensorFlow.js LayersModel folder `out` (default:
 * `<checkpoint>/tfjs`): model.json, weights.bin and export.json (spaces, outputs). Unlike the
 * checkpoint's own model, it takes raw observations. Masks are the caller's: set the logits of
 * masked actions to −∞. Needs a tfjs backend.
 */
export function exportTfjs(source: ExportSource, out?: string): ExportResult {
  const checkpoint = open(source);
  const p = checkpoint.policy;
  const net = networkOf(checkpoint);
  const files = tfjsModelFiles(describeNetwork(net, net.params, p.obsNormalization));
  const isCategorical = net.dist instanceof Categorical;
  const signature: OnnxSignature = {
    inputs: [{ name: 'observation', type: 'float32', shape: ['batch', net.obsDim], doc: 'raw flat observations; normalisation is inside the model' }],
    outputs: [
      { name: 'actor_head', type: 'float32', shape: ['batch', net.dist.outputs], doc: isCategorical ? 'logits, unmasked' : 'the Gaussian’s mean' },
      { name: 'value_head', type: 'float32', shape: ['batch', 1], doc: 'the critic’s V(s)' },
    ],
  };
  const info = { format: 'edgegym-tfjs-export', version: 1, envId: p.envId, algo: p.algo, globalStep: p.globalStep, observationSpace: p.observationSpace, actionSpace: p.actionSpace, logStd: p.logStd, signature };
  const dir = path.resolve(out ?? path.join(checkpoint.dir, 'tfjs'));
  writeFolderAtomically(dir, new Map<string, Uint8Array | string>([['model.json', files.modelJson], ['weights.bin', files.weightData], ['export.json', `${JSON.stringify(info, null, 2)}\n`]]));
  return { path: dir, bytes: files.weightData.length + files.modelJson.length, source: checkpoint.dir, signature };
}
