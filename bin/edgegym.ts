#!/usr/bin/env node
// The `edgegym` command line: parses arguments, then calls into experiments/.

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkEnv } from '../src/check-env.js';
import { make, registry } from '../src/registry.js';
import '../envs/index.js';
import { formatBench, formatSimBench, runBench, runSimBench } from '../experiments/bench.js';
import { evaluate } from '../experiments/evaluate.js';
import { policyNames } from '../experiments/policies.js';
import { formatSummary } from '../experiments/stats.js';
import { formatSimulation, simulate } from '../experiments/simulate.js';
import { parseQuantity } from '../src/sim/units.js';
import { STATIC_POLICIES } from '../envs/edge/policies.js';
import { BUILTIN_SCENARIOS } from '../envs/edge/builtin.js';

/** "120s", "10 min", "1.5h" → ms. */
function parseTime(text: string): number {
  return parseQuantity(text.trim().replace(/^(\d+(?:\.\d+)?)([a-zµ]+)$/i, '$1 $2'), 'time');
}

const cli = yargs(hideBin(process.argv))
  .scriptName('edgegym')
  .command(
    'eval',
    'run a policy for N seeded episodes and print returns (mean ± 95 % CI)',
    (y) =>
      y
        .option('env', { type: 'string', default: 'CartPole-v1', describe: 'registered env id' })
        .option('policy', { type: 'string', default: 'random', describe: `policy name (${policyNames().join(', ')})` })
        .option('episodes', { type: 'number', default: 10 })
        .option('seed', { type: 'number', default: 0, describe: 'episode i is reset with seed + i' })
        .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' }),
    (argv) => {
      const result = evaluate({
        env: argv.env,
        policy: argv.policy,
        episodes: argv.episodes,
        seed: argv.seed,
        onEpisode: argv.json ? undefined : (e, r, l) => console.log(`episode ${String(e + 1).padStart(3)}  return ${r.toFixed(2).padStart(8)}  length ${l}`),
      });
      if (argv.json) console.log(JSON.stringify(result, null, 2));
      else console.log(`${result.env}, policy ${result.policy}, ${result.returns.length} episodes from seed ${result.seed}: return ${formatSummary(result.return)}, length ${formatSummary(result.length, 1)} (mean ± 95 % CI)`);
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
        .option('only', { choices: ['env', 'sim'] as const, describe: 'run one suite only' })
        .option('json', { type: 'boolean', default: false }),
    (argv) => {
      const sim = argv.only === 'env' ? [] : runSimBench(argv['sim-seconds']);
      const env = argv.only === 'sim' ? null : runBench({ seconds: argv.seconds, numEnvs: argv['num-envs'] });
      if (argv.json) console.log(JSON.stringify({ env, sim }, null, 2));
      else {
        if (env !== null) console.log(formatBench(env));
        if (sim.length > 0) console.log(`${env === null ? '' : '\n'}${formatSimBench(sim)}\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB`);
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
  .demandCommand(1, 'name a command: eval, simulate, bench, envs or check')
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
