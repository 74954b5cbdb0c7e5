// `edgegym reproduce <experiment>`: a paper's experiment; data, charts and a summary.md that checks
// each claim. --quick evaluates the shipped agents; without it each agent is first trained from scratch.

import type { Argv, CommandModule } from 'yargs';
import { EXPERIMENTS, type Experiment, reproduce } from '../../experiments/reproduce/index.js';
import { makeDirs } from '../../src/make-dirs.js';
import type { ArgsOf } from '../cli-args.js';
import { formatExamples } from '../command-line.js';

function builder(y: Argv) {
  return y
    .positional('experiment', { choices: [...EXPERIMENTS, 'all'] as const, demandOption: true, describe: 'which paper or figure' })
    .option('quick', { type: 'boolean', default: false, describe: 'the shipped agents, fewer seeds and shorter episodes (all: about 3 minutes on 2 cores)' })
    .option('out', { type: 'string', default: 'runs/reproduce', describe: 'folder: <experiment>/summary.md, results.md, episodes.csv/.arrow, charts/; without --quick also <experiment>/agent/' })
    .epilog(
      formatExamples([
        ['edgegym reproduce placement --quick', "the model-driven paper's 2.3× claim, in seconds"],
        ['edgegym reproduce aset-fig2 --quick', "ASET's Fig. 2 with the shipped agent: ratios over time at λ = 60 and success by λ, about a minute and a half"],
        ['edgegym reproduce aset-fig3 --quick', "ASET's Fig. 3: the two changing-λ patterns, played 5× faster, about a minute"],
        ['edgegym reproduce all --out runs/reproduce', 'train every agent from scratch, then every experiment with full seeds and horizons (hours)'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const reproduceCommand: CommandModule<object, Args> = {
  command: 'reproduce <experiment>',
  describe: `run a paper's experiment and check its claims (${EXPERIMENTS.join(', ')}); --quick uses the shipped agents, otherwise they are trained from scratch first`,
  builder,
  handler: async (argv) => {
    const experiments: readonly Experiment[] = argv.experiment === 'all' ? EXPERIMENTS : [argv.experiment as Experiment];
    // A folder that cannot be made fails now, not after minutes of episodes.
    makeDirs(argv.out);
    const done = await reproduce({ experiments, quick: argv.quick, out: argv.out, log: (line) => console.error(line) });
    for (const { reproduction, files } of done) {
      console.log(`${reproduction.title}`);
      for (const c of reproduction.claims) console.log(`  ${c.agrees ? 'agrees  ' : 'DISAGREES'}  ${c.paper}: ${c.ours}`);
      console.log(`  ${files.summary}`);
    }
  },
};
