// ASET's Fig. 3 (full-edge topology): the arrival rate changes every 150 s, fast (20 → 60 → 100)
// and steady (60 → 40 → 20 → 60); success ratio over time for every static policy and the agent
// trained at λ = 60, and the paired claim that the agent beats every static policy under both.

import fs from 'node:fs';
import path from 'node:path';
import { parseQuantity } from '../../src/sim/units.js';
import { renderSvg } from '../../jobs/benchmark/charts.js';
import { ASET_CONDITIONS, points } from '../policy-select-paired.js';
import { pairedDifference, pairedVerdict } from '../../src/stats.js';
import { AGENT, type AsetCondition, CLAIM_RULE, type ConditionRun, STATIC_NAMES, agentVersusStatics, bestStatic, definedOf, meanOf, episodeValues, pairedTable, pct, runCondition, seriesOf, watchedSentence, writeWindows } from './aset-runs.js';
import type { Claim, Reproduction } from './claims.js';
import { overTimeSpec } from './line-charts.js';
import { ASET_TRAINING_RATES, type AgentUsed } from './training.js';

/** The paper's two patterns, as ASET_CONDITIONS spells them (λ lists, each value held 150 s). */
const PATTERNS = [
  { name: 'fast', figure: 'Fig. 3a', condition: '20 → 60 → 100 every 150 s' },
  { name: 'steady', figure: 'Fig. 3b', condition: '60 → 40 → 20 → 60 every 150 s' },
] as const;

export interface AsetFig3Sizes {
  seeds?: number;
  seed?: number;
  /** Simulated time watched per episode. */
  horizon?: string;
  /** How long each λ of a pattern holds (the paper: 150 s). */
  scheduleStep?: string;
}

/**
 * --quick: 3 seeds, and each pattern played 5× faster (λ held 30 s, 2 minutes watched: the same
 * four steps as the full run's 10 minutes), since a single 150 s step is already 30 windows.
 */
export const FIG3_QUICK: Required<AsetFig3Sizes> = { seeds: 3, seed: 1000, horizon: '2 min', scheduleStep: '30 s' };
/** Full: 10 held-out seeds, 10 minutes (each pattern's four 150 s steps). */
export const FIG3_FULL: Required<AsetFig3Sizes> = { seeds: 10, seed: 1000, horizon: '10 min', scheduleStep: '150 s' };

