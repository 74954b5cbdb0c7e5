// ASET's Fig. 2 (full-edge topology): at λ = 60 the success, QoS-violation and rejection ratios
// over time for every static policy and the agent (2a, 2c, 2d), and the success ratio at λ = 20 …
// 100 with the agent trained at λ = 60 only (2b). Paired 95 % CIs decide each claim.

import path from 'node:path';
import fs from 'node:fs';
import { scenarioNamed } from '../../envs/edge/scenario/builtin.js';
import { renderSvg } from '../../jobs/benchmark/charts.js';
import { ASET_CONDITIONS, points } from '../policy-select-paired.js';
import { formatSummary, pairedVerdict, summarize } from '../../src/stats.js';
import {
  AGENT, type AsetCondition, CLAIM_RULE, type ConditionRun, type Ratio, STATIC_NAMES, WINDOW_S, agentVersusStatics, bestStatic, definedOf, meanOf, pairedTable, pct, runCondition, seriesOf, watchedSentence, writeWindows,
} from './aset-runs.js';
import type { Claim, Reproduction } from './claims.js';
import { byRateSpec, overTimeSpec } from './line-charts.js';
import { ASET_TRAINING_RATES, type AgentUsed } from './training.js';

/** Fig. 2b's arrival rates, clients/min per antenna; Fig. 2a, c and d are at the trained λ = 60. */
export const FIG2_RATES: readonly number[] = [20, 40, 60, 80, 100];
const TRAINED_RATE = 60;

/** Seeds, horizon and rates of a run; --quick and full runs pick their own, tests pass tiny ones. */
export interface AsetFig2Sizes {
  seeds?: number;
  seed?: number;
  /** Simulated time watched per episode. */
  horizon?: string;
  /** Fig. 2b's rates (λ = 60 is always run). */
  rates?: readonly number[];
}

/** --quick: 3 seeds, the first 90 s of each episode, every one of Fig. 2b's rates (about a minute and a half on one core). */
export const FIG2_QUICK: Required<AsetFig2Sizes> = { seeds: 3, seed: 1000, horizon: '90 s', rates: FIG2_RATES };
/** Full: the 10 held-out seeds and 10-minute episodes of the shipped agent's README. */
export const FIG2_FULL: Required<AsetFig2Sizes> = { seeds: 10, seed: 1000, horizon: '10 min', rates: FIG2_RATES };

/** The paper's load claim for λ = 100: "more than 1600 queries per second … on a single antenna". */
const PAPER_QUERIES_PER_ANTENNA = 1600;

