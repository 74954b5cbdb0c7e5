#!/usr/bin/env node
// The `edgegym` command line: parses arguments, then calls into experiments/.

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkEnv } from '../src/check-env.js';
import { make, registry } from '../src/registry.js';
import '../envs/index.js';
import { formatBench, formatSimBench, runBench, runSimBench } from '../experiments/bench.js';
import { formatEdgeBench, runEdgeBench } from '../experiments/edge-bench.js';
import { formatTrainBench, runTrainBench } from '../experiments/train-bench.js';
import { DEFAULT_NUM_ENVS, PPO_PRESETS, train } from '../experiments/train.js';
import { BACKEND_REQUESTS, type BackendRequest } from '../agents/backend.js';
import { evaluate, formatEpisode, formatEvaluation } from '../experiments/evaluate.js';
import { baselineCatalogue } from '../experiments/policies.js';
import { formatSimulation, simulate } from '../experiments/simulate.js';
import { parseQuantity } from '../src/sim/units.js';
import { STATIC_POLICIES } from '../envs/edge/policies.js';
import { BUILTIN_SCENARIOS } from '../envs/edge/builtin.js';

/** "120s", "10 min", "1.5h" → ms. */
function parseTime(text: string): number {
  return parseQuantity(text.trim().replace(/^(\d+(?:\.\d+)?)([a-zµ]+)$/i, '$1 $2'), 'time');
}

