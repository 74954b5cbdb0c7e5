// `edgegym envs`: list the registered environments.

import type { CommandModule } from 'yargs';
import { formatExamples } from '../command-line.js';
import { registry } from '../../src/registry.js';

export const envsCommand: CommandModule = {
  command: 'envs',
  describe: 'list the registered environments',
  builder: (y) => y.epilog(formatExamples([['edgegym envs', 'every id `make` and `--env` accept']])),
  handler: () => {
    for (const s of registry.values()) {
      console.log(`${s.id.padEnd(28)} max steps ${String(s.maxEpisodeSteps ?? '-').padStart(5)}  reward threshold ${s.rewardThreshold ?? '-'}`);
    }
  },
};
