// `edgegym export`: a trained agent as an ONNX model or a TensorFlow.js folder for other runtimes.

import fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { exportPolicy, formatExport } from '../../jobs/export.js';
import { type ArgsOf } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { UsageError } from '../errors.js';

function builder(y: Argv) {
  return y
    .positional('checkpoint', { type: 'string', demandOption: true, describe: 'a checkpoint folder, or a run folder (its newest checkpoint or policy/)' })
    .option('format', { choices: ['onnx', 'tfjs'] as const, demandOption: true, describe: 'onnx: one .onnx file; tfjs: model.json + weights.bin' })
    .option('out', { type: 'string', describe: 'file (onnx) or folder (tfjs) to write; default policy.onnx or tfjs/ inside the checkpoint' })
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' })
    .epilog(
      formatExamples([
        ['edgegym export runs/cartpole --format onnx --out runs/cartpole/policy.onnx', 'for onnxruntime.InferenceSession in Python, C++ or the web'],
        ['edgegym export runs/cp --format tfjs --out web/model', "the newest checkpoint of runs/cp (its policy/ once finished), for tf.loadLayersModel in a web page"],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const exportCommand: CommandModule<object, Args> = {
  command: 'export <checkpoint>',
  describe: 'export a trained agent for ONNX Runtime or TensorFlow.js, observation normalisation folded in',
  builder,
  handler: async (argv) => {
    if (!fs.existsSync(argv.checkpoint)) throw new UsageError(`export: ${argv.checkpoint} does not exist; give a checkpoint or run folder written by \`edgegym train --out\``);
    const result = await exportPolicy({ checkpoint: argv.checkpoint, format: argv.format, out: argv.out });
    console.log(argv.json ? JSON.stringify(result, null, 2) : formatExport(argv.format, result));
  },
};
