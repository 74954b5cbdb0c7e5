#!/usr/bin/env node
// The `edgegym` command line: parses arguments, then calls into experiments/.

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkEnv } from '../src/check-env.js';
import { make, registry } from '../src/registry.js';
import '../envs/index.js';
import { formatBench, formatSimBench, runBench, runSimBench } from '../experiments/bench.js';
import { formatEdgeBench, runEdgeBench } from '../experiments/edge-bench.js';
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
        .option('policy', { type: 'string', default: 'random', describe: "a policy name: 'random' or one of the env's baselines (see `edgegym baselines`)" })
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
        .option('only', { choices: ['env', 'sim', 'edge'] as const, describe: 'run one suite only: CartPole envs, the simulator, or the edge envs' })
        .option('json', { type: 'boolean', default: false }),
    (argv) => {
      const wants = (suite: string): boolean => argv.only === undefined || argv.only === suite;
      const sim = wants('sim') ? runSimBench(argv['sim-seconds']) : [];
      const env = wants('env') ? runBench({ seconds: argv.seconds, numEnvs: argv['num-envs'] }) : null;
      const edge = wants('edge') ? runEdgeBench(argv.seconds) : [];
      if (argv.json) console.log(JSON.stringify({ env, sim, edge }, null, 2));
      else {
        const parts = [env === null ? '' : formatBench(env), sim.length === 0 ? '' : formatSimBench(sim), edge.length === 0 ? '' : formatEdgeBench(edge)];
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
  .demandCommand(1, 'name a command: eval, baselines, simulate, bench, envs or check')
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
