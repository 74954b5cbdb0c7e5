// ASET's claim checked on PolicySelect-v0 (`edgegym paired`): a policy (a trained folder) against
// every static policy, episode by episode on the same held-out seeds, as the 95 % CI of the paired
// differences. Each (policy, condition, seed) episode's success ratio is cached in
// <cache>/<condition>/<policy>.json, so an interrupted run resumes and conditions or policies can
// run in separate processes.

import fs from 'node:fs';
import path from 'node:path';
import '../envs/index.js';
import { STATIC_POLICIES } from '../envs/edge/aset/policies.js';
import type { Kwargs } from '../src/registry.js';
import { evaluate } from '../envs/evaluate.js';
import { policyByName } from '../jobs/policies.js';
import { type PairedDifference, pairedDifference, pairedVerdict } from '../src/stats.js';
import { makeDirs } from '../src/make-dirs.js';
import { writeAtomically } from '../jobs/run-folder.js';

/** ASET's test conditions on aset-full-edge: λ = 60 (trained), its two dynamic schedules, λ = 20 and 100. */
export const ASET_CONDITIONS: Readonly<Record<string, Kwargs>> = {
  'λ = 60': { rates: [60] },
  '20 → 60 → 100 every 150 s': { schedules: [[20, 60, 100]], scheduleStep: '150 s' },
  '60 → 40 → 20 → 60 every 150 s': { schedules: [[60, 40, 20, 60]], scheduleStep: '150 s' },
  'λ = 20': { rates: [20] },
  'λ = 100': { rates: [100] },
};

/** The conditions named in `wanted` (all of ASET's when none are named), in ASET's order. */
export function asetConditions(wanted: readonly string[] | undefined): Record<string, Kwargs> {
  return Object.fromEntries(Object.entries(ASET_CONDITIONS).filter(([name]) => wanted === undefined || wanted.includes(name)));
}

/** One policy's episode success ratios under one condition, by seed: what the comparison caches. */
type Episodes = Record<string, number>;

export interface PairedOptions {
  /** The policy compared: a folder written by `edgegym train --out`, or a baseline name. */
  policy: string;
  /** Label for the policy in the table (default: its folder's name). */
  label?: string;
  seeds: number;
  /** Episode i is reset with seed + i (default 1000: seeds training never used). */
  seed?: number;
  conditions?: Readonly<Record<string, Kwargs>>;
  /** The static policies compared against, in the order they run (default: all). */
  baselines?: readonly string[];
  /** Kwargs every condition shares (default: none, i.e. the env's aset-full-edge, 5 s windows, 10 min). */
  base?: Kwargs;
  /**
   * Kwargs for the compared policy's episodes only: those that shape what it observes and does,
   * such as `policies` or `window`, when it was trained with them. A static policy's episode does
   * not depend on them (the same streams meet the same dispatcher), so the baselines run
   * without them, and without every policy in `policies` being available to them.
   */
  policyKwargs?: Kwargs;
  /** Folder caching each episode's success ratio, one JSON file per condition and policy; null caches nothing. */
  cache: string | null;
  onlyBaselines?: boolean;
  log?: (line: string) => void;
}

export interface PairedRow {
  condition: string;
  baseline: string;
  policyMean: number;
  baselineMean: number;
  difference: PairedDifference;
}

