// How each shipped agent was trained, as data: `reproduce` without --quick trains a fresh agent
// from exactly these options instead of using experiments/pretrained/. A test holds them equal
// to the shipped agents' README commands and recorded metadata, so the two cannot drift apart.

import path from 'node:path';
import { type TrainOptions, type TrainSummary, train } from '../../jobs/train.js';
import { pretrainedDir } from './claims.js';
import type { Experiment } from './index.js';

/** The options of `train()` a shipped agent's command sets (everything else is the default). */
export type TrainingRecipe = Required<Pick<TrainOptions, 'env' | 'algo' | 'steps' | 'seed' | 'hyper'>> &
  Pick<TrainOptions, 'numEnvs' | 'kwargs' | 'vectorizationMode' | 'workers' | 'checkpointEvery'>;

/** The shipped agents, by their folder under experiments/pretrained/. */
export const AGENTS = ['ecsrl-a2c', 'placement-ppo', 'aset-ppo'] as const;
export type AgentName = (typeof AGENTS)[number];

/** Each shipped agent and the command in its README that made it. */
export const TRAINING_PLAN: Readonly<Record<AgentName, TrainingRecipe>> = {
  'ecsrl-a2c': { env: 'EdgeSched/Dispatch-v0', algo: 'a2c', steps: 1_000_000, seed: 1, hyper: { normObs: true } },
  'placement-ppo': { env: 'EdgeSched/Placement-v0', algo: 'ppo', steps: 800_000, numEnvs: 8, seed: 3, hyper: { normObs: true }, checkpointEvery: 50 },
  'aset-ppo': {
    env: 'EdgeSched/PolicySelect-v0',
    algo: 'ppo',
    steps: 192_000,
    numEnvs: 8,
    vectorizationMode: 'async',
    workers: 2,
    seed: 2,
    kwargs: { rates: [20, 40, 60, 80, 100] },
    checkpointEvery: 20,
    hyper: { numSteps: 60, numMinibatches: 4, updateEpochs: 8, gamma: 0.9, gaeLambda: 0.9, learningRate: 1e-3, entCoef: 0.003, normObs: true },
  },
};

/** The λ values (clients/min per antenna) the shipped ASET agent was trained on, one drawn per episode. */
export const ASET_TRAINING_RATES = TRAINING_PLAN['aset-ppo'].kwargs?.rates as readonly number[];

/** The agent each experiment evaluates; ASET's two figures share one (trained once per run). */
export const AGENT_OF: Readonly<Record<Experiment, AgentName>> = {
  ecsrl: 'ecsrl-a2c',
  placement: 'placement-ppo',
  'aset-fig2': 'aset-ppo',
  'aset-fig3': 'aset-ppo',
};

/** The agent an experiment evaluates, and where it came from (for summary.md). */
export interface AgentUsed {
  name: AgentName;
  /** A folder `policyByName` loads: the shipped one, or the fresh run folder. */
  path: string;
  /** One phrase: which agent this is and how it was made. */
  origin: string;
}

/** The shipped agent, as trained by the command in its README. */
export function shippedAgent(name: AgentName): AgentUsed {
  return { name, path: pretrainedDir(name), origin: `the shipped agent experiments/pretrained/${name} (trained by the command in its README)` };
}

/** What trains an agent: `train()` itself, or a stand-in in tests. */
export type Trainer = (options: TrainOptions) => Promise<TrainSummary>;

/** Trains `name` from scratch with its recipe into `dir` (a run folder; a run already there is replaced). */
export async function trainAgent(name: AgentName, dir: string, options: { log?: (line: string) => void; trainer?: Trainer } = {}): Promise<AgentUsed> {
  const recipe = TRAINING_PLAN[name];
  options.log?.(`${name}: training from scratch, ${recipe.algo} on ${recipe.env}, ${recipe.steps} steps, seed ${recipe.seed}, into ${dir}`);
  const summary = await (options.trainer ?? train)({
    ...recipe,
    hyper: structuredClone(recipe.hyper),
    kwargs: recipe.kwargs === undefined ? undefined : structuredClone(recipe.kwargs),
    out: dir,
    backend: 'auto',
    force: true,
    log: options.log === undefined ? undefined : (line) => options.log?.(`${name}: ${line}`),
  });
  const relative = path.relative(process.cwd(), dir);
  const where = relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
  return {
    name,
    path: dir,
    origin: `an agent trained from scratch for this run in ${where} (the recipe of experiments/pretrained/${name}: ${summary.steps} steps on ${summary.backend} in ${summary.trainSeconds.toFixed(0)} s)`,
  };
}
