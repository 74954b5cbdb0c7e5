// The network description (layers.ts) as a TensorFlow.js LayersModel: model.json's topology,
// built with tfjs-layers so that plain `tf.loadLayersModel` reads it, and weights.bin's bytes.

import * as tf from '@tensorflow/tfjs';
import type { ActivationSpec, DenseSpec, LayerSpec, NetworkSpec, NormalizeSpec } from './layers.js';

/** One weight as model.json's manifest lists it, with its values. */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** What model.json and weights.bin hold. */
export interface TfjsModelFiles {
  /** model.json's text. */
  modelJson: string;
  /** weights.bin: every weight as float32, little-endian, in manifest order. */
  weightData: Uint8Array;
}

/** A tfjs layer (or a short chain of them) for one described layer, and the weights it holds. */
interface Built {
  apply(x: tf.SymbolicTensor): tf.SymbolicTensor;
  weights: NamedWeight[];
}

function dense(spec: DenseSpec): Built {
  const layer = tf.layers.dense({ units: spec.outputs, name: spec.name, kernelInitializer: 'zeros', biasInitializer: 'zeros' });
  return {
    apply: (x) => layer.apply(x) as tf.SymbolicTensor,
    weights: [
      { name: `${spec.name}/kernel`, shape: [spec.inputs, spec.outputs], values: spec.kernel },
      { name: `${spec.name}/bias`, shape: [spec.outputs], values: spec.bias },
    ],
  };
}

function activation(spec: ActivationSpec): Built {
  const layer = tf.layers.activation({ activation: spec.fn, name: spec.name });
  return { apply: (x) => layer.apply(x) as tf.SymbolicTensor, weights: [] };
}

/**
 * tfjs-layers has no per-feature affine layer and no clip layer, so normalisation is three stock
 * layers: a diagonal dense layer giving z + c with z = (x − mean)/std, ReLU capped at 2c (the
 * clip to ±c, shifted), and an identity dense layer subtracting c again.
 */
function normalize(spec: NormalizeSpec): Built {
  const d = spec.mean.length;
  const c = spec.clip;
  const scale = new Float32Array(d * d);
  const shiftIn = new Float32Array(d);
  const identity = new Float32Array(d * d);
  for (let i = 0; i < d; i++) {
    scale[i * d + i] = 1 / spec.std[i];
    shiftIn[i] = c - spec.mean[i] / spec.std[i];
    identity[i * d + i] = 1;
  }
  const inner = dense({ kind: 'dense', name: `${spec.name}_scale`, inputs: d, outputs: d, kernel: scale, bias: shiftIn });
  const clip = tf.layers.reLU({ maxValue: 2 * c, name: `${spec.name}_clip` });
  const outer = dense({ kind: 'dense', name: `${spec.name}_shift`, inputs: d, outputs: d, kernel: identity, bias: new Float32Array(d).fill(-c) });
  return { apply: (x) => outer.apply(clip.apply(inner.apply(x)) as tf.SymbolicTensor), weights: [...inner.weights, ...outer.weights] };
}

const BUILDERS: { [K in LayerSpec['kind']]: (spec: Extract<LayerSpec, { kind: K }>) => Built } = { dense, activation, normalize };

/**
 * model.json and weights.bin for `spec`: a functional model with input `observation` and the
 * outputs `actor_head` (logits or Gaussian means) and `value_head`. Needs a tfjs backend, as
 * building tfjs layers makes (zero) variables; they are disposed before it returns.
 */
export function tfjsModelFiles(spec: NetworkSpec): TfjsModelFiles {
  const weights: NamedWeight[] = [];
  const run = (layers: readonly LayerSpec[], x: tf.SymbolicTensor): tf.SymbolicTensor =>
    layers.reduce((h, layer) => {
      const built = (BUILDERS[layer.kind] as (s: LayerSpec) => Built)(layer);
      weights.push(...built.weights);
      return built.apply(h);
    }, x);
  const observation = tf.input({ shape: [spec.obsDim], name: 'observation' });
  const input = run(spec.input, observation);
  const bodies = spec.bodies.map((body) => run(body, input));
  const actor = run(spec.actor, bodies[0]);
  const value = run(spec.value, bodies[bodies.length - 1]);
  const model = tf.model({ inputs: observation, outputs: [actor, value], name: 'actor_critic' });
  const topology = model.toJSON(undefined, false);
  model.dispose();

  const total = weights.reduce((n, w) => n + w.values.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    data.set(w.values, offset);
    offset += w.values.length;
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{ paths: ['weights.bin'], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }],
  };
  return { modelJson: JSON.stringify(modelJson), weightData: new Uint8Array(data.buffer) };
}
