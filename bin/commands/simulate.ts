// `edgegym simulate`: run a scenario under one static scheduling policy and print the outcomes.

import fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { BUILTIN_SCENARIOS } from '../../envs/edge/scenario/builtin.js';
import { STATIC_POLICIES } from '../../envs/edge/aset/policies.js';
import { formatSimulation, simulate } from '../../jobs/simulate.js';
import { type ArgsOf, checkNumber, freshLogDir, parseNumberList, parseTime, suggest } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { UsageError } from '../errors.js';
import { printJson } from '../json-output.js';

function builder(y: Argv) {
  return y
    .option('scenario', { type: 'string', default: 'aset-full-edge', describe: `built-in name (${BUILTIN_SCENARIOS.join(', ')}) or a JSON file` })
    .option('policy', { type: 'string', default: 'closest', describe: `static policy (${Object.keys(STATIC_POLICIES).join(', ')})` })
    .option('duration', { type: 'string', default: '120s', describe: 'simulated time, e.g. 120s, 10 min' })
    .option('rate', { type: 'number', describe: "λ in clients/min per antenna (default: the scenario's)" })
    .option('schedule', { type: 'string', describe: 'λ values held one step each, e.g. 20,60,100 (ASET) or 60,40,20,60' })
    .option('step', { type: 'string', default: '150s', describe: 'how long each --schedule value holds' })
    .option('seed', { type: 'number', default: 1 })
    .option('json', { type: 'boolean', default: false })
    .option('events', { type: 'string', describe: 'write the query log (one Arrow row per query) into this directory' })
    .epilog(
      formatExamples([
        ['edgegym simulate --scenario aset-full-edge --policy least-impedance --rate 60 --duration 2min', "ASET's full-edge cluster at λ = 60"],
        ['edgegym simulate --schedule 20,60,100 --step 150s --duration 450s', "ASET's dynamic load pattern"],
        ['edgegym simulate --rate 100 --duration 60s --events runs/queries', 'every simulated query as an Arrow row (read with `edgegym replay`, pyarrow or polars)'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const simulateCommand: CommandModule<object, Args> = {
  command: 'simulate',
  describe: 'run an edge-cloud scenario under a static scheduling policy and print the outcomes',
  builder,
  handler: (argv) => {
    checkNumber('--rate', argv.rate, { min: 0 });
    checkNumber('--seed', argv.seed, { integer: true, min: 0 });
    const schedule = parseNumberList('--schedule', argv.schedule, { min: 0 });
    const durationMs = parseTime(argv.duration, '--duration');
    const stepMs = parseTime(argv.step, '--step');
    const policies = Object.keys(STATIC_POLICIES);
    if (!policies.includes(argv.policy)) throw new UsageError(`--policy: unknown scheduling policy ${JSON.stringify(argv.policy)}${suggest(argv.policy, policies)}; known: ${policies.join(', ')}`);
    const builtin: readonly string[] = BUILTIN_SCENARIOS;
    if (!builtin.includes(argv.scenario) && !fs.existsSync(argv.scenario)) {
      throw new UsageError(`--scenario ${argv.scenario}: no such file, and not a built-in scenario${suggest(argv.scenario, builtin)} (${builtin.join(', ')})`);
    }
    const result = simulate({ scenario: argv.scenario, policy: argv.policy, durationMs, seed: argv.seed, rate: argv.rate, schedule, stepMs, events: freshLogDir('--events', argv.events, 'queries') });
    if (argv.json) printJson(result);
    else console.log(formatSimulation(result));
  },
};
