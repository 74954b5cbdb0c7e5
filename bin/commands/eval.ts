// `edgegym eval`: run a policy for N seeded episodes and print its return and outcome metrics.

import type { Argv, CommandModule } from 'yargs';
import { episodeDetail, evaluate, formatEvaluation } from '../../envs/evaluate.js';
import { policyByName } from '../../jobs/policies.js';
import { type ArgsOf, checkNumber, edgeOnly, freshLogDir, parseKwargs } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { Progress } from '../progress.js';

function builder(y: Argv) {
  return y
    .option('env', { type: 'string', default: 'CartPole-v1', describe: 'registered env id' })
    .option('policy', { type: 'string', default: 'random', describe: "'random', one of the env's baselines (see `edgegym baselines`), or a folder written by `edgegym train --out`" })
    .option('episodes', { type: 'number', default: 10 })
    .option('seed', { type: 'number', default: 0, describe: 'episode i is reset with seed + i' })
    .option('kwargs', { type: 'string', describe: `env kwargs as JSON, e.g. '{"scenario":"aset-mixed","rates":[20]}'` })
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' })
    .option('replay', { type: 'string', describe: 'write a step log (Arrow) of every episode into this directory' })
    .option('events', { type: 'string', describe: 'EdgeSched envs: write the simulator query log (Arrow) into this directory' })
    .epilog(
      formatExamples([
        ['edgegym eval --env CartPole-v1 --policy random --episodes 10 --seed 1', 'a random policy on CartPole'],
        ['edgegym eval --env EdgeSched/Dispatch-v0 --policy edge-first --episodes 5 --seed 1000', 'an ECSRL baseline on held-out seeds'],
        ['edgegym eval --env EdgeSched/Dispatch-v0 --policy edge-first --episodes 2 --replay runs/ef/steps --events runs/ef/queries', 'with its steps and simulated queries logged in Arrow'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const evalCommand: CommandModule<object, Args> = {
  command: 'eval',
  describe: "run a policy for N seeded episodes; print mean ± 95 % CI of the return and the env's outcome metrics",
  builder,
  handler: (argv) => {
    checkNumber('--episodes', argv.episodes, { integer: true, min: 1 });
    checkNumber('--seed', argv.seed, { integer: true, min: 0 });
    // One line per episode off a terminal (with the rate and ETA), a bar on one; stdout keeps only the result.
    const progress = new Progress({ label: 'eval', total: argv.episodes, unit: 'episodes', plainEverySeconds: 0 });
    let result;
    try {
      result = evaluate({
        env: argv.env,
        policy: argv.policy,
        resolvePolicy: policyByName,
        episodes: argv.episodes,
        seed: argv.seed,
        kwargs: parseKwargs(argv.kwargs),
        onEpisode: (e, r, l, m) => progress.update(e + 1, episodeDetail(r, l, m)),
        replay: freshLogDir('--replay', argv.replay),
        events: freshLogDir('--events', edgeOnly(argv.events, argv.env), 'queries'),
      });
    } finally {
      progress.stop();
    }
    console.log(argv.json ? JSON.stringify(result, null, 2) : formatEvaluation(result));
  },
};
