// The env a server hosts, behind one shape for both cases: a single env (no autoreset, as
// Gymnasium's Env) or a vector of N (same-step autoreset), writing into the reply's buffers.

import type { Env, Info } from '../src/env.js';
import { type EnvSpec, type Kwargs, make } from '../src/registry.js';
import type { Seed } from '../src/rng.js';
import { Discrete } from '../src/spaces/discrete.js';
import { MultiDiscrete } from '../src/spaces/multi-discrete.js';
import type { Space } from '../src/spaces/space.js';
import { actionWidth, decodeAction } from '../src/vector/batching.js';
import { makeVec, type VectorizationMode } from '../src/vector/make-vec.js';
import { AUTORESET_MODE, type VectorEnv, type VectorStepBuffers } from '../src/vector/vector-env.js';

/** What MAKE asks for. */
export interface HostRequest {
  id: string;
  kwargs: Kwargs;
  numEnvs: number;
  /** false: one env that the client resets itself; true: a vector env with same-step autoreset. */
  vector: boolean;
  vectorizationMode?: VectorizationMode;
  /** Overrides the spec's step limit; 0 removes it. */
  maxEpisodeSteps?: number;
}

/** What a step produced beyond the buffers. */
export interface HostStep {
  infos: readonly Info[];
  /** Last infos of the episodes that ended (null elsewhere); null when none did. */
  finalInfos: readonly (Info | null)[] | null;
}

/** One env or a vector of them, stepped with flat float64 actions. */
export interface HostedEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionWidth: number;
  /** Entries of one sub-env's action mask: n for Discrete(n), Σ nvec for MultiDiscrete, else 0. */
  readonly maskLength: number;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  readonly spec: EnvSpec | null;
  readonly autoresetMode: typeof AUTORESET_MODE | 'disabled';
  readonly renderModes: readonly string[];
  reset(seeds: readonly (Seed | undefined)[], options: Record<string, unknown> | undefined, observations: Float32Array): readonly Info[];
  step(actions: Float64Array, buffers: VectorStepBuffers): HostStep;
  close(): void;
}

/** Builds what MAKE asked for. */
export function hostEnv(request: HostRequest): HostedEnv {
  const makeOptions = request.maxEpisodeSteps === undefined ? undefined : { maxEpisodeSteps: request.maxEpisodeSteps };
  if (!request.vector) {
    if (request.numEnvs !== 1) throw new RangeError(`MAKE: a single env (vector false) has numEnvs 1, got ${request.numEnvs}`);
    return new SingleHost(make(request.id, request.kwargs, makeOptions));
  }
  return new VectorHost(makeVec(request.id, { numEnvs: request.numEnvs, kwargs: request.kwargs, vectorizationMode: request.vectorizationMode, makeOptions }));
}

/** Mask entries per sub-env for an action space, as `info.actionMask` lays them out. */
export function maskLengthOf(space: Space<unknown>): number {
  if (space instanceof Discrete) return space.n;
  if (space instanceof MultiDiscrete) return Array.from(space.nvec).reduce((a, b) => a + b, 0);
  return 0;
}

class SingleHost implements HostedEnv {
  readonly numEnvs = 1;
  readonly obsDim: number;
  readonly actionWidth: number;
  readonly maskLength: number;
  readonly autoresetMode = 'disabled' as const;
  private readonly infos: Info[] = [{}];

  constructor(private readonly env: Env<unknown, unknown>) {
    this.obsDim = env.observationSpace.flatDim;
    this.actionWidth = actionWidth(env.actionSpace);
    this.maskLength = maskLengthOf(env.actionSpace);
  }

  get observationSpace(): Space<unknown> {
    return this.env.observationSpace;
  }

  get actionSpace(): Space<unknown> {
    return this.env.actionSpace;
  }

  get spec(): EnvSpec | null {
    return this.env.spec;
  }

  get renderModes(): readonly string[] {
    return this.env.metadata.renderModes;
  }

  reset(seeds: readonly (Seed | undefined)[], options: Record<string, unknown> | undefined, observations: Float32Array): readonly Info[] {
    const r = this.env.reset({ seed: seeds[0], options });
    this.env.observationSpace.flattenInto(r.observation, observations, 0);
    this.infos[0] = r.info;
    return this.infos;
  }

  step(actions: Float64Array, buffers: VectorStepBuffers): HostStep {
    const r = this.env.step(decodeAction(this.env.actionSpace, actions, 0, this.actionWidth));
    buffers.rewards[0] = r.reward;
    buffers.terminations[0] = r.terminated ? 1 : 0;
    buffers.truncations[0] = r.truncated ? 1 : 0;
    this.env.observationSpace.flattenInto(r.observation, buffers.observations, 0);
    this.infos[0] = r.info;
    return { infos: this.infos, finalInfos: null };
  }

  close(): void {
    this.env.close();
  }
}

class VectorHost implements HostedEnv {
  readonly maskLength: number;
  readonly autoresetMode = AUTORESET_MODE;

  constructor(private readonly env: VectorEnv) {
    this.maskLength = maskLengthOf(env.singleActionSpace);
  }

  get numEnvs(): number {
    return this.env.numEnvs;
  }

  get obsDim(): number {
    return this.env.obsDim;
  }

  get actionWidth(): number {
    return this.env.actionWidth;
  }

  get observationSpace(): Space<unknown> {
    return this.env.singleObservationSpace;
  }

  get actionSpace(): Space<unknown> {
    return this.env.singleActionSpace;
  }

  get spec(): EnvSpec | null {
    return this.env.spec;
  }

  get renderModes(): readonly string[] {
    return [];
  }

  reset(seeds: readonly (Seed | undefined)[], options: Record<string, unknown> | undefined, observations: Float32Array): readonly Info[] {
    const r = this.env.reset({ seed: seeds, options });
    observations.set(r.observations);
    return r.infos;
  }

  step(actions: Float64Array, buffers: VectorStepBuffers): HostStep {
    const r = this.env.step(actions, buffers);
    return { infos: r.infos, finalInfos: r.finalInfos };
  }

  close(): void {
    this.env.close();
  }
}
