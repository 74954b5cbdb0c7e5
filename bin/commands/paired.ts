// `edgegym paired`: ASET's paired comparison on PolicySelect-v0 — a policy (usually a trained
// folder) against every static policy on the same held-out seeds, per test condition.

import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { STATIC_POLICIES } from '../../envs/edge/aset/policies.js';
import { ASET_CONDITIONS, asetConditions, formatPaired, pairedComparison, writePaired } from '../../experiments/policy-select-paired.js';
import { type ArgsOf, checkNumber, parseKwargs, parseTime } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { UsageError } from '../errors.js';

function builder(y: Argv) {
  return y
    .option('policy', { type: 'string', describe: 'the policy compared: a folder written by `edgegym train --out`, or a static policy\'s name (required unless --only-baselines)' })
    .option('label', { type: 'string', describe: "the policy's name in the table (default: the folder's name)" })
    .option('out', { type: 'string', default: 'runs/aset-paired', describe: 'folder for paired.md and the per-episode cache (episodes/<condition>/<policy>.json), which a second run reuses' })
    .option('seeds', { type: 'number', default: 10, describe: 'paired episodes per condition' })
    .option('seed', { type: 'number', default: 1000, describe: 'episode i is reset with seed + i (1000 on: seeds training never used)' })
    .option('condition', { type: 'string', array: true, choices: Object.keys(ASET_CONDITIONS), describe: 'only these test conditions (default: all five)' })
    .option('baseline', { type: 'string', array: true, choices: Object.keys(STATIC_POLICIES), describe: 'only these static policies (default: all)' })
    .option('only-baselines', { type: 'boolean', default: false, describe: 'play the static policies only (fills the cache; prints no table)' })
    .option('horizon', { type: 'string', describe: 'episode length for every condition, e.g. "5 min" (default: the env\'s 10 min)' })
    .option('policy-kwargs', { type: 'string', describe: 'PolicySelect-v0 kwargs for the compared policy\'s episodes only, as JSON (e.g. the `policies` or `window` it was trained with)' })
    .epilog(
      formatExamples([
        ['edgegym paired --policy experiments/pretrained/aset-ppo --out runs/aset-paired --seeds 10', 'the shipped agent against every static policy in all five conditions'],
        ["edgegym paired --policy least-impedance --condition 'λ = 60' --baseline closest --seeds 3 --horizon '1 min'", 'a quick look: one condition, one static policy'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const pairedCommand: CommandModule<object, Args> = {
  command: 'paired',
  describe: "ASET's paired comparison: a PolicySelect-v0 policy against every static policy on the same seeds, per condition",
  builder,
  handler: (argv) => {
    checkNumber('--seeds', argv.seeds, { integer: true, min: 2 });
    checkNumber('--seed', argv.seed, { integer: true, min: 0 });
    if (argv.horizon !== undefined) parseTime(argv.horizon, '--horizon');
    if (argv.policy === undefined && !argv.onlyBaselines) throw new UsageError('name the policy to compare with --policy (a trained folder or a static policy), or pass --only-baselines');
    const policy = argv.policy ?? 'least-impedance';
    const label = argv.label ?? path.basename(path.resolve(policy));
    const rows = pairedComparison({
      policy,
      label,
      seeds: argv.seeds,
      seed: argv.seed,
      conditions: asetConditions(argv.condition),
      cache: path.join(argv.out, 'episodes'),
      onlyBaselines: argv.onlyBaselines,
      ...(argv.baseline === undefined ? {} : { baselines: argv.baseline }),
      ...(argv.horizon === undefined ? {} : { base: { horizon: argv.horizon } }),
      ...(argv.policyKwargs === undefined ? {} : { policyKwargs: parseKwargs(argv.policyKwargs, '--policy-kwargs') }),
      log: (line) => console.error(line),
    });
    if (rows.length === 0) return;
    const file = writePaired(argv.out, rows, label);
    console.log(formatPaired(rows, label));
    console.error(`wrote ${file}`);
  },
};
