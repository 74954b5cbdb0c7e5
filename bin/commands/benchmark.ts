// `edgegym benchmark`: every given policy (a user's module, a baseline, a trained folder, an
// .onnx file) on the same seeds; writes the paired table, per-episode CSV and Arrow, SVG charts.

import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { PolicySpecError, policyKind } from '../../jobs/benchmark/policies.js';
import { writeBenchmark } from '../../jobs/benchmark/output.js';
import { benchmarkTable } from '../../jobs/benchmark/report.js';
import { benchmark, DEFAULT_STEP_TIMEOUT_MS, type EpisodeRecord } from '../../jobs/benchmark/run.js';
import { KwargError } from '../../src/kwargs.js';
import { spec } from '../../src/registry.js';
import { type ArgsOf, checkNumber, freshLogDir, parseKwargs, parseTime } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { UsageError } from '../errors.js';
import { makeDirs } from '../../src/make-dirs.js';
import { Progress } from '../progress.js';

function builder(y: Argv) {
  return y
    .option('env', { type: 'string', demandOption: true, describe: 'registered env id' })
    .option('policies', { type: 'string', demandOption: true, describe: 'comma-separated: .js/.mjs modules, baseline names (see `edgegym baselines`), trained folders, .onnx files' })
    .option('seeds', { type: 'number', default: 10, describe: 'episodes per policy, on the same seeds for every policy' })
    .option('seed', { type: 'number', default: 0, describe: 'episode i is reset with seed + i' })
    .option('env-kwargs', { type: 'string', alias: 'kwargs', describe: `env kwargs as JSON, e.g. '{"horizon":"1 min"}'` })
    .option('out', { type: 'string', default: 'runs/benchmark', describe: 'folder for results.md, episodes.csv, episodes.arrow, results.json and charts/ (and windows.csv where the env declares window metrics)' })
    .option('workers', { type: 'number', describe: "worker threads; each plays one policy's episodes in order, different policies in parallel (default: min(cores, policies)); 0 runs in this process, where a synchronous hang cannot be stopped" })
    .option('step-timeout', { type: 'string', defaultDescription: '10 s', describe: 'the longest one call to a policy (act, reset, close, loading) may take before the policy is stopped and reported, e.g. "10 s", "500 ms"; 0 for no limit (with --workers 0, 0 is the only choice: nothing can stop a loop in this process)' })
    .option('replay', { type: 'string', describe: "write each policy's step log (Arrow) into <dir>/<policy>/; a bare --replay writes into <out>/replay/" })
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON instead of the table' })
    .epilog(
      formatExamples([
        ['edgegym benchmark --env CartPole-v1 --policies runs/cartpole,runs/cartpole/policy.onnx,random --seeds 20 --out runs/bench-cartpole', 'a trained folder, its ONNX export and a random policy'],
        ['edgegym benchmark --env EdgeSched/Dispatch-v0 --policies runs/dispatch,edge-first,round-robin --seeds 10 --env-kwargs \'{"horizon":"1 min"}\' --out runs/bench-dispatch', 'the trained dispatcher against two baselines, paired on the same arrivals'],
        ['edgegym benchmark --env EdgeSched/Dispatch-v0 --policies ./fastest.mjs,edge-first --seeds 4 --env-kwargs \'{"horizon":"20 s"}\' --workers 2 --step-timeout 2s --out runs/bench-mine', 'your own policy, a module whose default export is act(observation, info) (fastest.mjs in the README), on two threads; one whose act takes over 2 s is stopped and reported'],
        ['edgegym benchmark --env EdgeSched/PolicySelect-v0 --policies closest,load-balancing --seeds 3 --env-kwargs \'{"horizon":"1 min"}\' --replay --out runs/ps && edgegym replay runs/ps/replay/closest --summary', 'per-window charts (charts/window-*.svg, windows.csv) and each policy\'s step log, read back'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const benchmarkCommand: CommandModule<object, Args> = {
  command: 'benchmark',
  describe: 'compare policies on the same seeds: mean ± 95 % CI per metric, paired differences to the best baseline, CSV, Arrow and SVG charts',
  builder,
  handler: async (argv) => {
    spec(argv.env);
    checkNumber('--seeds', argv.seeds, { integer: true, min: 1 });
    checkNumber('--seed', argv.seed, { integer: true, min: 0 });
    checkNumber('--workers', argv.workers, { integer: true, min: 0 });
    const stepTimeoutMs = argv.stepTimeout === undefined ? DEFAULT_STEP_TIMEOUT_MS : argv.stepTimeout.trim() === '0' ? 0 : parseTime(argv.stepTimeout, '--step-timeout', 'no limit');
    // In this process a policy stuck in a loop cannot be stopped: a limit there would be a promise
    // the run cannot keep, so --workers 0 runs only when the user has said "no limit".
    if (argv.workers === 0 && stepTimeoutMs !== 0) {
      throw new UsageError(`--workers 0 plays the policies in this process, where no --step-timeout can stop one caught in a loop; add --step-timeout 0 (no limit) or use --workers 1 to keep the ${argv.stepTimeout ?? '10 s'} limit`);
    }
    const kwargs = parseKwargs(argv.envKwargs, '--env-kwargs');
    const policies = argv.policies.split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (policies.length === 0) throw new UsageError('--policies: name at least one policy');
    const replay = argv.replay === undefined ? undefined : argv.replay === '' ? path.join(argv.out, 'replay') : argv.replay;
    // Each policy's log goes into <replay>/<policy>/: a folder that already holds logs is refused now, not after the episodes.
    if (replay !== undefined && fs.existsSync(replay) && fs.statSync(replay).isDirectory()) {
      for (const d of fs.readdirSync(replay)) freshLogDir('--replay', path.join(replay, d));
    }
    try {
      for (const p of policies) policyKind(p, argv.env);
    } catch (err) {
      throw err instanceof PolicySpecError ? new UsageError(`--policies: ${err.message}`) : err;
    }
    // A folder that cannot be made fails now, not after every episode has run; one made here is
    // removed again if the run turns out to be a usage error (a kwarg the env does not take).
    const fresh = !fs.existsSync(argv.out);
    makeDirs(argv.out);
    const bar = new Progress({ label: 'benchmark', total: policies.length * argv.seeds, unit: 'episodes', plainEverySeconds: 0 });
    let done = 0;
    const progress = (e: EpisodeRecord): void => bar.update(++done, `${e.policy} episode ${e.episode + 1}/${argv.seeds} return ${e.return.toFixed(2)}`);
    let result;
    try {
      result = await benchmark({
        env: argv.env,
        policies,
        seeds: argv.seeds,
        seed: argv.seed,
        kwargs,
        workers: argv.workers ?? Math.min(availableParallelism(), policies.length),
        stepTimeoutMs,
        replay,
        onEpisode: progress,
      });
    } catch (err) {
      if (err instanceof PolicySpecError) throw new UsageError(`--policies: ${err.message}`);
      if (err instanceof KwargError && fresh) fs.rmSync(argv.out, { recursive: true, force: true });
      throw err instanceof KwargError ? new UsageError(`--env-kwargs: ${err.message}`) : err;
    } finally {
      bar.stop();
    }
    const files = await writeBenchmark(result, argv.out);
    if (argv.json) {
      console.log(JSON.stringify({ ...result, files }, null, 2));
    } else {
      console.log(benchmarkTable(result));
      console.log(`wrote ${files.table}, ${files.csv}, ${files.arrow}, ${files.json} and ${files.charts.length} charts in ${argv.out}/charts`);
      if (files.windows !== null) console.log(`wrote ${files.windows} and ${files.windowCharts.length} per-window charts (charts/window-*.svg)`);
      const logged = result.policies.filter((p) => p.replay !== null);
      if (logged.length > 0) console.log(`wrote step logs into ${logged.map((p) => p.replay).join(', ')} (read one with: edgegym replay <dir> --summary)`);
    }
    // Work that ran but had a policy fail is a failure of the work: the others' results are written, the exit says so.
    if (result.policies.some((p) => p.failure !== null)) process.exitCode = 1;
  },
};
