#!/usr/bin/env node
// The `edgegym` command line: registers one command module per file (bin/commands/) and maps
// outcomes to exit codes: 0 success, 1 a failure of the work, 2 a usage error.

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import '../envs/index.js';
import { UsageError } from './cli-args.js';
import { baselinesCommand } from './commands/baselines.js';
import { benchmarkCommand } from './commands/benchmark.js';
import { checkCommand } from './commands/check.js';
import { envsCommand } from './commands/envs.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { oracleCommand } from './commands/oracle.js';
import { pairedCommand } from './commands/paired.js';
import { quickstartCommand } from './commands/quickstart.js';
import { replayCommand } from './commands/replay.js';
import { reproduceCommand } from './commands/reproduce.js';
import { serveCommand } from './commands/serve.js';
import { simulateCommand } from './commands/simulate.js';
import { speedCommand } from './commands/speed.js';
import { trainCommand } from './commands/train.js';

const USAGE_EXIT = 2;

const cli = yargs(hideBin(process.argv))
  .scriptName('edgegym')
  .command(quickstartCommand)
  .command(evalCommand)
  .command(baselinesCommand)
  .command(speedCommand)
  .command(benchmarkCommand)
  .command(simulateCommand)
  .command(trainCommand)
  .command(exportCommand)
  .command(envsCommand)
  .command(checkCommand)
  .command(replayCommand)
  .command(reproduceCommand)
  .command(pairedCommand)
  .command(oracleCommand)
  .command(serveCommand)
  .demandCommand(1, 'name a command: quickstart, eval, baselines, benchmark, simulate, speed, train, export, replay, reproduce, paired, oracle, serve, envs or check')
  .strict()
  .recommendCommands()
  .fail((message, err, y) => {
    if (err !== undefined && err !== null) throw err;
    // yargs reads a value such as "-10s" as the short flags -1 -0 -s: name the value instead.
    const negative = hideBin(process.argv).find((a) => /^-\d/.test(a));
    if (negative !== undefined && /^Unknown argument/.test(message)) {
      console.error(`edgegym: ${JSON.stringify(negative)} is a negative value, and durations, counts and rates must be positive`);
      process.exit(USAGE_EXIT);
    }
    // yargs' own validation (unknown flag, missing value, bad choice): a usage error.
    console.error(`${y.help()}\n\n${message}`);
    process.exit(USAGE_EXIT);
  })
  .help();

try {
  await cli.parseAsync();
} catch (err) {
  // A user's mistake (unknown env, bad option value) deserves one line, not a stack trace.
  console.error(`edgegym: ${(err as Error).message}`);
  process.exitCode = err instanceof UsageError ? USAGE_EXIT : 1;
}
