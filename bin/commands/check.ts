// `edgegym check <env>`: run the env checker (Gymnasium's check_env) on a registered env.

import type { Argv, CommandModule } from 'yargs';
import { type ArgsOf, checkNumber, parseKwargs } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { checkEnv } from '../../src/check-env.js';
import { make } from '../../src/registry.js';
import { Progress } from '../progress.js';

function builder(y: Argv) {
  return y
    .positional('env', { type: 'string', demandOption: true })
    .option('env-kwargs', { type: 'string', alias: 'kwargs', describe: `env kwargs as JSON, e.g. '{"horizon":"1 min"}'` })
    .option('steps', { type: 'number', default: 100, describe: 'random steps for the step and determinism checks' })
    .epilog(
      formatExamples([
        ['edgegym check EdgeSched/Dispatch-v0', 'spaces, seeding, determinism and masks'],
        [`edgegym check EdgeSched/PolicySelect-v0 --env-kwargs '{"rates":[20]}' --steps 20`, 'a slow env, fewer steps, another arrival rate'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const checkCommand: CommandModule<object, Args> = {
  command: 'check <env>',
  describe: "check a registered env against the Env contract (Gymnasium's check_env)",
  builder,
  handler: (argv) => {
    checkNumber('--steps', argv.steps, { integer: true, min: 1 });
    const env = make(argv.env, parseKwargs(argv.envKwargs, '--env-kwargs'));
    // A slow env (PolicySelect-v0 takes tens of seconds) says which check it is in.
    const progress = new Progress({ label: 'check', total: 5, unit: 'checks', plainEverySeconds: 0, rate: false });
    let findings: string[];
    try {
      findings = checkEnv(env, { steps: argv.steps, onStage: (name, i) => progress.update(i, name) });
      progress.update(5, 'done');
    } finally {
      progress.stop();
    }
    console.log(findings.length === 0 ? `${argv.env}: no findings` : `${argv.env}:\n${findings.map((f) => `  - ${f}`).join('\n')}`);
  },
};
