// ECSRL (SenSys '21 poster): 17,000 requests in 5 minutes on its test-bed, the actor-critic
// scheduler against the static baselines, throughput beside the poster's 87 %, and a load sweep.

import { benchmark } from '../../jobs/benchmark/run.js';
import { pairedVerdict } from '../../src/stats.js';
import { type Claim, type Reproduction, meanCi, policyNamed } from './claims.js';
import type { AgentUsed } from './training.js';

const BASELINES = ['edge-first', 'least-degradation', 'lowest-energy', 'round-robin', 'random-valid'];

export async function reproduceEcsrl(options: { quick: boolean; agent: AgentUsed; log?: (line: string) => void }): Promise<Reproduction> {
  // Scenario and seeds: the default ecsrl-testbed, held-out seeds from 1000; --quick shortens episodes.
  const seeds = options.quick ? 3 : 10;
  const horizon = options.quick ? '1 min' : '5 min';
  const agent = options.agent.path;
  const run = (load: number) => benchmark({ env: 'EdgeSched/Dispatch-v0', policies: [agent, ...BASELINES], seeds, seed: 1000, kwargs: { horizon, load } });
  options.log?.(`ecsrl: ${seeds} seeds × ${BASELINES.length + 1} policies, horizon ${horizon}`);
  const main = await run(1);
  const results = [main];
  // The load sweep (full runs only): the agent as trained, at other loads.
  if (!options.quick) for (const load of [0.5, 1.5]) results.push(await run(load));

  const a2c = policyNamed(main, agent);
  const paired = a2c.paired;
  const claims: Claim[] = [
    {
      paper: 'throughput "more than 87 %" (requests within their deadline)',
      ours: `agent ${meanCi(a2c, 'successRatio')}; lowest-energy ${meanCi(policyNamed(main, 'lowest-energy'), 'successRatio')}`,
      agrees: a2c.summaries.successRatio.mean > 0.87,
    },
    {
      paper: 'the learned actor-critic scheduler lowers α·E + β·d̄ below the static policies',
      ours: paired === null ? 'no reference' : `return − ${main.reference} (best baseline): ${paired.mean.toFixed(1)} ± ${paired.ci95.toFixed(1)}, wins ${paired.wins}/${main.seeds}`,
      agrees: paired !== null && pairedVerdict(paired) === 'beats',
    },
  ];
  return {
    experiment: 'ecsrl',
    title: 'ECSRL: a learned scheduler on the heterogeneous edge-cloud test-bed',
    setup: `EdgeSched/Dispatch-v0 on ecsrl-testbed, ${seeds} held-out seeds from 1000, horizon ${horizon}; the agent is ${options.agent.origin}${options.quick ? '' : '; load 0.5 and 1.5 without retraining in runs 1 and 2'}.`,
    results,
    claims,
  };
}
