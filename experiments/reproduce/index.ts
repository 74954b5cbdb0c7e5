// `edgegym reproduce`: runs each paper's experiment in turn and writes its data, charts and a
// summary.md that says, claim by claim, where we agree with the paper and where we do not.

import '../../envs/index.js';
import { type Reproduction, type ReproductionFiles, writeReproduction } from './claims.js';
import { reproduceEcsrl } from './ecsrl.js';
import { reproducePlacement } from './placement.js';

export const EXPERIMENTS = ['ecsrl', 'placement'] as const;
export type Experiment = (typeof EXPERIMENTS)[number];

const RUNNERS: Record<Experiment, (o: { quick: boolean; log?: (line: string) => void }) => Promise<Reproduction>> = {
  ecsrl: reproduceEcsrl,
  placement: reproducePlacement,
};

export interface ReproduceOptions {
  experiments: readonly Experiment[];
  /** The shipped agents, fewer seeds and shorter episodes. */
  quick: boolean;
  out: string;
  log?: (line: string) => void;
}

export async function reproduce(options: ReproduceOptions): Promise<{ reproduction: Reproduction; files: ReproductionFiles }[]> {
  const done = [];
  for (const name of options.experiments) {
    const reproduction = await RUNNERS[name]({ quick: options.quick, log: options.log });
    const files = await writeReproduction(reproduction, options.out);
    options.log?.(`${name}: ${reproduction.claims.filter((c) => c.agrees).length} of ${reproduction.claims.length} claims agree; ${files.summary}`);
    done.push({ reproduction, files });
  }
  return done;
}