export async function reproduceAsetFig3(options: { quick: boolean; agent: AgentUsed; log?: (line: string) => void } & AsetFig3Sizes): Promise<Reproduction> {
  // Scenario and seeds: aset-full-edge, 5 s windows, held-out seeds from 1000, both patterns.
  const sizes = { ...(options.quick ? FIG3_QUICK : FIG3_FULL), ...definedOf({ seeds: options.seeds, seed: options.seed, horizon: options.horizon, scheduleStep: options.scheduleStep }) };
  const stepS = parseQuantity(sizes.scheduleStep, 'time') / 1000;
  const conditions: AsetCondition[] = PATTERNS.map((p) => {
    const schedule = (ASET_CONDITIONS[p.condition].schedules as number[][])[0];
    return { label: `${schedule.join(' → ')} every ${stepS} s`, folder: `${p.name}-${schedule.join('-')}`, kwargs: { schedules: [schedule], scheduleStep: sizes.scheduleStep } };
  });
  const log = options.log === undefined ? undefined : (line: string): void => options.log?.(`aset-fig3 ${line}`);
  log?.(`${sizes.seeds} seeds × ${STATIC_NAMES.length + 1} policies × ${conditions.length} patterns, ${sizes.horizon} each`);

  // The runs: the agent and every static policy on the same seeds, under each pattern.
  const runs: ConditionRun[] = [];
  for (const condition of conditions) runs.push(await runCondition(condition, { agent: options.agent, seeds: sizes.seeds, seed: sizes.seed, horizon: sizes.horizon, log }));

  // The claims: the agent beats every static policy under each pattern, by more under the fast one.
  const claims: Claim[] = runs.map((run, k) => {
    const d = agentVersusStatics(run.result);
    const top = bestStatic(run.result);
    const wins = [...d.values()].filter((x) => pairedVerdict(x) === 'beats').length;
    return {
      paper: `ASET reaches the highest success ratio of all policies under the ${PATTERNS[k].name} pattern ${run.condition.label} (${PATTERNS[k].figure})`,
      ours: `${AGENT} ${pct(meanOf(run, AGENT))}, best static ${top} ${pct(meanOf(run, top))}; ${AGENT} − ${top} ${points(d.get(top)!)} pp; beats ${wins} of ${STATIC_NAMES.length}`,
      agrees: wins === STATIC_NAMES.length,
    };
  });
  // Margins over the best static policy, seed by seed; the two patterns' episodes are independent,
  // so the CI of their difference (paired by seed index) is that of a difference of two means.
  const margins = runs.map((run) => {
    const mine = episodeValues(run.result, AGENT, 'successRatio');
    const theirs = episodeValues(run.result, bestStatic(run.result), 'successRatio');
    return mine.map((x, i) => x - theirs[i]);
  });
  const fastMargin = pairedDifference(margins[0], margins[0].map(() => 0));
  const gap = pairedDifference(margins[0], margins[1]);
  claims.push({
    paper: 'the margin over static policies is largest where the rate varies faster and more (Fig. 3a against 3b)',
    ours: `${AGENT} − best static: fast ${points(fastMargin)} pp, steady ${points(pairedDifference(margins[1], margins[1].map(() => 0)))} pp; fast − steady ${points(gap)} pp`,
    agrees: pairedVerdict(fastMargin) === 'beats' && pairedVerdict(gap) === 'beats',
  });

  return {
    experiment: 'aset-fig3',
    title: 'ASET Fig. 3: the agent against the static policies under a changing arrival rate',
    setup: [
      `EdgeSched/PolicySelect-v0 on aset-full-edge (5 s windows), λ (clients/min per antenna) changing every ${stepS} s: fast ${conditions[0].label} and steady ${conditions[1].label}, the list repeated;`,
      watchedSentence(sizes),
      `The agent is ${options.agent.origin}; it was trained at a constant λ per episode, drawn from {${ASET_TRAINING_RATES.join(', ')}}, and never saw a changing λ.`,
      `${CLAIM_RULE}.`,
      ...(stepS === 150 ? [] : [`This run holds each λ ${stepS} s instead of the paper's 150 s, so streams (30–40 s on average) see the rate change more often than in the paper.`]),
    ].join(' '),
    results: runs.map((r) => r.result),
    runNames: runs.map((r) => r.condition.folder),
    claims,
    sections: [
      '## Paired differences in episode success ratio',
      pairedTable(runs),
      'Figures: `charts/success-over-time-fast.svg`, `charts/success-over-time-steady.svg` (mean over seeds per window); every window, with the λ in force, is in `windows.csv` and `windows.arrow`, every episode in `<pattern folder>/episodes.csv`.',
    ],
    write: async (dir) => {
      const files = writeWindows(runs, dir);
      const charts = path.join(dir, 'charts');
      fs.mkdirSync(charts, { recursive: true });
      for (const [k, run] of runs.entries()) {
        const file = path.join(charts, `success-over-time-${PATTERNS[k].name}.svg`);
        const title = `Queries served successfully, λ = ${run.condition.label} (${PATTERNS[k].figure})`;
        const subtitle = `aset-full-edge, mean over ${sizes.seeds} seeds from ${sizes.seed}, per 5 s window`;
        fs.writeFileSync(file, await renderSvg(overTimeSpec({ title, subtitle, yTitle: 'successRatio', highlight: AGENT }, seriesOf(run, 'successRatio'))));
        files.push(file);
      }
      return files;
    },
  };
}
