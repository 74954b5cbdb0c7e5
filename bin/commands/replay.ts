// `edgegym replay`: summarise a replay log directory, or export its step log as a Minari dataset.

import fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { exportMinari, formatReplaySummary, isDatasetId, summarizeReplay } from '../../jobs/replay.js';
import { ReplayFormatError } from '../../src/replay/schema.js';
import { type ArgsOf } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { UsageError } from '../errors.js';

function builder(y: Argv) {
  return y
    .positional('dir', { type: 'string', demandOption: true, describe: 'a directory written by --replay or --events' })
    .option('summary', { type: 'boolean', default: false, describe: 'also print the schema and metadata' })
    .option('json', { type: 'boolean', default: false, describe: 'print the summary (or the export result) as JSON' })
    .option('to-minari', { type: 'string', describe: 'write the step log as a Minari dataset into this directory' })
    .option('dataset-id', { type: 'string', describe: 'Minari dataset id, (namespace/)name-v<n> (default edgegym/<env>/replay-v0)' })
    .option('author', { type: 'string', describe: 'Minari metadata: author' })
    .epilog(
      formatExamples([
        ['edgegym replay runs/cartpole/replay', 'episodes, steps, returns, files and bytes'],
        ['edgegym replay runs/cartpole/replay --to-minari ~/.minari/datasets/edgegym/cartpole/replay-v0 --dataset-id edgegym/cartpole/replay-v0', 'a dataset minari.load_dataset opens'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const replayCommand: CommandModule<object, Args> = {
  command: 'replay <dir>',
  describe: 'summarise a replay log (episodes, returns, queries, schema, files) or export it to Minari',
  builder,
  handler: (argv) => {
    if (!fs.existsSync(argv.dir)) throw new UsageError(`${argv.dir} does not exist; give a directory written by --replay or --events`);
    if (argv.toMinari === undefined) {
      for (const flag of ['dataset-id', 'author'] as const) if (argv[flag] !== undefined) throw new UsageError(`--${flag} describes a Minari dataset: it goes with --to-minari <dir>`);
    } else {
      if (argv.datasetId !== undefined && !isDatasetId(argv.datasetId)) throw new UsageError(`--dataset-id ${JSON.stringify(argv.datasetId)} must look like (namespace/)name-v<version>, e.g. edgegym/cartpole/replay-v0`);
      // A dataset is a folder of its own: writing data/ beside a user's files would mix the two.
      const present = !fs.existsSync(argv.toMinari) ? [] : fs.statSync(argv.toMinari).isDirectory() ? fs.readdirSync(argv.toMinari) : ['a file of that name'];
      if (present.length > 0) throw new UsageError(`--to-minari ${argv.toMinari} is not empty (it holds ${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}); give a new or empty folder for the dataset`);
    }
    try {
      if (argv.toMinari !== undefined) {
        const result = exportMinari(argv.dir, argv.toMinari, { datasetId: argv.datasetId, author: argv.author });
        console.log(argv.json ? JSON.stringify(result, null, 2) : `wrote ${result.episodes} episodes (${result.steps} steps) as Minari dataset ${result.datasetId} into ${result.dir}${result.skippedEpisodes > 0 ? `; left out ${result.skippedEpisodes} episodes the log ends inside of` : ''}`);
        return;
      }
      const summary = summarizeReplay(argv.dir);
      console.log(argv.json ? JSON.stringify(summary, null, 2) : formatReplaySummary(summary, argv.summary));
    } catch (err) {
      // A directory that is not a log is the caller's mistake, not a failure of the work.
      if (err instanceof ReplayFormatError && /does not exist|holds no/.test(err.message)) throw new UsageError(err.message);
      throw err;
    }
  },
};
