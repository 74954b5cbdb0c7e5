// `edgegym oracle`: the rollout oracle on PolicySelect-v0 — what switching static policies window
// by window can gain over one base policy, measured by exact replay before any training.

import type { Argv, CommandModule } from 'yargs';
import { STATIC_POLICIES } from '../../envs/edge/aset/policies.js';
import { formatOracle, oracleStudy, writeOracle } from '../../experiments/policy-select-oracle.js';
import { ASET_CONDITIONS, asetConditions } from '../../experiments/policy-select-paired.js';
import { type ArgsOf, checkNumber, parseTime } from '../cli-args.js';
import { formatExamples } from '../command-line.js';

function builder(y: Argv) {
  return y
    .option('condition', { type: 'string', array: true, choices: Object.keys(ASET_CONDITIONS), describe: 'only these test conditions (default: all five)' })
    .option('seeds', { type: 'number', default: 3, describe: 'episodes per condition' })
    .option('seed', { type: 'number', default: 1000, describe: 'episode i is reset with seed + i' })
    .option('lookahead', { type: 'number', default: 8, describe: 'windows of the base policy played after each tried window (0: the window alone)' })
    .option('horizon', { type: 'string', default: '150 s', describe: 'episode length; the cost grows with its square' })
    .option('base', { type: 'string', default: 'least-impedance', choices: Object.keys(STATIC_POLICIES), describe: 'the policy the oracle improves on, which also fills the lookahead' })
    .option('out', { type: 'string', describe: 'also write oracle.md and oracle.json (every episode\'s choices) into this folder' })
    .epilog(
      formatExamples([
        ["edgegym oracle --condition 'λ = 60' --seeds 3 --lookahead 8", 'what a switcher could gain over least-impedance at λ = 60'],
        ["edgegym oracle --horizon '60 s' --seeds 2 --lookahead 2 --out runs/oracle", 'a quick run of every condition, written to a folder'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const oracleCommand: CommandModule<object, Args> = {
  command: 'oracle',
  describe: 'the rollout oracle on PolicySelect-v0: what switching static policies per window can gain over one of them',
  builder,
  handler: (argv) => {
    checkNumber('--seeds', argv.seeds, { integer: true, min: 1 });
    checkNumber('--seed', argv.seed, { integer: true, min: 0 });
    checkNumber('--lookahead', argv.lookahead, { integer: true, min: 0 });
    parseTime(argv.horizon, '--horizon');
    const rows = oracleStudy(asetConditions(argv.condition), {
      seeds: argv.seeds,
      seed: argv.seed,
      lookahead: argv.lookahead,
      base: argv.base,
      shared: { horizon: argv.horizon },
      log: (line) => console.error(line),
    });
    console.log(formatOracle(rows, argv.base, argv.lookahead));
    if (argv.out !== undefined) {
      const files = writeOracle(argv.out, rows, argv.base, argv.lookahead);
      console.error(`wrote ${files.table} and ${files.json}`);
    }
  },
};
