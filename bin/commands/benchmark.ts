// `edgegym benchmark`: every given policy (a user's module, a baseline, a trained folder, an
// .onnx file) on the same seeds; writes the paired table, per-episode CSV and Arrow, SVG charts.

import type { Argv, CommandModule } from 'yargs';
import { PolicySpecError, policyKind } from '../../experiments/benchmark/policies.js';
import { writeBenchmark } from '../../experiments/benchmark/output.js';
import { benchmarkTable } from '../../experiments/benchmark/report.js';
import { benchmark } from '../../experiments/benchmark/run.js';
import { spec } from '../../src/registry.js';
import { type ArgsOf, parseKwargs, UsageError } from '../cli-args.js';

function builder(y: Argv) {
  return y
    .option('env', { type: 'string', demandOption: true, describe: 'registered env id' })
    .option('policies', { type: 'string', demandOption: true, describe: 'comma-separated: .js/.mjs modules, baseline names (see `edgegym baselines`), trained folders, .onnx files' })
    .option('seeds', { type: 'number', default: 10, describe: 'episodes per policy, on the same seeds for every policy' })
    .option('seed', { type: 'number', default: 0, describe: 'episode i is reset with seed + i' })
    .option('env-kwargs', { type: 'string', alias: 'kwargs', describe: `env kwargs as JSON, e.g. '{"horizon":"1 min"}'` })
    .option('out', { type: 'string', default: 'runs/benchmark', describe: 'folder for results.md, episodes.csv, episodes.arrow, results.json and charts/' })
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON instead of the table' })
    .example('$0 benchmark --env EdgeSched/Dispatch-v0 --policies ./fastest.mjs,edge-first,round-robin --seeds 10 --env-kwargs \'{"horizon":"1 min"}\'', 'your policy against two baselines, paired on the same arrivals')
    .example('$0 benchmark --env CartPole-v1 --policies runs/cartpole,runs/cartpole/policy.onnx,random --seeds 20', 'a trained folder, its ONNX export and a random policy');
}

type Args = ArgsOf<typeof builder>;

export const benchmarkCommand: CommandModule<object, Args> = {
  command: 'benchmark',
  describe: 'compare policies on the same seeds: mean ± 95 % CI per metric, paired differences to the best baseline, CSV, Arrow and SVG charts',
  builder,
  handler: async (argv) => {
    try {
      spec(argv.env);
    } catch (err) {
      throw new UsageError(`--env: ${(err as Error).message}`);
    }
    if (!Number.isInteger(argv.seeds) || argv.seeds < 1) throw new UsageError(`--seeds must be a positive integer, got ${argv.seeds}`);
    if (!Number.isInteger(argv.seed)) throw new UsageError(`--seed must be an integer, got ${argv.seed}`);
    const kwargs = parseKwargs(argv.envKwargs, '--env-kwargs');
    const policies = argv.policies.split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (policies.length === 0) throw new UsageError('--policies: name at least one policy');
    let result;
    try {
      for (const p of policies) policyKind(p, argv.env);
      result = await benchmark({
        env: argv.env,
        policies,
        seeds: argv.seeds,
        seed: argv.seed,
        kwargs,
        onEpisode: argv.json ? undefined : (e) => console.error(`${e.policy}  episode ${e.episode + 1}/${argv.seeds}  return ${e.return.toFixed(2)}`),
      });
    } catch (err) {
      throw err instanceof PolicySpecError ? new UsageError(`--policies: ${err.message}`) : err;
    }
    const files = await writeBenchmark(result, argv.out);
    if (argv.json) {
      console.log(JSON.stringify({ ...result, files }, null, 2));
    } else {
      console.log(benchmarkTable(result));
      console.log(`wrote ${files.table}, ${files.csv}, ${files.arrow}, ${files.json} and ${files.charts.length} charts in ${argv.out}/charts`);
    }
    // Work that ran but had a policy fail is a failure of the work: the others' results are written, the exit says so.
    if (result.policies.some((p) => p.failure !== null)) process.exitCode = 1;
  },
};
