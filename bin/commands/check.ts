// `edgegym check <env>`: run the env checker (Gymnasium's check_env) on a registered env.

import type { Argv, CommandModule } from 'yargs';
import type { ArgsOf } from '../cli-args.js';
import { checkEnv } from '../../src/check-env.js';
import { make } from '../../src/registry.js';

function builder(y: Argv) {
  return y.positional('env', { type: 'string', demandOption: true }).example('$0 check EdgeSched/Dispatch-v0', 'spaces, seeding, determinism and masks');
}

type Args = ArgsOf<typeof builder>;

export const checkCommand: CommandModule<object, Args> = {
  command: 'check <env>',
  describe: "check a registered env against the Env contract (Gymnasium's check_env)",
  builder,
  handler: (argv) => {
    const findings = checkEnv(make(argv.env));
    console.log(findings.length === 0 ? `${argv.env}: no findings` : `${argv.env}:\n${findings.map((f) => `  - ${f}`).join('\n')}`);
  },
};
