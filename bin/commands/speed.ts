// `edgegym speed` (formerly `bench`, still accepted): environment, simulator and training
// throughput, and peak memory. Not to be confused with `benchmark`, which compares policies.

import type { Argv, CommandModule } from 'yargs';
import { type ArgsOf, checkNumber } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { Progress } from '../progress.js';
import { formatBench, formatSimBench, runBench, runSimBench } from '../../speed/core.js';
import { formatBridgeBench, runBridgeBench } from '../../speed/bridge.js';
import { formatEdgeBench, runEdgeBench } from '../../speed/edge.js';
import { formatReplayBench, runReplayBench } from '../../speed/replay.js';
import { formatTrainBench, runTrainBench } from '../../speed/train.js';
import { formatCheckpointBench, runCheckpointBench } from '../../speed/checkpoint.js';

function builder(y: Argv) {
  return y
    .option('seconds', { type: 'number', default: 2, describe: 'seconds per case' })
    .option('num-envs', { type: 'number', default: 64 })
    .option('sim-seconds', { type: 'number', default: 3600, describe: 'simulated seconds per simulator case' })
    .option('only', { choices: ['env', 'sim', 'edge', 'train', 'checkpoint', 'replay', 'bridge'] as const, describe: 'run one suite only: CartPole envs, the simulator, the edge envs, PPO training per tensor backend, checkpoint cost, the cost of replay logs, or envs through the Python client (bridge)' })
    .option('edge-env', { type: 'string', default: '', describe: 'edge suite: only the envs whose id contains this, e.g. PolicySelect' })
    .option('replay-rows', { type: 'number', default: 10_000_000, describe: 'rows of the replay suite\'s memory run' })
    .option('json', { type: 'boolean', default: false })
    .epilog(
      formatExamples([
        ['edgegym speed --only sim', "the simulator's simulated queries per second"],
        ['edgegym speed --only edge --edge-env PolicySelect', 'PolicySelect-v0 steps/s: one env, 16 in a vector, 2 on 2 worker threads, 4 on the default count'],
        ['edgegym speed --only checkpoint', 'checkpoint cost and training rate with checkpoints'],
        ['edgegym speed --only replay --seconds 3', 'steps/s and queries/s with and without Arrow logs, bytes per row, memory'],
        ['edgegym speed --only bridge', 'steps/s through the Python client beside TypeScript (needs python3 with numpy)'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const speedCommand: CommandModule<object, Args> = {
  command: ['speed', 'bench'],
  describe: 'measure the speed of envs, the simulator and training, and peak memory (`npm run bench`)',
  builder,
  handler: async (argv) => {
    checkNumber('--seconds', argv.seconds, { greaterThan: 0 });
    checkNumber('--num-envs', argv.numEnvs, { integer: true, min: 1 });
    checkNumber('--sim-seconds', argv.simSeconds, { greaterThan: 0 });
    checkNumber('--replay-rows', argv.replayRows, { integer: true, min: 1 });
    if (argv._[0] === 'bench') console.error('edgegym: `bench` is now `speed` (the old name still works; `benchmark` compares policies)');
    const wants = (suite: string): boolean => argv.only === undefined || argv.only === suite;
    // Each suite takes seconds to a minute; say which one is running (stderr, so --json stays clean).
    const suites = ['sim', 'env', 'edge', 'train', 'checkpoint', 'replay', 'bridge'].filter(wants);
    const progress = new Progress({ label: 'speed', total: suites.length, unit: 'suites', plainEverySeconds: 0, rate: false });
    let done = 0;
    const suite = async <T>(name: string, empty: T, run: () => T | Promise<T>): Promise<T> => {
      if (!wants(name)) return empty;
      progress.update(done, `running ${name}`);
      const result = await run();
      progress.update(++done, `${name} done`);
      return result;
    };
    let sim, env, edge, train, checkpoint, replay, bridge;
    try {
      sim = await suite('sim', [], () => runSimBench(argv.simSeconds));
      env = await suite('env', null, () => runBench({ seconds: argv.seconds, numEnvs: argv.numEnvs }));
      edge = await suite('edge', [], () => runEdgeBench(argv.seconds, argv.edgeEnv));
      train = await suite('train', [], () => runTrainBench());
      checkpoint = await suite('checkpoint', null, () => runCheckpointBench());
      replay = await suite('replay', null, () => runReplayBench(argv.seconds, argv.replayRows));
      bridge = await suite('bridge', null, () => runBridgeBench(argv.seconds));
    } finally {
      progress.stop();
    }
    if (argv.json) console.log(JSON.stringify({ env, sim, edge, train, checkpoint, replay, bridge }, null, 2));
    else {
      const parts = [
        env === null ? '' : formatBench(env),
        sim.length === 0 ? '' : formatSimBench(sim),
        edge.length === 0 ? '' : formatEdgeBench(edge),
        train.length === 0 ? '' : formatTrainBench(train),
        checkpoint === null ? '' : formatCheckpointBench(checkpoint),
        replay === null ? '' : formatReplayBench(replay),
        bridge === null ? '' : formatBridgeBench(bridge),
      ];
      console.log(`${parts.filter((p) => p !== '').join('\n\n')}\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB`);
    }
  },
};
