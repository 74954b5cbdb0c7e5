// ASET's claim checked on PolicySelect-v0: a policy (a trained folder) against every static policy,
// episode by episode on the same held-out seeds, as the 95 % CI of the paired differences.
//
// Run: node dist/experiments/policy-select-paired.js --policy <folder> --out <dir> [--seeds 10]
//      [--seed 1000] [--condition name …] [--baseline name …] [--only-baselines]
//      [--horizon '5 min'] [--policy-kwargs JSON]; each (policy, condition, seed)
//      episode's success ratio is cached in <dir>/episodes/<condition>/<policy>.json, so an
//      interrupted run resumes and conditions or policies can run in separate processes; the
//      table goes to <dir>/paired.md.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import '../envs/index.js';
import { STATIC_POLICIES } from '../envs/edge/aset/policies.js';
import type { Kwargs } from '../src/registry.js';
import { evaluate } from '../envs/evaluate.js';
import { policyByName } from '../jobs/policies.js';
import { type Summary, summarize } from '../src/stats.js';
import { makeDirs } from '../src/make-dirs.js';
import { parseKwargs } from '../bin/cli-args.js';

/** ASET's test conditions on aset-full-edge: λ = 60 (trained), its two dynamic schedules, λ = 20 and 100. */
export const ASET_CONDITIONS: Readonly<Record<string, Kwargs>> = {
  'λ = 60': { rates: [60] },
  '20 → 60 → 100 every 150 s': { schedules: [[20, 60, 100]], scheduleStep: '150 s' },
  '60 → 40 → 20 → 60 every 150 s': { schedules: [[60, 40, 20, 60]], scheduleStep: '150 s' },
  'λ = 20': { rates: [20] },
  'λ = 100': { rates: [100] },
};

/** Mean paired difference a − b with its 95 % CI; `beats` when the whole interval is above 0. */
export interface PairedDifference extends Summary {
  beats: boolean;
}

/** The paired differences a[i] − b[i] (the same seed i under both policies). */
export function pairedDifference(a: readonly number[], b: readonly number[]): PairedDifference {
  if (a.length !== b.length) throw new RangeError(`pairedDifference: ${a.length} against ${b.length} episodes`);
  const s = summarize(a.map((x, i) => x - b[i]));
  return { ...s, beats: s.mean - s.ci95 > 0 };
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

/** The rows as a Markdown table: success ratios in %, differences in percentage points. */
export function formatPaired(rows: readonly PairedRow[], label: string, seeds: number): string {
  const pct = (x: number): string => (100 * x).toFixed(1);
  const lines = [
    `| condition | static policy | ${label} success % | static success % | difference, pp (95 % CI, ${seeds} paired seeds) | beats it |`,
    '| --- | --- | ---: | ---: | ---: | :---: |',
  ];
  for (const r of rows) {
    const d = r.difference;
    lines.push(`| ${r.condition} | ${r.baseline} | ${pct(r.policyMean)} | ${pct(r.baselineMean)} | ${pct(d.mean)} ± ${pct(d.ci95)} | ${d.beats ? 'yes' : d.mean + d.ci95 < 0 ? 'no (worse)' : 'no (tie)'} |`);
  }
  return lines.join('\n');
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function main(argv: readonly string[]): void {
  const value = (flag: string): string | undefined => {
    const k = argv.indexOf(flag);
    return k < 0 ? undefined : argv[k + 1];
  };
  const policy = value('--policy') ?? 'least-impedance';
  const out = value('--out') ?? 'runs/aset-paired';
  const seeds = Number(value('--seeds') ?? 10);
  const wanted = argv.flatMap((a, k) => (a === '--condition' ? [argv[k + 1]] : []));
  const conditions = wanted.length === 0 ? ASET_CONDITIONS : Object.fromEntries(wanted.map((c) => [c, ASET_CONDITIONS[c] ?? fail(`unknown condition ${JSON.stringify(c)}; known: ${Object.keys(ASET_CONDITIONS).join(', ')}`)]));
  makeDirs(out);
  const label = path.basename(path.resolve(policy));
  const baselines = argv.flatMap((a, k) => (a === '--baseline' ? [argv[k + 1]] : []));
  const horizon = value('--horizon');
  const policyKwargs = value('--policy-kwargs');
  const rows = pairedComparison({
    policy, label, seeds, seed: Number(value('--seed') ?? 1000), conditions, cache: path.join(out, 'episodes'), onlyBaselines: argv.includes('--only-baselines'),
    ...(baselines.length === 0 ? {} : { baselines }), ...(horizon === undefined ? {} : { base: { horizon } }),
    ...(policyKwargs === undefined ? {} : { policyKwargs: parseKwargs(policyKwargs, '--policy-kwargs') }), log: (line) => console.log(line),
  });
  if (rows.length === 0) return;
  const table = formatPaired(rows, label, seeds);
  fs.writeFileSync(path.join(out, 'paired.md'), `${table}\n`);
  console.log(table);
}

function fail(message: string): never {
  throw new Error(message);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main(process.argv.slice(2));
