// `edgegym reproduce`: runs each paper's experiment in turn and writes its data, charts and a
// summary.md that says, claim by claim, where we agree with the paper and where we do not.
// --quick evaluates the shipped agents; a full run first trains each agent from scratch.

import path from 'node:path';
import '../../envs/index.js';
import { type AsetFig2Sizes, reproduceAsetFig2 } from './aset-fig2.js';
import { type AsetFig3Sizes, reproduceAsetFig3 } from './aset-fig3.js';
import { type Reproduction, type ReproductionFiles, writeReproduction } from './claims.js';
import { reproduceEcsrl } from './ecsrl.js';
import { reproducePlacement } from './placement.js';
import { AGENT_OF, type AgentName, type AgentUsed, type Trainer, shippedAgent, trainAgent } from './training.js';

export const EXPERIMENTS = ['ecsrl', 'placement', 'aset-fig2', 'aset-fig3'] as const;
export type Experiment = (typeof EXPERIMENTS)[number];

/** Seeds, horizons and rates other than --quick's or the full run's (tests pass tiny ones). */
export interface ReproduceSizes {
  'aset-fig2'?: AsetFig2Sizes;
  'aset-fig3'?: AsetFig3Sizes;
}

interface RunnerOptions {
  quick: boolean;
  agent: AgentUsed;
  log?: (line: string) => void;
  sizes: ReproduceSizes;
}

const RUNNERS: Record<Experiment, (o: RunnerOptions) => Promise<Reproduction>> = {
  ecsrl: (o) => reproduceEcsrl(o),
  placement: (o) => reproducePlacement(o),
  'aset-fig2': (o) => reproduceAsetFig2({ ...o, ...o.sizes['aset-fig2'] }),
  'aset-fig3': (o) => reproduceAsetFig3({ ...o, ...o.sizes['aset-fig3'] }),
};

export interface ReproduceOptions {
  experiments: readonly Experiment[];
  /** The shipped agents, fewer seeds and shorter episodes; otherwise each agent is trained from scratch first. */
  quick: boolean;
  out: string;
  log?: (line: string) => void;
  sizes?: ReproduceSizes;
  /** Trains the fresh agents of a full run (default: `train()`). */
  trainer?: Trainer;
}

export async function reproduce(options: ReproduceOptions): Promise<{ reproduction: Reproduction; files: ReproductionFiles }[]> {
  const done = [];
  // One agent per name and run: the first experiment that needs it trains it into its own folder.
  const agents = new Map<AgentName, AgentUsed>();
  for (const name of options.experiments) {
    const agentName = AGENT_OF[name];
    let agent = agents.get(agentName);
    if (agent === undefined) {
      agent = options.quick ? shippedAgent(agentName) : await trainAgent(agentName, path.resolve(options.out, name, 'agent'), { log: options.log, trainer: options.trainer });
      agents.set(agentName, agent);
    }
    const reproduction = await RUNNERS[name]({ quick: options.quick, agent, log: options.log, sizes: options.sizes ?? {} });
    const files = await writeReproduction(reproduction, options.out);
    options.log?.(`${name}: ${reproduction.claims.filter((c) => c.agrees).length} of ${reproduction.claims.length} claims agree; ${files.summary}`);
    done.push({ reproduction, files });
  }
  return done;
}
