// `edgegym baselines`: list the built-in policies `eval --policy` accepts, per env.

import type { Argv, CommandModule } from 'yargs';
import type { ArgsOf } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { baselineCatalogue } from '../../envs/baselines.js';

function builder(y: Argv) {
  return y.option('env', { type: 'string', describe: 'only this env' }).epilog(formatExamples([['edgegym baselines --env EdgeSched/Dispatch-v0', "Dispatch-v0's baselines"]]));
}

type Args = ArgsOf<typeof builder>;

export const baselinesCommand: CommandModule<object, Args> = {
  command: 'baselines',
  describe: 'list the policies `eval --policy` accepts, per env',
  builder,
  handler: (argv) => {
    for (const b of baselineCatalogue().filter((b) => argv.env === undefined || b.env === argv.env || b.env === '*')) {
      console.log(`${(b.env === '*' ? 'any env' : b.env).padEnd(28)} ${b.name.padEnd(28)} ${b.description}`);
    }
  },
};
