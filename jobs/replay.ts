// `edgegym replay`: what a log directory holds (episodes, steps, returns with a 95 % CI, the
// query log's outcomes, schema, metadata, files and bytes), and its export to Minari.

import { QUERY_LOG_PREFIX } from '../envs/edge/sim/query-log.js';
import { boolColumn, LogFiles, numberColumn, readStepLog, type SegmentInfo } from '../src/replay/reader.js';
import { ReplayFormatError } from '../src/replay/schema.js';
import { formatSummary, type Summary, tQuantile975 } from '../src/stats.js';

export { exportMinari, isDatasetId, type MinariExportOptions, type MinariExportResult } from '../src/replay/minari.js';

export interface StepLogSummary {
  env: string;
  writer: string;
  seed: number | null;
  rows: number;
  steps: number;
  /** Episodes with their final row. */
  episodes: number;
  /** Episodes the log ends inside of. */
  openEpisodes: number;
  return: Summary;
  length: Summary;
}

export interface QueryLogSummary {
  scenario: string;
  rows: number;
  runs: number;
  outcomes: Record<string, number>;
  latencyMs: Summary;
}

export interface ReplaySummary {
  dir: string;
  steps: StepLogSummary | null;
  queries: QueryLogSummary | null;
  files: SegmentInfo[];
  bytes: number;
  schema: { log: string; columns: { name: string; type: string; nullable: boolean }[]; metadata: Record<string, string> }[];
}

/** Reads the step log and query log in `dir` (either may be absent, not both) in one pass each. */
export function summarizeReplay(dir: string): ReplaySummary {
  const stepFiles = new LogFiles(dir, 'steps');
  const queryFiles = new LogFiles(dir, QUERY_LOG_PREFIX);
  if (stepFiles.files.length === 0 && queryFiles.files.length === 0) throw new ReplayFormatError(`${stepFiles.dir} holds no replay log (no steps-*.arrows or queries-*.arrows files)`);
  const steps = stepFiles.files.length === 0 ? null : summarizeSteps(dir);
  const queries = queryFiles.files.length === 0 ? null : summarizeQueries(queryFiles);
  const files = [...stepFiles.segments(), ...queryFiles.segments()];
  const schema = [stepFiles, queryFiles].filter((f) => f.schema !== null).map((f) => ({
    log: f.prefix,
    columns: f.schema!.fields.map((c) => ({ name: c.name, type: String(c.type), nullable: c.nullable })),
    metadata: Object.fromEntries(f.schema!.metadata),
  }));
  return { dir: stepFiles.dir, steps, queries, files, bytes: files.reduce((s, f) => s + f.bytes, 0), schema };
}

function summarizeSteps(dir: string): StepLogSummary {
  const reader = readStepLog(dir);
  const spec = reader.spec!;
  const open = new Map<number, { ret: number; len: number }>();
  const returns = new Running();
  const lengths = new Running();
  let rows = 0;
  let steps = 0;
  for (const b of reader.batches()) {
    const ids = numberColumn([b], 'episode_id');
    const rewards = numberColumn([b], 'rewards');
    const flags = boolColumn([b], 'terminations');
    rows += b.numRows;
    for (let r = 0; r < b.numRows; r++) {
      let e = open.get(ids[r]);
      if (e === undefined) open.set(ids[r], (e = { ret: 0, len: 0 }));
      if (flags.valid[r] === 1) {
        e.ret += rewards[r];
        e.len += 1;
        steps++;
      } else {
        returns.add(e.ret);
        lengths.add(e.len);
        open.delete(ids[r]);
      }
    }
  }
  return { env: spec.envId, writer: spec.writer, seed: spec.seed, rows, steps, episodes: returns.n, openEpisodes: open.size, return: returns.summary(), length: lengths.summary() };
}

