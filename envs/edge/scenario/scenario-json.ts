// The scenario file format: what a user writes. Quantities are strings with units, parsed by
// mathjs at load time ("4.2 ms", "15 W", "1 Gb/s", "8 MB", "30 Hz", "60 1/min"); the loader
// (scenario.ts) validates everything up front and turns it into the numeric model in model.ts.
// A scenario is data only: nothing in it is ever executed.

/** A quantity with its unit, e.g. "4.2 ms". Plain numbers are accepted only where noted. */
export type Quantity = string;

export interface ScenarioFile {
  name: string;
  description?: string;
  /** Where the numbers come from: free text per key, kept for readers. */
  sources?: Record<string, string>;
  topology: TopologyFile;
  models: ModelFile[];
  /** Device types with their per-model profiles; devices refer to them by key. */
  deviceTypes: Record<string, DeviceTypeFile>;
  devices: DeviceFile[];
  applications: ApplicationFile[];
  workload: WorkloadFile;
  /** Default { "kind": "deterministic" }. */
  serviceNoise?: { kind: 'deterministic' } | { kind: 'exponential' } | { kind: 'lognormal'; cv: number };
}

export type TopologyFile =
  | {
      nodes: { id: string; kind: 'antenna' | 'edge' | 'metro' | 'cloud' | 'router'; uplink?: Quantity; latitude?: number; longitude?: number }[];
      links: { from: string; to: string; latency?: Quantity; bandwidth: Quantity }[];
    }
  | {
      /** An Internet Topology Zoo GraphML file, relative to the scenario file. */
      graphml: string;
      /** Used for every link; without coordinates on both ends a link needs `linkLatency`. */
      linkBandwidth: Quantity;
      /** Explicit per-link latency for files without coordinates. */
      linkLatency?: Quantity;
      /** Node kinds by GraphML node label or id; unlisted nodes are routers. */
      kinds: Record<string, 'antenna' | 'edge' | 'metro' | 'cloud'>;
      /** Antenna uplink for every antenna. */
      uplink: Quantity;
    };

export interface ModelFile {
  id: string;
  task: string;
  /** Fraction (0.7613) or percentage string ("76.13 %"). */
  accuracy: number | string;
  memory: Quantity;
  source?: string;
}

export interface DeviceTypeFile {
  /** "concurrent" (GPU, Jetson) or "time-shared" (EdgeTPU). */
  execution: 'concurrent' | 'time-shared';
  memory: Quantity;
  idlePower: Quantity;
  activePower: Quantity;
  /** Batches in service at which it draws activePower; power rises linearly up to it (default 1). */
  powerSaturation?: number;
  /** time-shared only: on-chip parameter memory (8 MB for a Coral EdgeTPU) and the reload rate. */
  onChipMemory?: Quantity;
  swapBandwidth?: Quantity;
  /** Default { "kind": "none" }. */
  interference?:
    | { kind: 'none' }
    | { kind: 'linear'; slope: number }
    | { kind: 'matrix'; variants: string[]; factors: Record<string, unknown> };
  /** Default 64. */
  maxQueue?: number;
  /** By model id. Latency as a time ("4.2 ms") or a rate ("824 Hz" = 824 inferences/s). */
  profiles: Record<string, { latency: Quantity; batchLatency?: Quantity[]; replicas?: number; source?: string }>;
  source?: string;
}

export interface DeviceFile {
  id: string;
  type: string;
  /** Node id of the site. */
  site: string;
  /** Identical copies, named id-0, id-1, … (default 1). */
  count?: number;
}

export interface ApplicationFile {
  id: string;
  task: string;
  accuracy: number | string;
  latencyBudget: Quantity;
  /** "30 Hz" (frames per second). */
  frameRate: Quantity;
  inputSize: Quantity;
  duration: { kind: 'fixed'; value: Quantity } | { kind: 'exponential'; mean: Quantity } | { kind: 'uniform'; min: Quantity; max: Quantity };
  /** Default 1. */
  weight?: number;
}

export interface WorkloadFile {
  /** Antenna node ids (default: every antenna). */
  antennas?: string[];
  /** Clients per minute per antenna, constant… */
  rate?: number;
  /** …or piecewise: each entry holds from `at` until the next. */
  schedule?: { at: Quantity; rate: number }[];
  /** Repeat the schedule with this period. */
  cycle?: Quantity;
  /** CSV trace of stream arrivals relative to the scenario file: columns time_s,antenna,application. */
  trace?: string;
}
