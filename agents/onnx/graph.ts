// The network description (layers.ts) as an ONNX graph, opset 13: one small function per layer
// kind (dense → Gemm, activation → Tanh, normalize → Sub/Div/Clip, mask → Where), and the model.

import type { ActivationSpec, DenseSpec, LayerSpec, NetworkSpec, NormalizeSpec } from '../layers.js';
import { AttributeType, DataType, type ModelMessage, type NodeMessage, type TensorMessage, type ValueInfoMessage } from './onnx-proto.js';

/** Opset 13: the oldest with Clip's bounds as inputs; ONNX Runtime ≥ 1.6 and onnx.js-era runtimes read it. */
export const OPSET = 13;
/** IR version 7 goes with opset 13. */
export const IR_VERSION = 7;

/** Nodes and initializers collected while walking the description. */
class GraphBuilder {
  readonly nodes: NodeMessage[] = [];
  readonly initializers: TensorMessage[] = [];

  constant(name: string, dims: number[], values: Float32Array): string {
    this.initializers.push({ name, dims, data_type: DataType.FLOAT, raw_data: littleEndian(values) });
    return name;
  }

  node(op: string, name: string, input: string[], attribute: NodeMessage['attribute'] = []): string {
    const output = `${name}_out`;
    this.nodes.push({ name, op_type: op, input, output: [output], attribute });
    return output;
  }
}

function dense(g: GraphBuilder, spec: DenseSpec, x: string): string {
  const w = g.constant(`${spec.name}/kernel`, [spec.inputs, spec.outputs], spec.kernel);
  const b = g.constant(`${spec.name}/bias`, [spec.outputs], spec.bias);
  return g.node('Gemm', spec.name, [x, w, b]);
}

function activation(g: GraphBuilder, spec: ActivationSpec, x: string): string {
  return g.node('Tanh', spec.name, [x]);
}

function normalize(g: GraphBuilder, spec: NormalizeSpec, x: string): string {
  const d = spec.mean.length;
  const centred = g.node('Sub', `${spec.name}_centre`, [x, g.constant(`${spec.name}/mean`, [d], spec.mean)]);
  const scaled = g.node('Div', `${spec.name}_scale`, [centred, g.constant(`${spec.name}/std`, [d], spec.std)]);
  const lo = g.constant(`${spec.name}/clip_min`, [], Float32Array.of(-spec.clip));
  const hi = g.constant(`${spec.name}/clip_max`, [], Float32Array.of(spec.clip));
  return g.node('Clip', `${spec.name}_clip`, [scaled, lo, hi]);
}

/** Masked logits: where the mask (uint8, 1 = allowed) is 0, −∞, as the categorical treats them. */
function mask(g: GraphBuilder, logits: string, actionMask: string): string {
  const allowed = g.node('Cast', 'mask_to_bool', [actionMask], [{ name: 'to', type: AttributeType.INT, i: DataType.BOOL }]);
  return g.node('Where', 'mask_logits', [allowed, logits, g.constant('mask/neg_inf', [], Float32Array.of(-Infinity))]);
}

const LAYERS: { [K in LayerSpec['kind']]: (g: GraphBuilder, spec: Extract<LayerSpec, { kind: K }>, x: string) => string } = { dense, activation, normalize };

function run(g: GraphBuilder, layers: readonly LayerSpec[], x: string): string {
  return layers.reduce((h, layer) => (LAYERS[layer.kind] as (g: GraphBuilder, s: LayerSpec, x: string) => string)(g, layer, h), x);
}

/** What the graph's outputs are, beyond the description: the action distribution's form. */
export type OnnxHead = { kind: 'categorical'; maskSize: number } | { kind: 'gaussian'; logStd: Float32Array };

/** Graph inputs and outputs of an exported policy, for documentation and metadata. */
export interface OnnxSignature {
  inputs: { name: string; type: string; shape: (number | string)[]; doc: string }[];
  outputs: { name: string; type: string; shape: (number | string)[]; doc: string }[];
}

/**
 * The whole model: inputs `observation` (float32 [batch, obsDim], raw: normalisation is inside)
 * and, for categorical policies, `action_mask` (uint8 [batch, logits], 1 = allowed: pass ones
 * where the env gives no mask); outputs `logits` (masked) or `mean` and `log_std`, and `value`.
 */
export function onnxModel(spec: NetworkSpec, head: OnnxHead, actorOutputs: number, metadata: Record<string, string>, producerVersion: string): { model: ModelMessage; signature: OnnxSignature } {
  const g = new GraphBuilder();
  const input = run(g, spec.input, 'observation');
  const bodies = spec.bodies.map((body) => run(g, body, input));
  const actor = run(g, spec.actor, bodies[0]);
  const value = run(g, spec.value, bodies[bodies.length - 1]);
  const signature: OnnxSignature = {
    inputs: [{ name: 'observation', type: 'float32', shape: ['batch', spec.obsDim], doc: 'raw flat observations (the env’s, flattened); normalisation is inside the model' }],
    outputs: [],
  };
  const outputs: [string, string][] = [];
  if (head.kind === 'categorical') {
    signature.inputs.push({ name: 'action_mask', type: 'uint8', shape: ['batch', head.maskSize], doc: '1 = allowed, 0 = masked, per logit (MultiDiscrete: the dimensions’ masks concatenated); all ones for no mask' });
    outputs.push([mask(g, actor, 'action_mask'), 'logits']);
    signature.outputs.push({ name: 'logits', type: 'float32', shape: ['batch', actorOutputs], doc: 'unnormalised log-probabilities, −inf where masked; argmax (per dimension) is the greedy action' });
  } else {
    outputs.push([actor, 'mean']);
    const logStd = g.constant('log_std_param', [head.logStd.length], head.logStd);
    outputs.push([g.node('Identity', 'log_std_identity', [logStd]), 'log_std']);
    signature.outputs.push({ name: 'mean', type: 'float32', shape: ['batch', actorOutputs], doc: 'the Gaussian’s mean; clipped to the action space’s bounds it is the greedy action' });
    signature.outputs.push({ name: 'log_std', type: 'float32', shape: [head.logStd.length], doc: 'the Gaussian’s log standard deviation (state-independent)' });
  }
  outputs.push([value, 'value']);
  signature.outputs.push({ name: 'value', type: 'float32', shape: ['batch', 1], doc: 'the critic’s V(s)' });
  // Graph outputs get their public names through Identity nodes, so internal names can change freely.
  for (const [from, to] of outputs) g.nodes.push({ name: `${to}_output`, op_type: 'Identity', input: [from], output: [to] });

  const valueInfo = (v: OnnxSignature['inputs'][number]): ValueInfoMessage => ({
    name: v.name,
    doc_string: v.doc,
    type: { tensor_type: { elem_type: v.type === 'uint8' ? DataType.UINT8 : DataType.FLOAT, shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
  });
  const model: ModelMessage = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'edgegym',
    producer_version: producerVersion,
    doc_string: 'An edgegym actor-critic policy: the actor’s outputs and the critic’s value, observation normalisation folded in.',
    graph: { name: 'actor_critic', node: g.nodes, initializer: g.initializers, input: signature.inputs.map(valueInfo), output: signature.outputs.map(valueInfo) },
    metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  return { model, signature };
}

function littleEndian(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(4 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return bytes;
}
