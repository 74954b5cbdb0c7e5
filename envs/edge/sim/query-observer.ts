// What the simulator tells an observer about each query as it ends (the one contract that replay
// logs, rewards and tests read outcomes through), and how an env hands its simulators' queries on.

import type { OutcomeCode } from './metrics.js';
import type { Scenario } from '../model.js';

/**
 * Called once per query with its outcome (for replay logs, rewards and tests); primitives only.
 * `serviceMs` is the time its batch ran (NaN when never served); `antenna` is a node index;
 * `arrivalMs` is when the query was generated at the antenna; `slowdown` the interference
 * factor its batch ran with: its running time with co-runners over its running time alone,
 * ECSRL's degradation (1 alone or time-shared; NaN when never served).
 */
export type QueryObserver = (
  timeMs: number,
  stream: number,
  application: number,
  instance: number,
  latencyMs: number,
  outcome: OutcomeCode,
  serviceMs: number,
  antenna: number,
  arrivalMs: number,
  slowdown: number,
) => void;

/**
 * Where the queries of the simulators an env builds go: a query log, or a test's tally. The env
 * asks for one observer per simulator, before that simulator runs, and passes it as the
 * simulator's `onQuery` (beside its own). The observer reports applications, instances, devices
 * and antennas numbered as in `scenario`, which is the env's own scenario even when a simulator
 * runs one derived from it (Placement's checks renumber the applications; the env maps them back).
 */
export interface QueryRecorder {
  observer(scenario: Scenario): QueryObserver;
}

/**
 * An env that runs edge simulators and can tell a recorder about their queries. The EdgeSched
 * envs are such envs; reach one beneath its wrappers as `env.unwrapped` (see `isRecordingEnv`).
 */
export interface RecordingEnv {
  /** The scenario whose numbering the recorder's observers report in. */
  readonly scenario: Scenario;
  /**
   * Sends the queries of every simulator the env builds from now on to `recorder` (null: to no
   * one). PolicySelect and Dispatch build one per episode, at `reset`; Placement one per check.
   */
  recordQueries(recorder: QueryRecorder | null): void;
}

/** Whether `env` (an unwrapped env) is a RecordingEnv. */
export function isRecordingEnv(env: object): env is RecordingEnv {
  const e = env as Partial<RecordingEnv>;
  return typeof e.recordQueries === 'function' && typeof e.scenario === 'object' && e.scenario !== null;
}
