// The dispatch hook: a scheduling policy decides which deployed model instance (a variant on a
// device) serves a new stream (ASET binds streams) or each query (ECSRL), or rejects it.

import type { Rng } from '../../../src/rng.js';
import type { Scenario } from '../model.js';
import type { Topology } from '../network/topology.js';

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

/**
 * What a dispatcher may read when it decides: the scenario and its network, the deployed
 * instances, and what a real scheduler could measure of them now (queues, bound streams, queries
 * in flight, memory, power). Read-only, and nothing of the event loop: a dispatcher cannot run,
 * resolve or reset the simulation it decides for. The simulator implements it and passes itself,
 * so reading through the view costs what reading the simulator's own fields costs.
 *
 * Instances are numbered as `instanceLayout(scenario)` numbers them; devices and variants by
 * their index in the scenario; antennas by node index. Arrays are per instance (`inst…`) or per
 * device (`dev…`).
 */
export interface DispatchView {
  readonly scenario: Scenario;
  /** The scenario's network with its shortest-latency routes. */
  readonly topology: Topology;
  readonly numInstances: number;
  /** The device and the model variant of each instance. */
  readonly instDevice: ArrayLike<number>;
  readonly instVariant: ArrayLike<number>;
  /** Queries waiting at each instance (concurrent devices). */
  readonly instQueued: ArrayLike<number>;
  /** Size of the batch each instance is running (0: idle). */
  readonly instInService: ArrayLike<number>;
  /** Streams bound to each instance. */
  readonly instBound: ArrayLike<number>;
  /** Queries per second the streams bound to each instance offer. */
  readonly instOfferedQps: ArrayLike<number>;
  /** Queries on their way over the network to each instance. */
  readonly instInFlight: ArrayLike<number>;
  /** Batches each device is running. */
  readonly devInService: ArrayLike<number>;
  /** Bytes of the variants deployed on each device. */
  readonly devLoadedBytes: ArrayLike<number>;
  /** Instances that can serve an application's task (any accuracy). */
  candidates(application: number): ArrayLike<number>;
  /** Network delay for a query of `application` from `antennaNode` to the instance's device, ms. */
  networkDelayMs(antennaNode: number, application: number, instance: number): number;
  /** Batch-1 service time of an instance before interference and noise, ms. */
  serviceMs(instance: number): number;
  /** Queries waiting at or running on an instance (time-shared: on its device). */
  load(instance: number): number;
  /** The utilisation the streams bound to `instance` ask of it, with `extraQps` more offered (see ServiceModel.boundLoad). */
  boundLoad(instance: number, extraQps?: number): number;
  /** Device `d`'s bound demand: Σ over its instances of offered queries/s × batch-1 service time. */
  deviceBoundLoad(d: number): number;
  /** Queries waiting at or running on device `d`'s instances now. */
  deviceLoad(d: number): number;
  /** The most queries that may wait at one of device `d`'s queues. */
  maxQueue(d: number): number;
  /** Whether an instance can take one more query without its queue overflowing. */
  hasRoom(instance: number): boolean;
  /** Whether the instance is deployed already or its variant fits the device's free memory. */
  canLoad(instance: number): boolean;
  /** The slowdown a batch of `instance` would suffer if it started now (Infinity: the device refuses). */
  interferenceFactor(instance: number): number;
  /** Share of (active − idle) power device `d` draws now. */
  powerLevel(d: number): number;
  /** Time device `d` has spent running anything since the simulation began, ms. */
  busyMs(d: number): number;
  /** Device `d`'s power-weighted active time since the simulation began, ms. */
  activeMs(d: number): number;
}

/** A scheduling policy as the simulator calls it. */
export interface Dispatcher {
  readonly name: string;
  readonly granularity: 'stream' | 'query';
  /**
   * An instance index from `view.candidates(request.application)`, or REJECT (or DEFER, per
   * query). A function property, not a method, so that TypeScript refuses a dispatcher typed to
   * take more than the view (the simulator itself).
   */
  readonly choose: (view: DispatchView, request: DispatchRequest, rng: Rng) => number;
}
