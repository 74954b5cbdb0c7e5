// What the simulator tells an observer about each query as it ends: the one contract that replay
// logs, rewards and tests read outcomes through. Primitives only, so the hot loop allocates nothing.

import type { OutcomeCode } from './metrics.js';

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
