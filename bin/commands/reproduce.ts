// `edgegym reproduce <experiment>`: a paper's experiment with the shipped agents; data, charts
// and a summary.md that checks each claim.

import type { Argv, CommandModule } from 'yargs';
import { EXPERIMENTS, type Experiment, reproduce } from '../../experiments/reproduce/index.js';
import type { ArgsOf } from '../cli-args.js';

function builder(y: Argv) {
  return y
    .positional('experiment', { choices: [...EXPERIMENTS, 'all'] as const, demandOption: true, describe: 'which paper' })
    .option('quick', { type: 'boolean', default: false, describe: 'fewer seeds and shorter episodes (a minute or two)' })
    .option('out', { type: 'string', default: 'runs/reproduce', describe: 'folder: <experiment>/summary.md, results.md, episodes.csv/.arrow, charts/' })
    .example('$0 reproduce placement --quick', "the model-driven paper's 2.3× claim, in about a minute")
    .example('$0 reproduce all --out runs/reproduce', 'every experiment, full seeds and horizons');
}

type Args = ArgsOf<typeof builder>;

export const reproduceCommand: CommandModule<object, Args> = {
  command: 'reproduce <experiment>',
  describe: "run a paper's experiment with the shipped agents and check its claims (ecsrl, placement)",
  builder,
  handler: async (argv) => {
    const experiments: readonly Experiment[] = argv.experiment === 'all' ? EXPERIMENTS : [argv.experiment as Experiment];
    const done = await reproduce({ experiments, quick: argv.quick, out: argv.out, log: (line) => console.error(line) });
    for (const { reproduction, files } of done) {
      console.log(`${reproduction.title}`);
      for (const c of reproduction.claims) console.log(`  ${c.agrees ? 'agrees  ' : 'DISAGREES'}  ${c.paper}: ${c.ours}`);
      console.log(`  ${files.summary}`);
    }
  },
};
