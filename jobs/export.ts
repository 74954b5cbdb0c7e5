// `edgegym export`: a checkpoint (or a run's newest) as policy.onnx for ONNX Runtime or as a
// self-contained TensorFlow.js folder, with a summary of the inputs and outputs it wrote.

import { selectBackend } from '../agents/backend.js';
import { type ExportResult, exportOnnx, exportTfjs } from '../agents/export.js';

export type ExportFormat = 'onnx' | 'tfjs';

export interface ExportOptions {
  /** A checkpoint folder, or a run folder (its newest checkpoint or policy/). */
  checkpoint: string;
  format: ExportFormat;
  /** The .onnx file or tfjs folder to write (default: policy.onnx or tfjs/ in the checkpoint). */
  out?: string;
}

/** Exports one checkpoint. The tfjs format builds its topology with tfjs-layers, so it needs a tensor backend. */
export async function exportPolicy(options: ExportOptions): Promise<ExportResult> {
  if (options.format === 'onnx') return exportOnnx(options.checkpoint, options.out);
  await selectBackend('auto');
  return exportTfjs(options.checkpoint, options.out);
}

/** What was written, and the model's interface, as a few lines. */
export function formatExport(format: ExportFormat, r: ExportResult): string {
  const row = (v: ExportResult['signature']['inputs'][number]): string => `  ${v.name.padEnd(12)} ${v.type} [${v.shape.join(', ')}]  ${v.doc}`;
  return [
    `${format}: wrote ${r.path} (${r.bytes.toLocaleString('en-US')} bytes) from ${r.source}`,
    'inputs:',
    ...r.signature.inputs.map(row),
    'outputs:',
    ...r.signature.outputs.map(row),
  ].join('\n');
}
