// The edge-cloud domain model as the simulator consumes it: plain numbers in fixed units
// (milliseconds, bytes, bits per second, watts, 0–1 accuracies), produced from scenario JSON by
// the loader, which is where units and validation live.

/** Kinds of places in the network. */
export type NodeKind = 'antenna' | 'edge' | 'metro' | 'cloud' | 'router';

export interface NetworkNode {
  id: string;
  kind: NodeKind;
  /** Antennas: radio uplink bandwidth shared by nothing (per-client), bits per second. */
  uplinkBps?: number;
  /** Where the node is, when known (Topology Zoo); degrees. */
  latitude?: number;
  longitude?: number;
}

export interface NetworkLink {
  /** Indices into the node list; links are bidirectional. */
  from: number;
  to: number;
  /** One-way propagation latency, ms. */
  latencyMs: number;
  bandwidthBps: number;
}

export interface TopologySpec {
  nodes: NetworkNode[];
  links: NetworkLink[];
}

/** A trained model variant: what it does and how well. */
export interface ModelVariant {
  id: string;
  task: string;
  /** Top-1 accuracy or mAP, as a fraction in [0, 1]. */
  accuracy: number;
  /** Weights and activations resident on a device while deployed, bytes. */
  memoryBytes: number;
}

/** How fast one device type runs one variant. */
export interface VariantProfile {
  /** Batch-1 service time, ms. */
  latencyMs: number;
  /** Service time of a batch of b queries at index b − 1 (b = 1 … maxBatch); omitted: batch 1 only. */
  batchLatencyMs?: number[];
  /**
   * Copies of the model deployed on the device (containers, in ECSRL's testbed), each with its
   * own queue, so that several of them can run at once and slow each other (default 1).
   */
  replicas?: number;
}

/**
 * Slowdown of a batch that starts service while other batches run on the same device.
 * `linear`: factor = 1 + slope · (batches already running), as ECSRL measured (about linear
 * in co-runners). `matrix`: ECSRL's degradation matrix, factors.get(variant)[n₁][n₂]…
 * indexed by how many batches of each listed variant are running; Infinity (or a count past
 * the matrix) means the device refuses, as ECSRL's memory-exhausted cells.
 */
export type Interference =
  | { kind: 'none' }
  | { kind: 'linear'; slope: number }
  | { kind: 'matrix'; variants: number[]; factors: Map<number, NestedFactors> };

/** Nested arrays of factors, one level per variant in the matrix's `variants` list. */
export type NestedFactors = number | NestedFactors[];

/**
 * `concurrent` (GPU, Jetson): each deployed variant serves its own FIFO queue, variants run at
 * once and slow each other (interference). `time-shared` (EdgeTPU): one query at a time across
 * the device; switching to another variant costs a weight reload when the variants in use do
 * not fit the on-chip memory together.
 */
export type Execution =
  | { kind: 'concurrent' }
  | { kind: 'time-shared'; onChipBytes: number; swapBytesPerMs: number };

export interface Device {
  id: string;
  /** Node index of the site the device sits at. */
  site: number;
  type: string;
  execution: Execution;
  memoryBytes: number;
  idlePowerW: number;
  activePowerW: number;
  /**
   * Batches in service at which the device draws `activePowerW` (default 1). Below it power rises
   * linearly with the batches running, from idle: P = idle + (active − idle) · min(1, k / this),
   * the linear utilisation model of Fan, Weber and Barroso (ISCA 2007). 1 keeps the two-state
   * model: active power whenever anything runs.
   */
  powerSaturation?: number;
  /** Profiles by variant index; a variant without a profile cannot run here. */
  profiles: Map<number, VariantProfile>;
  interference: Interference;
  /** Queries waiting per deployed variant beyond which new ones are rejected. */
  maxQueue: number;
}

/** A duration distribution, ms. */
export type Distribution =
  | { kind: 'fixed'; valueMs: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'uniform'; minMs: number; maxMs: number };

export interface Application {
  id: string;
  task: string;
  /** Minimum accuracy, fraction. */
  accuracy: number;
  /** End-to-end latency budget per query, ms. */
  latencyBudgetMs: number;
  /** Time between a stream's queries, ms (1000 / frame rate). */
  frameIntervalMs: number;
  inputBytes: number;
  duration: Distribution;
  /** Relative share of arriving streams. */
  weight: number;
}

/** A change of arrival rate at a time: λ in clients per minute per antenna. */
export interface RatePoint {
  atMs: number;
  clientsPerMinute: number;
}

/** A recorded stream arrival (from a trace file). */
export interface TraceArrival {
  atMs: number;
  antenna: number;
  application: number;
}

export interface Workload {
  /** Node indices of the antennas streams arrive at. */
  antennas: number[];
  /** Piecewise-constant λ per antenna, sorted by time, first at 0; repeats after the last if `cycleMs`. */
  schedule: RatePoint[];
  cycleMs?: number;
  /** If present, arrivals come from here instead of the Poisson process. */
  trace?: TraceArrival[];
}

/** Service-time noise around a profile's latency (mean preserved). */
export type ServiceNoise = { kind: 'deterministic' } | { kind: 'exponential' } | { kind: 'lognormal'; cv: number };

export interface Scenario {
  name: string;
  description: string;
  topology: TopologySpec;
  variants: ModelVariant[];
  devices: Device[];
  applications: Application[];
  workload: Workload;
  serviceNoise: ServiceNoise;
}
