// SyncVectorEnv: N env objects stepped one after another in this thread. The reference
// implementation of the vector contract; AsyncVectorEnv must agree with it bit for bit.

import type { Env } from '../env.js';
import { resetSlice, stepSlice } from './autoreset.js';
import { runSetup, type SubEnvResource, type SubEnvSetupFn } from './setup.js';
import { type VectorResetArgs, type VectorResetResult, type VectorStepBuffers, type VectorStepResult, VectorEnv } from './vector-env.js';

export class SyncVectorEnv extends VectorEnv {
  readonly envs: readonly Env<unknown, unknown>[];
  private readonly resource: SubEnvResource | null;
  private closed = false;

  /**
   * @param envFns one factory per sub-env; all must give the same observation and action spaces
   * @param setup runs once on the sub-envs when they are built; what it returns is closed after them
   */
  constructor(envFns: readonly (() => Env<unknown, unknown>)[], setup?: { fn: SubEnvSetupFn; options?: unknown }) {
    if (envFns.length === 0) throw new RangeError('SyncVectorEnv: needs at least one env factory');
    const envs = envFns.map((fn) => fn());
    super(envs.length, envs[0].observationSpace, envs[0].actionSpace);
    envs.forEach((env, i) => {
      if (!env.observationSpace.equals(this.singleObservationSpace)) {
        throw new TypeError(`SyncVectorEnv: sub-env ${i} observes ${env.observationSpace}, sub-env 0 observes ${this.singleObservationSpace}`);
      }
      if (!env.actionSpace.equals(this.singleActionSpace)) {
        throw new TypeError(`SyncVectorEnv: sub-env ${i} acts in ${env.actionSpace}, sub-env 0 acts in ${this.singleActionSpace}`);
      }
    });
    this.envs = envs;
    this.spec = envs[0].spec;
    this.resource = setup === undefined ? null : runSetup(setup.fn, envs, { first: 0, worker: null, options: setup.options });
  }

  reset(args: VectorResetArgs = {}): VectorResetResult {
    const observations = new Float32Array(this.numEnvs * this.obsDim);
    const infos = resetSlice(this.envs, 0, this.seedsFor(args.seed), args.options, observations);
    return { observations, infos };
  }

  step(actions: ArrayLike<number>, out?: VectorStepBuffers): VectorStepResult {
    this.checkActions(actions);
    if (out !== undefined) this.checkStepBuffers(out);
    const buffers = out ?? this.createStepBuffers();
    const { infos, finalInfos, finished } = stepSlice(this.envs, 0, actions, this.actionWidth, buffers);
    return {
      observations: buffers.observations,
      rewards: buffers.rewards,
      terminations: buffers.terminations,
      truncations: buffers.truncations,
      infos,
      finalObservations: finished > 0 ? buffers.finalObservations : null,
      finalInfos: finished > 0 ? finalInfos : null,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      for (const env of this.envs) env.close();
    } finally {
      this.resource?.close();
    }
  }
}
