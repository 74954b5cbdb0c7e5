// The dispatch hook: a scheduling policy decides which deployed model instance (a variant on a
// device) serves a new stream (ASET binds streams) or each query (ECSRL), or rejects it.

import type { Rng } from '../../../src/rng.js';
import type { EdgeSimulator } from './simulator.js';

/** One decision to make. The simulator reuses this object: read it, do not keep it. */
export interface DispatchRequest {
  /** 'stream': the choice binds every query of the stream; 'query': this query only. */
  granularity: 'stream' | 'query';
  application: number;
  /** Node index of the antenna the stream arrived at. */
  antenna: number;
  stream: number;
  timeMs: number;
}

/** Return value meaning "reject". */
export const REJECT = -1;

/**
 * Return value meaning "decided outside": the simulator parks the query, stops its event loop
 * and waits for `EdgeSimulator.resolve(instance)` (how an RL env takes one decision per step).
 */
export const DEFER = -3;

/** A scheduling policy as the simulator calls it. */
export interface Dispatcher {
  readonly name: string;
  readonly granularity: 'stream' | 'query';
  /** An instance index from `sim.candidates(application)`, or REJECT. */
  choose(sim: EdgeSimulator, request: DispatchRequest, rng: Rng): number;
}
