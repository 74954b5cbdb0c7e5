// The actor-critic network's layout and plain-JS forward passes: separate actor and critic MLPs
// (CleanRL's default) or one shared body with two heads, all parameters in one flat vector. Saved
// policies act with it alone; ActorCritic (actor-critic.ts) adds the tfjs gradients for training.

import type { Rng } from '../src/rng.js';
import type { Space } from '../src/spaces/space.js';
import { type ActionDistribution, distributionFor } from './distributions.js';
import { type DenseLayer, ParameterLayout, denseStack, forwardJs, initialiseLayers, rolloutWeights, scratchSize } from './mlp.js';

/** How the networks are shaped. */
export interface NetworkConfig {
  /** Hidden layer widths (CleanRL: [64, 64]). */
  hidden: number[];
  /** One body for actor and critic (Atari-style) instead of two separate MLPs (PPO detail 13). */
  sharedNetwork: boolean;
}

export class PolicyNetwork {
  readonly obsDim: number;
  readonly config: NetworkConfig;
  readonly dist: ActionDistribution;
  /** All parameters. After writing them other than through `applyGradients`, call `paramsChanged()`. */
  readonly params: Float32Array;
  /** One body (shared) or two (actor's, critic's). */
  readonly bodies: readonly (readonly DenseLayer[])[];
  readonly actorHead: DenseLayer;
  readonly criticHead: DenseLayer;
  /** Every dense layer, in parameter order. */
  readonly layers: readonly DenseLayer[];
  /** Layers from observation to actor output, and to value. */
  readonly actorLayers: readonly DenseLayer[];
  readonly criticLayers: readonly DenseLayer[];
  protected readonly maxBatch: number;
  /** The float64, transposed copy of `params` that plain-JS forward passes read. */
  private readonly weights: Float64Array;
  private weightsStale = true;
  private readonly scratch: Float64Array;

  /**
   * @param maxBatch the largest batch a forward pass (or, in ActorCritic, a minibatch) will see
   * @param rng draws the orthogonal initial weights (PPO detail 2); null leaves them 0
   */
  constructor(obsDim: number, actionSpace: Space<unknown>, config: NetworkConfig, maxBatch: number, rng: Rng | null) {
    this.obsDim = obsDim;
    this.config = { hidden: [...config.hidden], sharedNetwork: config.sharedNetwork };
    this.dist = distributionFor(actionSpace);
    const layout = new ParameterLayout();
    const sizes = [obsDim, ...config.hidden];
    const last = sizes[sizes.length - 1];
    const actorBody = denseStack(layout, sizes, 'tanh', Math.SQRT2);
    const criticBody = config.sharedNetwork ? actorBody : denseStack(layout, sizes, 'tanh', Math.SQRT2);
    this.bodies = config.sharedNetwork ? [actorBody] : [actorBody, criticBody];
    // Small policy-head weights make the initial policy near uniform; the value head gets gain 1.
    this.actorHead = layout.dense(last, this.dist.outputs, 'linear', 0.01);
    this.criticHead = layout.dense(last, 1, 'linear', 1);
    this.dist.paramOffset = layout.take(this.dist.freeParams);
    this.layers = [...this.bodies.flat(), this.actorHead, this.criticHead];
    this.actorLayers = [...actorBody, this.actorHead];
    this.criticLayers = [...criticBody, this.criticHead];
    this.params = new Float32Array(layout.size);
    if (rng !== null) {
      initialiseLayers(this.params, this.layers, rng);
      this.dist.initialise(this.params);
    }
    this.maxBatch = maxBatch;
    this.weights = new Float64Array(layout.size);
    this.scratch = new Float64Array(Math.max(scratchSize(this.actorLayers, maxBatch), scratchSize(this.criticLayers, maxBatch)));
  }

  /**
   * The actor's outputs (logits or means) for `n` rows of `obs` into `out`, in plain JS.
   * (For a shared body the body runs twice per step, once per head: cheaper than keeping it.)
   */
  actorForward(obs: Float32Array, n: number, out: Float32Array): void {
    this.checkBatch(n);
    forwardJs(this.rolloutWeights(), this.actorLayers, obs, n, out, this.scratch);
  }

  /** V(s) for `n` rows of `obs` into `out`, in plain JS. */
  value(obs: Float32Array, n: number, out: Float32Array): void {
    this.checkBatch(n);
    forwardJs(this.rolloutWeights(), this.criticLayers, obs, n, out, this.scratch);
  }

  /** Tells the network its parameters were written, so the next JS forward pass re-reads them. */
  paramsChanged(): void {
    this.weightsStale = true;
  }

  private rolloutWeights(): Float64Array {
    if (this.weightsStale) {
      rolloutWeights(this.params, this.layers, this.weights);
      this.weightsStale = false;
    }
    return this.weights;
  }

  protected checkBatch(n: number): void {
    if (n > this.maxBatch) throw new RangeError(`${this.constructor.name}: batch of ${n} exceeds the ${this.maxBatch} it was sized for`);
  }
}
