// The model-driven edge-cluster paper: applications hosted without latency violations when a
// performance model checks each placement, against the knapsack placement (the paper: 2.3×).

import { benchmark } from '../../jobs/benchmark/run.js';
import { type Claim, type Reproduction, meanCi, policyNamed } from './claims.js';
import type { AgentUsed } from './training.js';

export async function reproducePlacement(options: { quick: boolean; agent: AgentUsed; log?: (line: string) => void }): Promise<Reproduction> {
  // Scenario and seeds: modeldriven-cluster, held-out seeds from 1000; --quick caps arrivals.
  const seeds = options.quick ? 5 : 10;
  const kwargs = options.quick ? { maxApps: 60 } : {};
  const policies = [options.agent.path, 'model-aware', 'knapsack', 'model-analytic', 'first-fit'];
  options.log?.(`placement: ${seeds} seeds × ${policies.length} policies${options.quick ? ', at most 60 arrivals' : ''}`);
  const result = await benchmark({ env: 'EdgeSched/Placement-v0', policies, seeds, seed: 1000, kwargs });

  const hosted = (name: string): number => policyNamed(result, name).summaries.hosted.mean;
  const agent = policyNamed(result, options.agent.path);
  const ratio = (name: string): number => hosted(name) / hosted('knapsack');
  const claims: Claim[] = [
    {
      paper: 'model-driven placement hosts 2.3× the applications of knapsack placement',
      ours: `model-aware ${meanCi(policyNamed(result, 'model-aware'), 'hosted', 1)} vs knapsack ${meanCi(policyNamed(result, 'knapsack'), 'hosted', 1)}: ${ratio('model-aware').toFixed(2)}×`,
      agrees: ratio('model-aware') >= 2,
    },
    {
      paper: '(ours) a learned placement agent hosts at least 2× knapsack',
      ours: `agent ${meanCi(agent, 'hosted', 1)}: ${ratio(options.agent.path).toFixed(2)}×`,
      agrees: ratio(options.agent.path) >= 2,
    },
  ];
  return {
    experiment: 'placement',
    title: 'Model-driven edge clusters: applications hosted without violation',
    setup: `EdgeSched/Placement-v0 on modeldriven-cluster, ${seeds} held-out seeds from 1000${options.quick ? ', at most 60 arrivals per episode' : ''}; the agent is ${options.agent.origin}. Paired differences are against the best baseline by return.`,
    results: [result],
    claims,
  };
}