export async function reproduceAsetFig2(options: { quick: boolean; agent: AgentUsed; log?: (line: string) => void } & AsetFig2Sizes): Promise<Reproduction> {
  // Scenario and seeds: aset-full-edge, 5 s windows, held-out seeds from 1000.
  const sizes = { ...(options.quick ? FIG2_QUICK : FIG2_FULL), ...definedOf({ seeds: options.seeds, seed: options.seed, horizon: options.horizon, rates: options.rates }) };
  const rates = [TRAINED_RATE, ...[...new Set(sizes.rates)].filter((r) => r !== TRAINED_RATE).sort((a, b) => a - b)];
  const conditions: AsetCondition[] = rates.map((r) => ({ label: `λ = ${r}`, folder: `lambda-${r}`, kwargs: ASET_CONDITIONS[`λ = ${r}`] ?? { rates: [r] } }));
  const log = options.log === undefined ? undefined : (line: string): void => options.log?.(`aset-fig2 ${line}`);
  log?.(`${sizes.seeds} seeds × ${STATIC_NAMES.length + 1} policies × ${rates.length} rates, ${sizes.horizon} each`);

  // The runs: the agent and every static policy on the same seeds, λ = 60 first.
  const runs: ConditionRun[] = [];
  for (const condition of conditions) runs.push(await runCondition(condition, { agent: options.agent, seeds: sizes.seeds, seed: sizes.seed, horizon: sizes.horizon, log }));
  const main = runs[0].result;
  const best = bestStatic(main);
  const mean = (name: string, metric: Ratio): number => main.policies.find((p) => p.name === name)!.summaries[metric].mean;

  // The claims: Fig. 2a, 2c and 2d at λ = 60, then 2b at every other rate.
  const success = agentVersusStatics(main);
  const beaten = [...success.values()].filter((d) => pairedVerdict(d) === 'beats').length;
  const violations = agentVersusStatics(main, 'violationRatio').get(best)!;
  const rejections = agentVersusStatics(main, 'rejectionRatio').get(best)!;
  const claims: Claim[] = [
    {
      paper: 'at λ = 60 ASET has a higher success ratio than every static policy (Fig. 2a)',
      ours: `${AGENT} ${pct(mean(AGENT, 'successRatio'))}, best static ${best} ${pct(mean(best, 'successRatio'))}; ${AGENT} − ${best} ${points(success.get(best)!)} pp; beats ${beaten} of ${STATIC_NAMES.length} static policies`,
      agrees: beaten === STATIC_NAMES.length,
    },
    {
      paper: 'ASET has fewer QoS violations than the best static policy (Fig. 2c)',
      ours: `violation ratio ${AGENT} ${pct(mean(AGENT, 'violationRatio'))}, ${best} ${pct(mean(best, 'violationRatio'))}; ${AGENT} − ${best} ${points(violations)} pp`,
      agrees: pairedVerdict(violations) === 'loses',
    },
    {
      paper: "ASET's rejection ratio is no higher than the best static policy's (Fig. 2d)",
      ours: `rejection ratio ${AGENT} ${pct(mean(AGENT, 'rejectionRatio'))}, ${best} ${pct(mean(best, 'rejectionRatio'))}; ${AGENT} − ${best} ${points(rejections)} pp`,
      agrees: pairedVerdict(rejections) !== 'beats',
    },
  ];
  for (const run of runs.slice(1)) {
    const d = agentVersusStatics(run.result);
    const top = bestStatic(run.result);
    const wins = [...d.values()].filter((x) => pairedVerdict(x) === 'beats').length;
    claims.push({
      paper: `trained at λ = 60 only, ASET still beats every static policy at ${run.condition.label} (Fig. 2b)`,
      ours: `${AGENT} ${pct(meanOf(run, AGENT))}, best static ${top} ${pct(meanOf(run, top))}; ${AGENT} − ${top} ${points(d.get(top)!)} pp; beats ${wins} of ${STATIC_NAMES.length}`,
      agrees: wins === STATIC_NAMES.length,
    });
  }
  const heavy = runs.find((r) => (r.condition.kwargs.rates as number[])[0] === 100);
  if (heavy !== undefined) {
    const antennas = scenarioNamed('aset-full-edge').workload.antennas.length;
    const agent = heavy.result.policies.find((p) => p.name === AGENT)!;
    const perSecond = summarize(agent.episodes.map((e) => e.metrics.queries / (e.length * WINDOW_S) / antennas));
    claims.push({
      paper: `ASET supports more than ${PAPER_QUERIES_PER_ANTENNA} queries per second on a single antenna at λ = 100 (Fig. 2b)`,
      ours: `${formatSummary(perSecond, 0)} queries/s per antenna (${antennas} antennas, the agent's episodes), ${AGENT} success ${pct(meanOf(heavy, AGENT))}`,
      agrees: perSecond.mean - perSecond.ci95 > PAPER_QUERIES_PER_ANTENNA,
    });
  }

  // The agent's choices at λ = 60: which static policy it let dispatch, share of windows.
  const chosen = new Map<string, number>();
  const agentWindows = runs[0].windows.filter((w) => w.policy === AGENT);
  for (const w of agentWindows) chosen.set(w.chosen, (chosen.get(w.chosen) ?? 0) + 1);
  const shares = [...chosen].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${pct(n / agentWindows.length)}`).join(', ');

  return {
    experiment: 'aset-fig2',
    title: 'ASET Fig. 2: the agent against the static policies on the full-edge topology',
    setup: [
      `EdgeSched/PolicySelect-v0 on aset-full-edge (5 s windows), λ ∈ {${rates.slice().sort((a, b) => a - b).join(', ')}} clients/min per antenna,`,
      watchedSentence(sizes),
      `The agent is ${options.agent.origin}. Unlike ASET's agent (trained at λ = 60 only), it was trained on λ drawn per episode from {${ASET_TRAINING_RATES.join(', ')}}, so Fig. 2b tests it on rates it has seen (on seeds it has not).`,
      `${CLAIM_RULE}; "best static" is the static policy with the highest mean success ratio at that λ.`,
      ...(options.quick ? ['--quick: few seeds and a short look at each episode, starting from an empty system; the full run watches 10 minutes of 10 seeds.'] : []),
    ].join(' '),
    results: runs.map((r) => r.result),
    runNames: runs.map((r) => r.condition.folder),
    claims,
    sections: [
      '## Paired differences in episode success ratio',
      pairedTable(runs),
      `At λ = 60 the agent let these static policies dispatch (share of its windows): ${shares}.`,
      'Figures: `charts/success-over-time.svg`, `charts/violation-over-time.svg`, `charts/rejection-over-time.svg` (λ = 60, mean over seeds per window) and `charts/success-by-rate.svg`; every window is in `windows.csv` and `windows.arrow`, every episode in `<λ folder>/episodes.csv`.',
    ],
    write: async (dir) => {
      const files = writeWindows(runs, dir);
      const charts = path.join(dir, 'charts');
      fs.mkdirSync(charts, { recursive: true });
      const subtitle = `aset-full-edge, λ = 60, mean over ${sizes.seeds} seeds from ${sizes.seed}, per 5 s window`;
      const figures: [string, Ratio, string][] = [
        ['success-over-time', 'successRatio', 'Queries served successfully (Fig. 2a)'],
        ['violation-over-time', 'violationRatio', 'Queries served with QoS violations (Fig. 2c)'],
        ['rejection-over-time', 'rejectionRatio', 'Queries rejected for lack of resources (Fig. 2d)'],
      ];
      for (const [name, ratio, title] of figures) {
        const file = path.join(charts, `${name}.svg`);
        fs.writeFileSync(file, await renderSvg(overTimeSpec({ title, subtitle, yTitle: ratio, highlight: AGENT }, seriesOf(runs[0], ratio))));
        files.push(file);
      }
      const byRate = runs.flatMap((r) =>
        r.result.policies.map((p) => {
          const s = p.summaries.successRatio;
          const half = Number.isNaN(s.ci95) ? 0 : s.ci95;
          return { policy: p.name, rate: (r.condition.kwargs.rates as number[])[0], mean: s.mean, low: s.mean - half, high: s.mean + half };
        }),
      );
      const file = path.join(charts, 'success-by-rate.svg');
      const title = `Success ratio by arrival rate, agent trained on λ ∈ {${ASET_TRAINING_RATES.join(', ')}} (Fig. 2b)`;
      fs.writeFileSync(file, await renderSvg(byRateSpec({ title, subtitle: `aset-full-edge, ${sizes.seeds} seeds from ${sizes.seed}, ${sizes.horizon} each, mean ± 95 % CI`, yTitle: 'successRatio', highlight: AGENT }, byRate)));
      files.push(file);
      return files;
    },
  };
}