/** `--kwargs` JSON → an object, or a one-line error saying what is wrong with it. */
function parseKwargs(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`--kwargs is not valid JSON (${(err as Error).message}): ${text}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`--kwargs must be a JSON object, got ${text}`);
  return value as Record<string, unknown>;
}

const cli = yargs(hideBin(process.argv))
  .scriptName('edgegym')
  .command(
    'eval',
    "run a policy for N seeded episodes; print mean ± 95 % CI of the return and the env's outcome metrics",
    (y) =>
      y
        .option('env', { type: 'string', default: 'CartPole-v1', describe: 'registered env id' })
        .option('policy', { type: 'string', default: 'random', describe: "'random', one of the env's baselines (see `edgegym baselines`), or a folder written by `edgegym train --out`" })
        .option('episodes', { type: 'number', default: 10 })
        .option('seed', { type: 'number', default: 0, describe: 'episode i is reset with seed + i' })
        .option('kwargs', { type: 'string', describe: `env kwargs as JSON, e.g. '{"scenario":"aset-mixed","rates":[20]}'` })
        .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' }),
    (argv) => {
      const result = evaluate({
        env: argv.env,
        policy: argv.policy,
        episodes: argv.episodes,
        seed: argv.seed,
        kwargs: parseKwargs(argv.kwargs),
        onEpisode: argv.json ? undefined : (e, r, l, m) => console.log(formatEpisode(e, r, l, m)),
      });
      console.log(argv.json ? JSON.stringify(result, null, 2) : formatEvaluation(result));
    },
  )
  .command(
    'baselines',
    'list the policies `eval --policy` accepts, per env',
    (y) => y.option('env', { type: 'string', describe: 'only this env' }),
    (argv) => {
      for (const b of baselineCatalogue().filter((b) => argv.env === undefined || b.env === argv.env || b.env === '*')) {
        console.log(`${(b.env === '*' ? 'any env' : b.env).padEnd(28)} ${b.name.padEnd(28)} ${b.description}`);
      }
    },
  )
  .command(
    'bench',
    'measure environment throughput and memory',
    (y) =>
      y
        .option('seconds', { type: 'number', default: 2, describe: 'seconds per case' })
        .option('num-envs', { type: 'number', default: 64 })
        .option('sim-seconds', { type: 'number', default: 3600, describe: 'simulated seconds per simulator case' })
        .option('only', { choices: ['env', 'sim', 'edge', 'train'] as const, describe: 'run one suite only: CartPole envs, the simulator, the edge envs, or PPO training per tensor backend' })
        .option('json', { type: 'boolean', default: false }),
    async (argv) => {
      const wants = (suite: string): boolean => argv.only === undefined || argv.only === suite;
      const sim = wants('sim') ? runSimBench(argv['sim-seconds']) : [];
      const env = wants('env') ? runBench({ seconds: argv.seconds, numEnvs: argv['num-envs'] }) : null;
      const edge = wants('edge') ? runEdgeBench(argv.seconds) : [];
      const train = wants('train') ? await runTrainBench() : [];
      if (argv.json) console.log(JSON.stringify({ env, sim, edge, train }, null, 2));
      else {
        const parts = [env === null ? '' : formatBench(env), sim.length === 0 ? '' : formatSimBench(sim), edge.length === 0 ? '' : formatEdgeBench(edge), train.length === 0 ? '' : formatTrainBench(train)];
        console.log(`${parts.filter((p) => p !== '').join('\n\n')}\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB`);
      }
    },
  )
  .command(
    'simulate',
    'run an edge-cloud scenario under a static scheduling policy and print the outcomes',
    (y) =>
      y
        .option('scenario', { type: 'string', default: 'aset-full-edge', describe: `built-in name (${BUILTIN_SCENARIOS.join(', ')}) or a JSON file` })
        .option('policy', { type: 'string', default: 'closest', describe: `static policy (${Object.keys(STATIC_POLICIES).join(', ')})` })
        .option('duration', { type: 'string', default: '120s', describe: 'simulated time, e.g. 120s, 10 min' })
        .option('rate', { type: 'number', describe: "λ in clients/min per antenna (default: the scenario's)" })
        .option('schedule', { type: 'string', describe: 'λ values held one step each, e.g. 20,60,100 (ASET) or 60,40,20,60' })
        .option('step', { type: 'string', default: '150s', describe: 'how long each --schedule value holds' })
        .option('seed', { type: 'number', default: 1 })
        .option('json', { type: 'boolean', default: false }),
    (argv) => {
      const schedule = argv.schedule?.split(',').map((v) => Number(v.trim()));
      const result = simulate({ scenario: argv.scenario, policy: argv.policy, durationMs: parseTime(argv.duration), seed: argv.seed, rate: argv.rate, schedule, stepMs: parseTime(argv.step) });
      console.log(argv.json ? JSON.stringify(result, null, 2) : formatSimulation(result));
    },
  )
  .command(
    'train',
    'train PPO or A2C on a registered env; writes metrics CSVs and the policy into --out',
    (y) =>
      y
        .option('env', { type: 'string', default: 'CartPole-v1', describe: 'registered env id' })
        .option('algo', { choices: ['ppo', 'a2c'] as const, default: 'ppo' as const })
        .option('steps', { type: 'number', default: 100_000, describe: 'total env steps, all sub-envs counted' })
        .option('num-envs', { type: 'number', describe: `sub-envs (default: ppo ${DEFAULT_NUM_ENVS.ppo}, a2c ${DEFAULT_NUM_ENVS.a2c}, or the preset's)` })
        .option('seed', { type: 'number', default: 1 })
        .option('out', { type: 'string', describe: 'run folder: metrics.csv, episodes.csv, run.json, policy/' })
        .option('backend', { choices: BACKEND_REQUESTS, default: 'auto' as BackendRequest, describe: 'tensor backend; auto tries tensorflow-gpu, tensorflow, wasm, cpu' })
        .option('preset', { choices: Object.keys(PPO_PRESETS), describe: 'PPO hyper-parameter set (cleanrl = the defaults; rl-zoo = tuned for CartPole)' })
        .option('kwargs', { type: 'string', describe: 'env kwargs as JSON, e.g. \'{"rate":60}\'' })
        .option('vectorization', { choices: ['vector-entry-point', 'sync', 'async'] as const, describe: "how sub-envs run (default: the env's native vector, else sync; async = worker threads)" })
        .option('lr', { type: 'number', describe: 'learning rate (ppo 2.5e-4, a2c 7e-4)' })
        .option('num-steps', { type: 'number', describe: 'steps per sub-env per rollout (ppo 128, a2c 5)' })
        .option('minibatches', { type: 'number', describe: 'ppo: minibatches per epoch (4)' })
        .option('epochs', { type: 'number', describe: 'ppo: epochs per update (4)' })
        .option('gamma', { type: 'number', describe: 'discount (0.99)' })
        .option('gae-lambda', { type: 'number', describe: 'GAE λ (ppo 0.95, a2c 1)' })
        .option('clip-coef', { type: 'number', describe: 'ppo: surrogate clip ε (0.2)' })
        .option('ent-coef', { type: 'number', describe: 'entropy coefficient (ppo 0.01, a2c 0)' })
        .option('vf-coef', { type: 'number', describe: 'value loss coefficient (0.5)' })
        .option('max-grad-norm', { type: 'number', describe: 'global gradient clipping (0.5)' })
        .option('target-kl', { type: 'number', describe: 'ppo: stop an update early past this approx-KL' })
        .option('hidden', { type: 'string', describe: 'hidden widths, e.g. 64,64' })
        .option('shared', { type: 'boolean', describe: 'one body for actor and critic' })
        .option('norm-obs', { type: 'boolean', describe: 'normalise observations (statistics saved with the policy)' })
        .option('anneal-lr', { type: 'boolean', describe: 'anneal the learning rate linearly to 0 (ppo: on)' })
        .option('optimizer', { choices: ['rmsprop', 'adam'] as const, describe: 'a2c: optimiser (rmsprop)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines' })
        .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' }),
    async (argv) => {
      const hyper = Object.fromEntries(
        Object.entries({
          learningRate: argv.lr, numSteps: argv['num-steps'], numMinibatches: argv.minibatches, updateEpochs: argv.epochs, gamma: argv.gamma, gaeLambda: argv['gae-lambda'],
          clipCoef: argv['clip-coef'], entCoef: argv['ent-coef'], vfCoef: argv['vf-coef'], maxGradNorm: argv['max-grad-norm'], targetKl: argv['target-kl'],
          hidden: argv.hidden?.split(',').map((v) => Number(v.trim())), sharedNetwork: argv.shared, normObs: argv['norm-obs'], annealLr: argv['anneal-lr'], optimizer: argv.optimizer,
        }).filter(([, v]) => v !== undefined),
      );
      const summary = await train({
        env: argv.env, algo: argv.algo, steps: argv.steps, numEnvs: argv['num-envs'], seed: argv.seed, out: argv.out ?? null, backend: argv.backend,
        preset: argv.preset, hyper, vectorizationMode: argv.vectorization, kwargs: argv.kwargs === undefined ? undefined : (JSON.parse(argv.kwargs) as Record<string, unknown>),
        log: argv.quiet ? undefined : (line) => console.log(line),
      });
      if (argv.json) console.log(JSON.stringify(summary, null, 2));
      else console.log(`${summary.algo} on ${summary.env}, seed ${summary.seed}, ${summary.backend}: ${summary.steps} steps in ${summary.trainSeconds.toFixed(1)} s (${Math.round(summary.stepsPerSecond)} steps/s); mean return of the last 20 episodes ${summary.meanReturnLast20.toFixed(1)}${summary.out === null ? '' : `; saved to ${summary.out}`}`);
    },
  )
  .command('envs', 'list the registered environments', {}, () => {
    for (const s of registry.values()) {
      console.log(`${s.id.padEnd(28)} max steps ${String(s.maxEpisodeSteps ?? '-').padStart(5)}  reward threshold ${s.rewardThreshold ?? '-'}`);
    }
  })
  .command(
    'check <env>',
    "check a registered env against the Env contract (Gymnasium's check_env)",
    (y) => y.positional('env', { type: 'string', demandOption: true }),
    (argv) => {
      const findings = checkEnv(make(argv.env));
      console.log(findings.length === 0 ? `${argv.env}: no findings` : `${argv.env}:\n${findings.map((f) => `  - ${f}`).join('\n')}`);
    },
  )
  .demandCommand(1, 'name a command: eval, baselines, simulate, bench, train, envs or check')
  .strict()
  .fail((message, err, y) => {
    if (err !== undefined && err !== null) throw err;
    console.error(`${y.help()}\n\n${message}`);
    process.exit(1);
  })
  .help();

try {
  await cli.parseAsync();
} catch (err) {
  // A user's mistake (unknown env, bad option value) deserves one line, not a stack trace.
  console.error(`edgegym: ${(err as Error).message}`);
  process.exitCode = 1;
}
