#!/usr/bin/env node
// The `edgegym` command line: parses arguments, then calls into experiments/.

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkEnv } from '../src/check-env.js';
import { make, registry } from '../src/registry.js';
import '../envs/index.js';
import { formatBench, runBench } from '../experiments/bench.js';
import { evaluate } from '../experiments/evaluate.js';
import { policyNames } from '../experiments/policies.js';
import { formatSummary } from '../experiments/stats.js';

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
        .option('json', { type: 'boolean', default: false }),
    (argv) => {
      const result = runBench({ seconds: argv.seconds, numEnvs: argv['num-envs'] });
      console.log(argv.json ? JSON.stringify(result, null, 2) : formatBench(result));
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
  .demandCommand(1, 'name a command: eval, bench, envs or check')
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
