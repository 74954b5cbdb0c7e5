#!/usr/bin/env node
// The `edgegym` command line: registers one command module per file (bin/commands/) and ends
// every run through bin/errors.ts: 0 success, 1 a failure of the work, 2 a usage error.

import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import '../envs/index.js';
import { commandIn, commandName, helpWidth, keepNegativeValues, requireValues, usageErrorOf } from './command-line.js';
import { report } from './errors.js';
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

const commands = [
  quickstartCommand, evalCommand, baselinesCommand, speedCommand, benchmarkCommand, simulateCommand, trainCommand,
  exportCommand, envsCommand, checkCommand, replayCommand, reproduceCommand, pairedCommand, oracleCommand, serveCommand,
] as CommandModule[];

/** Options whose value may be left out: a bare `benchmark --replay` writes into <out>/replay/. */
const BARE: Readonly<Record<string, readonly string[]>> = { benchmark: ['replay'] };

const args = keepNegativeValues(hideBin(process.argv), commands);
const running = commandIn(args, commands);

const cli = yargs(args)
  .scriptName('edgegym')
  .demandCommand(1, `name a command: ${commands.map(commandName).join(', ')}`)
  .strict()
  .wrap(helpWidth())
  .fail((message, err) => {
    // yargs' own validation (unknown option, missing value, bad choice) arrives as a message;
    // anything else is an error thrown by a command, reported below like every other.
    if (err !== undefined && err !== null && err.name !== 'YError') throw err;
    throw usageErrorOf(message ?? err?.message ?? '', args, commands, running);
  })
  .help();
for (const command of commands) cli.command(requireValues(command, BARE[commandName(command)]));

try {
  await cli.parseAsync();
} catch (err) {
  process.exitCode = report(err, running === undefined ? undefined : commandName(running));
}