/** Runs every missing episode, then the paired differences for each condition and baseline. */
export function pairedComparison(options: PairedOptions): PairedRow[] {
  const conditions = options.conditions ?? ASET_CONDITIONS;
  const label = options.label ?? path.basename(path.resolve(options.policy));
  const first = options.seed ?? 1000;
  const baselineNames = options.baselines ?? Object.keys(STATIC_POLICIES);
  // The cache is keyed by name: a compared policy named like a baseline must be that baseline, as is.
  if (!options.onlyBaselines && baselineNames.includes(label) && (options.policy !== label || Object.keys(options.policyKwargs ?? {}).length > 0)) {
    throw new RangeError(`the compared policy's label ${JSON.stringify(label)} is also a static policy's name; give it another label`);
  }
  // Who plays: [name in the table and cache, policy, kwargs of its own episodes].
  const policies: [string, string, Kwargs][] = [...(options.onlyBaselines ? [] : [[label, options.policy, options.policyKwargs ?? {}] as [string, string, Kwargs]]), ...baselineNames.map((n): [string, string, Kwargs] => [n, n, {}])];
  const slug = (name: string): string => name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const cacheFile = (who: string, condition: string): string | null => (options.cache === null ? null : path.join(options.cache, slug(condition), `${slug(who)}.json`));
  const ratios = (who: string, condition: string): number[] => {
    const file = cacheFile(who, condition);
    const done: Episodes = file !== null && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Episodes) : {};
    for (let k = 0; k < options.seeds; k++) {
      const seed = first + k;
      if (done[String(seed)] !== undefined) continue;
      const [, policy, own] = policies.find(([name]) => name === who)!;
      const kwargs = { ...(options.base ?? {}), ...own, ...conditions[condition] };
      const r = evaluate({ env: 'EdgeSched/PolicySelect-v0', policy, resolvePolicy: policyByName, episodes: 1, seed, kwargs });
      done[String(seed)] = r.metrics.successRatio.values[0];
      options.log?.(`${condition}  ${who}  seed ${seed}  success ${done[String(seed)].toFixed(4)}`);
      if (file !== null) {
        makeDirs(path.dirname(file));
        writeAtomically(file, JSON.stringify(done, null, 1));
      }
    }
    return Array.from({ length: options.seeds }, (_, k) => done[String(first + k)]);
  };
  const rows: PairedRow[] = [];
  for (const condition of Object.keys(conditions)) {
    const baselines = baselineNames.map((n) => [n, ratios(n, condition)] as const);
    if (options.onlyBaselines) continue;
    const mine = ratios(label, condition);
    for (const [name, theirs] of baselines) {
      rows.push({ condition, baseline: name, policyMean: mean(mine), baselineMean: mean(theirs), difference: pairedDifference(mine, theirs) });
    }
  }
  return rows;
}

/** A ratio difference in percentage points with its CI, e.g. `−7.8 ± 0.7`. */
export function points(d: PairedDifference): string {
  const sign = d.mean > 0 ? '+' : d.mean < 0 ? '−' : '';
  return `${sign}${(100 * Math.abs(d.mean)).toFixed(1)} ± ${Number.isNaN(d.ci95) ? '–' : (100 * d.ci95).toFixed(1)}`;
}

const VERDICT_CELL = { beats: 'yes', loses: 'no (worse)', ties: 'no (tie)' } as const;

/** The rows as a Markdown table: success ratios in %, differences in percentage points. */
export function formatPaired(rows: readonly PairedRow[], label: string): string {
  const seeds = rows[0]?.difference.n ?? 0;
  const lines = [
    `| condition | static policy | ${label} success % | static success % | ${label} − static, pp (95 % CI, ${seeds} paired seeds) | wins / losses | beats it |`,
    '| --- | --- | ---: | ---: | ---: | ---: | :---: |',
  ];
  for (const r of rows) {
    const d = r.difference;
    lines.push(`| ${r.condition} | ${r.baseline} | ${(100 * r.policyMean).toFixed(1)} | ${(100 * r.baselineMean).toFixed(1)} | ${points(d)} | ${d.wins} / ${d.losses} | ${VERDICT_CELL[pairedVerdict(d)]} |`);
  }
  return lines.join('\n');
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Writes the table to `<out>/paired.md` (atomically: a reader never sees half a table); returns its path. */
export function writePaired(out: string, rows: readonly PairedRow[], label: string): string {
  makeDirs(out);
  const file = path.join(out, 'paired.md');
  writeAtomically(file, `${formatPaired(rows, label)}\n`);
  return file;
}
