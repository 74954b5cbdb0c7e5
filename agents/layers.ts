// The actor-critic network as plain data, layer by layer: the one description that both the
// TensorFlow.js LayersModel (tfjs-model.ts) and the ONNX graph (onnx/graph.ts) are built from.

import type { PolicyNetwork } from './policy-network.js';
import type { DenseLayer } from './mlp.js';
import type { ObsNormState } from './obs-norm.js';

/** y = x · kernel + bias, kernel row-major [inputs × outputs] (the tfjs layout). */
export interface DenseSpec {
  kind: 'dense';
  name: string;
  inputs: number;
  outputs: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** An element-wise non-linearity. */
export interface ActivationSpec {
  kind: 'activation';
  name: string;
  fn: 'tanh';
}

/** Observation normalisation: clip((x − mean) / std, −clip, clip), std = √(var + ε). */
export interface NormalizeSpec {
  kind: 'normalize';
  name: string;
  mean: Float32Array;
  std: Float32Array;
  clip: number;
}

export type LayerSpec = DenseSpec | ActivationSpec | NormalizeSpec;

/**
 * The network from observation to outputs: `input` layers, then one body (shared) or two
 * (actor's, critic's), then a head on each: the actor's outputs sit on the first body, the value
 * on the last.
 */
export interface NetworkSpec {
  obsDim: number;
  input: LayerSpec[];
  bodies: LayerSpec[][];
  actor: LayerSpec[];
  value: LayerSpec[];
}

/**
 * Names of the network's dense layers, parallel to `net.layers` (the flat parameter order):
 * `shared_hidden_1`, or `actor_hidden_1` and `critic_hidden_1`, …, `actor_head`, `value_head`.
 */
export function denseNames(net: PolicyNetwork): string[] {
  const names = new Map<DenseLayer, string>();
  net.bodies.forEach((body, b) => {
    const prefix = net.bodies.length === 1 ? 'shared' : b === 0 ? 'actor' : 'critic';
    body.forEach((layer, i) => names.set(layer, `${prefix}_hidden_${i + 1}`));
  });
  names.set(net.actorHead, 'actor_head');
  names.set(net.criticHead, 'value_head');
  return net.layers.map((l) => names.get(l) as string);
}

/**
 * Describes `net` with the weights in `params` (default: its own). With `normalization`, its
 * statistics are folded in front of the network, so the model takes raw observations.
 */
export function describeNetwork(net: PolicyNetwork, params: Float32Array = net.params, normalization: ObsNormState | null = null): NetworkSpec {
  const names = denseNames(net);
  const nameOf = new Map(net.layers.map((l, i) => [l, names[i]]));
  const stack = (layers: readonly DenseLayer[]): LayerSpec[] =>
    layers.flatMap((layer): LayerSpec[] => {
      const name = nameOf.get(layer) as string;
      const dense: DenseSpec = {
        kind: 'dense', name, inputs: layer.inputs, outputs: layer.outputs,
        kernel: params.slice(layer.weight, layer.weight + layer.inputs * layer.outputs), bias: params.slice(layer.bias, layer.bias + layer.outputs),
      };
      return layer.activation === 'tanh' ? [dense, { kind: 'activation', name: `${name}_tanh`, fn: 'tanh' }] : [dense];
    });
  const input: LayerSpec[] = [];
  if (normalization !== null) {
    const std = Float32Array.from(normalization.var, (v) => Math.sqrt(v + normalization.epsilon));
    input.push({ kind: 'normalize', name: 'obs_norm', mean: Float32Array.from(normalization.mean), std, clip: normalization.clip });
  }
  return { obsDim: net.obsDim, input, bodies: net.bodies.map(stack), actor: stack([net.actorHead]), value: stack([net.criticHead]) };
}

/** Every dense layer of the description, in the order weights are stored. */
export function denseLayersOf(spec: NetworkSpec): DenseSpec[] {
  return [...spec.input, ...spec.bodies.flat(), ...spec.actor, ...spec.value].filter((l): l is DenseSpec => l.kind === 'dense');
}