function summarizeQueries(files: LogFiles): QueryLogSummary {
  const outcomes: Record<string, number> = {};
  const latencies = new Running();
  const runs = new Set<number>();
  let rows = 0;
  for (const b of files.batches()) {
    rows += b.numRows;
    const names = b.getChild('outcome_name')!;
    const latency = numberColumn([b], 'latency_ms');
    const run = numberColumn([b], 'run');
    // A run is numbered within its env (a vector's sub-env); logs older than the env column have one env.
    const env = b.getChild('env') === null ? null : numberColumn([b], 'env');
    for (let r = 0; r < b.numRows; r++) {
      const name = String(names.get(r));
      outcomes[name] = (outcomes[name] ?? 0) + 1;
      if (!Number.isNaN(latency[r])) latencies.add(latency[r]);
      runs.add((env === null ? 0 : env[r]) * 2 ** 32 + run[r]);
    }
  }
  return { scenario: files.schema!.metadata.get('edgegym.scenario') ?? '?', rows, runs: runs.size, outcomes, latencyMs: latencies.summary() };
}

/** The summary a person reads. */
export function formatReplaySummary(s: ReplaySummary, withSchema: boolean): string {
  const lines = [`${s.dir}: ${s.files.length} file${s.files.length === 1 ? '' : 's'}, ${mib(s.bytes)}`];
  if (s.steps !== null) {
    const t = s.steps;
    lines.push(
      `step log of ${t.env} by ${t.writer}${t.seed === null ? '' : `, seed ${t.seed}`}: ${t.steps.toLocaleString('en-US')} steps in ${t.rows.toLocaleString('en-US')} rows, ${(s.files.filter((f) => f.file.includes('steps-')).reduce((a, f) => a + f.bytes, 0) / Math.max(1, t.rows)).toFixed(1)} bytes per row`,
      `  episodes  ${t.episodes}${t.openEpisodes > 0 ? ` (+ ${t.openEpisodes} the log ends inside of)` : ''}`,
      ...(t.episodes === 0
        ? [`  return    none: ${t.rows === 0 ? 'the log is empty' : 'no episode ends in the log'}`]
        : [`  return    ${formatSummary(t.return, 2)} (mean ± 95 % CI)`, `  length    ${formatSummary(t.length, 1)}`]),
    );
  }
  if (s.queries !== null) {
    const q = s.queries;
    lines.push(
      `query log of ${q.scenario}: ${q.rows.toLocaleString('en-US')} queries from ${q.runs} simulator run${q.runs === 1 ? '' : 's'}`,
      `  outcomes  ${Object.entries(q.outcomes).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`,
      q.latencyMs.n === 0 ? `  latency   none: ${q.rows === 0 ? 'the log is empty' : 'no query was served'}` : `  latency   ${formatSummary(q.latencyMs, 2)} ms (served queries)`,
    );
  }
  lines.push('files', ...s.files.map((f) => `  ${f.file}  ${mib(f.bytes)}, ${f.batches} batches, ${f.rows.toLocaleString('en-US')} rows`));
  if (withSchema) {
    for (const sc of s.schema) {
      lines.push(`schema of the ${sc.log} log`, ...sc.columns.map((c) => `  ${c.name}: ${c.type}${c.nullable ? ' (nullable)' : ''}`), '  metadata', ...Object.entries(sc.metadata).map(([k, v]) => `    ${k} = ${v.length > 160 ? `${v.slice(0, 157)}…` : v}`));
    }
  }
  return lines.join('\n');
}

/** Mean, deviation and range of a stream too long to keep (Welford's update). */
class Running {
  n = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;

  add(x: number): void {
    this.n++;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  summary(): Summary {
    const { n } = this;
    if (n === 0) return { n, mean: NaN, std: NaN, ci95: NaN, min: NaN, max: NaN };
    const std = n > 1 ? Math.sqrt(this.m2 / (n - 1)) : NaN;
    return { n, mean: this.mean, std, ci95: n > 1 ? tQuantile975(n - 1) * (std / Math.sqrt(n)) : NaN, min: this.min, max: this.max };
  }
}

function mib(bytes: number): string {
  return bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
