// Outcome accounting for the edge simulator: per-query outcomes overall and per application,
// latency percentiles in constant memory, and the report the CLI and envs print.

import { LogHistogram } from '../../../src/sim/histogram.js';

/** Per-query outcomes. A served query can be late, inaccurate, or both. */
export const Outcome = {
  SUCCESS: 0,
  LATE: 1,
  INACCURATE: 2,
  LATE_AND_INACCURATE: 3,
  REJECTED: 4,
} as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];
const KINDS = 5;

/** Counts of one population of queries. */
export interface OutcomeCounts {
  queries: number;
  success: number;
  /** Served but late, inaccurate, or both (each query counted once here). */
  violations: number;
  /** Served after the latency budget (includes late-and-inaccurate). */
  late: number;
  /** Served by a variant below the required accuracy (includes late-and-inaccurate). */
  inaccurate: number;
  /** Never served: no capacity, memory exhausted, queue full, or the policy rejected it. */
  rejected: number;
  successRatio: number;
  violationRatio: number;
  rejectionRatio: number;
}

export interface DeviceReport {
  id: string;
  /** Fraction of the time at least one batch was in service. */
  utilisation: number;
  energyJ: number;
}

export interface OutcomeReport extends OutcomeCounts {
  durationMs: number;
  /** Latency of served queries, ms (generation to result). */
  latency: { mean: number; p50: number; p95: number; p99: number; max: number };
  energyJ: number;
  devices: DeviceReport[];
  applications: (OutcomeCounts & { id: string })[];
  streams: { arrived: number; rejected: number };
  events: number;
}

export class EdgeMetrics {
  /** Outcome counts indexed by OutcomeCode. */
  readonly outcomes = new Float64Array(KINDS);
  /** Outcome counts per application: [app · 5 + outcome]. */
  readonly perApplication: Float64Array;
  readonly latency = new LogHistogram();
  streamsArrived = 0;
  streamsRejected = 0;

  constructor(applications: number) {
    this.perApplication = new Float64Array(applications * KINDS);
  }

  record(application: number, outcome: OutcomeCode, latencyMs: number): void {
    this.outcomes[outcome]++;
    this.perApplication[application * KINDS + outcome]++;
    if (outcome !== Outcome.REJECTED) this.latency.add(latencyMs);
  }

  reset(): void {
    this.outcomes.fill(0);
    this.perApplication.fill(0);
    this.latency.reset();
    this.streamsArrived = 0;
    this.streamsRejected = 0;
  }

  /** Counts for all queries (application = -1) or one application. */
  counts(application = -1): OutcomeCounts {
    const c = application < 0 ? this.outcomes : this.perApplication.subarray(application * KINDS, application * KINDS + KINDS);
    const queries = c[0] + c[1] + c[2] + c[3] + c[4];
    const violations = c[1] + c[2] + c[3];
    const ratio = (x: number): number => (queries === 0 ? 0 : x / queries);
    return {
      queries,
      success: c[Outcome.SUCCESS],
      violations,
      late: c[Outcome.LATE] + c[Outcome.LATE_AND_INACCURATE],
      inaccurate: c[Outcome.INACCURATE] + c[Outcome.LATE_AND_INACCURATE],
      rejected: c[Outcome.REJECTED],
      successRatio: ratio(c[Outcome.SUCCESS]),
      violationRatio: ratio(violations),
      rejectionRatio: ratio(c[Outcome.REJECTED]),
    };
  }
}

/** The outcome of a served query from its latency and accuracy against the application's needs. */
export function classify(latencyMs: number, budgetMs: number, accuracy: number, required: number): OutcomeCode {
  const late = latencyMs > budgetMs;
  const inaccurate = accuracy < required;
  return late ? (inaccurate ? Outcome.LATE_AND_INACCURATE : Outcome.LATE) : inaccurate ? Outcome.INACCURATE : Outcome.SUCCESS;
}
