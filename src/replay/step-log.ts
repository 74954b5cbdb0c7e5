// ReplayLogger: writes an agent's steps as Arrow record batches, one row per step plus one row per
// finished episode holding its final observation. Rows go straight into typed-array columns.

import type { Info } from '../env.js';
import { Discrete } from '../spaces/discrete.js';
import type { Space } from '../spaces/space.js';
import { BatchLog, type BatchOptions, batchCapacity, rowBytes } from './batch-log.js';
import { BoolColumn, BoolListColumn, type ColumnBuffer, EncodedColumn, Float32ListColumn, Int64Column, NumberColumn, setBits, setInt64 } from './columns.js';
import { readStepLog } from './reader.js';
import { encodeSpace, PACKAGE_VERSION, type StepLogSpec, spaceWidth, stepFields, stepMetadata } from './schema.js';

/** Segment files of a step log are named `steps-00000.arrows`, `steps-00001.arrows`, … */
export const STEP_LOG_PREFIX = 'steps';

/** What a step log records about its source, and how it batches. */
export interface ReplayLoggerOptions extends BatchOptions {
  envId: string;
  observationSpace: Space<unknown>;
  actionSpace: Space<unknown>;
  kwargs?: Record<string, unknown>;
  seed?: number | null;
  /** The agent or policy choosing the actions (default 'unknown'). */
  writer?: string;
  numEnvs?: number;
  /** Length of `info.actionMask` when the env gives one (default 0: no `masks` column). */
  maskSize?: number;
  /** Info keys with numeric values, each logged as an `info.<key>` column. */
  infoKeys?: readonly string[];
  /** Add `logprobs` and `values` columns (an agent's rollout fills them). */
  policyOutputs?: boolean;
}

/**
 * Row layout: row t of an episode holds the observation s_t, the action a_t chosen from it, the
 * reward, termination and truncation that followed, and the info returned with s_t (so its
 * action mask is the one a_t obeyed). After an episode's last step comes one more row with
 * `step` = T and the final observation s_T, its info, and null action, reward and flags: s′ of
 * row t is the observation of the next row of the same `episode_id`, as in Minari.
 */
export class ReplayLogger {
  readonly dir: string;
  readonly spec: StepLogSpec;
  private readonly log: BatchLog;
  private readonly episodeId: Int64Column;
  private readonly step: NumberColumn;
  private readonly observations: Float32ListColumn;
  /** Discrete actions go straight into int64 words; other kinds are encoded at flush. */
  private readonly actions: EncodedColumn | null;
  private readonly discreteActions: Int64Column | null;
  private readonly rewards: NumberColumn;
  private readonly terminations: BoolColumn;
  private readonly truncations: BoolColumn;
  private readonly seed: Int64Column;
  private readonly logprobs: NumberColumn | null;
  private readonly values: NumberColumn | null;
  private readonly masks: BoolListColumn | null;
  private readonly infos: NumberColumn[];
  /** Validity shared by every column that is null exactly on final rows. */
  private readonly stepValid: Uint8Array;
  private readonly obsDim: number;
  private readonly actionWidth: number;
  private nextEpisode: number;

  constructor(dir: string, options: ReplayLoggerOptions) {
    const width = spaceWidth(options.actionSpace);
    if (width === null) throw new TypeError(`ReplayLogger: actions must be Discrete, MultiDiscrete, MultiBinary or Box, got ${String(options.actionSpace)}`);
    this.spec = {
      envId: options.envId,
      kwargs: options.kwargs ?? {},
      observationSpace: options.observationSpace,
      actionSpace: options.actionSpace,
      seed: options.seed ?? null,
      writer: options.writer ?? 'unknown',
      numEnvs: options.numEnvs ?? 1,
      maskSize: options.maskSize ?? 0,
      infoKeys: [...(options.infoKeys ?? [])],
      policyOutputs: options.policyOutputs ?? false,
      startTime: new Date().toISOString(),
      version: PACKAGE_VERSION,
    };
    this.nextEpisode = options.append === true ? nextEpisodeId(dir, this.spec) : 0;
    const spec = this.spec;
    const cap = batchCapacity(rowBytes(stepFields(spec)), options);
    this.obsDim = spec.observationSpace.flatDim;
    this.actionWidth = width;
    this.stepValid = new Uint8Array(Math.ceil(cap / 8));
    const v = this.stepValid;
    this.episodeId = new Int64Column('episode_id', cap);
    this.step = new NumberColumn('step', 'int32', cap);
    this.observations = new Float32ListColumn('observations', this.obsDim, cap);
    const actionSpace = spec.actionSpace;
    this.discreteActions = actionSpace instanceof Discrete ? new Int64Column('actions', cap, true, v) : null;
    this.actions = actionSpace instanceof Discrete ? null : new EncodedColumn('actions', stepFields(spec)[3].type, width, cap, (values, length, nulls) => encodeSpace(actionSpace, values, length, nulls), v);
    this.rewards = new NumberColumn('rewards', 'float64', cap, true, v);
    this.terminations = new BoolColumn('terminations', cap, true, v);
    this.truncations = new BoolColumn('truncations', cap, true, v);
    this.seed = new Int64Column('seed', cap, true);
    this.logprobs = spec.policyOutputs ? new NumberColumn('logprobs', 'float32', cap, true) : null;
    this.values = spec.policyOutputs ? new NumberColumn('values', 'float32', cap, true) : null;
    this.masks = spec.maskSize > 0 ? new BoolListColumn('masks', spec.maskSize, cap, true) : null;
    this.infos = spec.infoKeys.map((k) => new NumberColumn(`info.${k}`, 'float64', cap, true));
    const columns: ColumnBuffer[] = [this.episodeId, this.step, this.observations, this.actions ?? this.discreteActions!, this.rewards, this.terminations, this.truncations, this.seed];
    if (this.logprobs !== null && this.values !== null) columns.push(this.logprobs, this.values);
    if (this.masks !== null) columns.push(this.masks);
    columns.push(...this.infos);
    this.log = new BatchLog(dir, STEP_LOG_PREFIX, columns, stepMetadata(spec), options);
    this.dir = this.log.segments.dir;
  }

  /** A fresh episode id, unique within the log (appended logs continue the numbering). */
  newEpisode(): number {
    return this.nextEpisode++;
  }

  /** Rows written so far, flushed or not. */
  get rows(): number {
    return this.log.flushedRows + this.log.rows;
  }

  /** Bytes on disk so far. */
  get bytes(): number {
    return this.log.segments.bytes;
  }

  /**
   * One step: observation `obs[obsOffset …]` (flat), action `actions[actionOffset …]` (or a
   * Discrete action as a number), and what followed. `seed` is written on step 0 only; NaN
   * log-probabilities and values are written as null.
   */
  addStep(
    episode: number, step: number, obs: ArrayLike<number>, obsOffset: number, actions: ArrayLike<number> | number, actionOffset: number,
    reward: number, terminated: boolean | number, truncated: boolean | number, info: Info | null, seed: number | null = null, logprob = NaN, value = NaN,
  ): void {
    const r = this.writeObservation(episode, step, obs, obsOffset, info);
    const w = this.actionWidth;
    if (this.discreteActions !== null) this.discreteActions.set(r, typeof actions === 'number' ? actions : actions[actionOffset]);
    else if (typeof actions === 'number') this.actions!.values[r] = actions;
    else for (let k = 0; k < w; k++) this.actions!.values[r * w + k] = actions[actionOffset + k];
    this.stepValid[r >> 3] |= 1 << (r & 7);
    this.rewards.values[r] = reward;
    this.terminations.set(r, terminated);
    this.truncations.set(r, truncated);
    if (step === 0 && seed !== null) {
      this.seed.set(r, seed);
      this.seed.setValid(r);
    }
    if (this.logprobs !== null && this.values !== null) {
      if (!Number.isNaN(logprob)) {
        this.logprobs.values[r] = logprob;
        this.logprobs.setValid(r);
      }
      if (!Number.isNaN(value)) {
        this.values.values[r] = value;
        this.values.setValid(r);
      }
    }
  }

  /**
   * One step of `count` sub-envs at once (a vector env's step): row i takes sub-env i's values
   * from each array (observations and actions row-major). Equivalent to `addStep` for i = 0 …
   * count−1, but the rows land in one batch and most columns are copied in bulk.
   */
  addSteps(
    count: number, episodes: Float64Array, steps: Int32Array, obs: Float32Array, actions: ArrayLike<number>, rewards: Float64Array,
    terminations: Uint8Array, truncations: Uint8Array, infos: readonly (Info | null | undefined)[], seeds: readonly (number | null)[], logprobs: Float64Array, values: Float64Array,
  ): void {
    if (count > this.log.capacity) {
      for (let i = 0; i < count; i++) {
        this.addStep(episodes[i], steps[i], obs, i * this.obsDim, actions, i * this.actionWidth, rewards[i], terminations[i], truncations[i], infos[i] ?? null, seeds[i], logprobs[i], values[i]);
      }
      return;
    }
    const r0 = this.log.claim(count);
    const d = this.obsDim;
    const w = this.actionWidth;
    this.observations.values.set(obs.subarray(0, count * d), r0 * d);
    const discrete = this.discreteActions;
    if (discrete !== null) {
      const words = discrete.words;
      for (let i = 0; i < count; i++) {
        const x = actions[i];
        if (x === (x | 0)) {
          words[2 * (r0 + i)] = x;
          words[2 * (r0 + i) + 1] = x < 0 ? -1 : 0;
        } else setInt64(words, r0 + i, x);
      }
    } else {
      const a = this.actions!.values;
      for (let k = 0; k < count * w; k++) a[r0 * w + k] = actions[k];
    }
    this.rewards.values.set(rewards.subarray(0, count), r0);
    setBits(this.stepValid, r0, count);
    // Locals, not fields, in the per-row loop: it runs once per sub-env per step.
    const ids = this.episodeId.words;
    const stepValues = this.step.values;
    const termBits = this.terminations.bits;
    const truncBits = this.truncations.bits;
    for (let i = 0; i < count; i++) {
      const r = r0 + i;
      const id = episodes[i];
      if (id === (id | 0)) {
        ids[2 * r] = id;
        ids[2 * r + 1] = 0;
      } else setInt64(ids, r, id);
      stepValues[r] = steps[i];
      if (terminations[i] !== 0) termBits[r >> 3] |= 1 << (r & 7);
      if (truncations[i] !== 0) truncBits[r >> 3] |= 1 << (r & 7);
      const seed = seeds[i];
      if (seed !== null && steps[i] === 0) {
        this.seed.set(r, seed);
        this.seed.setValid(r);
      }
    }
    if (this.logprobs !== null && this.values !== null) {
      for (let i = 0; i < count; i++) {
        if (!Number.isNaN(logprobs[i])) {
          this.logprobs.values[r0 + i] = logprobs[i];
          this.logprobs.setValid(r0 + i);
        }
        if (!Number.isNaN(values[i])) {
          this.values.values[r0 + i] = values[i];
          this.values.setValid(r0 + i);
        }
      }
    }
    if (this.masks !== null || this.infos.length > 0) for (let i = 0; i < count; i++) this.writeInfo(r0 + i, infos[i] ?? null);
  }

  /** The row after an episode's last step: its final observation and info (`step` = length). */
  addFinal(episode: number, step: number, obs: ArrayLike<number>, obsOffset: number, info: Info | null): void {
    this.writeObservation(episode, step, obs, obsOffset, info);
  }

  /** Writes the buffered rows to disk now (they are otherwise written a batch at a time). */
  flush(): void {
    this.log.flush();
  }

  /** Flushes and closes the log. Calling it twice is harmless. */
  close(): void {
    this.log.close();
  }

  private writeObservation(episode: number, step: number, obs: ArrayLike<number>, obsOffset: number, info: Info | null): number {
    const r = this.log.row();
    this.episodeId.set(r, episode);
    this.step.values[r] = step;
    const d = this.obsDim;
    const o = this.observations.values;
    for (let k = 0; k < d; k++) o[r * d + k] = obs[obsOffset + k];
    this.writeInfo(r, info);
    return r;
  }

  private writeInfo(r: number, info: Info | null): void {
    if (info !== null) {
      if (this.masks !== null) {
        const mask = info.actionMask;
        if (mask instanceof Uint8Array && mask.length === this.masks.width) {
          this.masks.set(r, mask);
          this.masks.setValid(r);
        }
      }
      for (let k = 0; k < this.infos.length; k++) {
        const x = info[this.spec.infoKeys[k]];
        if (typeof x === 'number' || typeof x === 'boolean') {
          this.infos[k].values[r] = Number(x);
          this.infos[k].setValid(r);
        }
      }
    }
  }
}

/** Numeric top-level keys of the infos an env gave, the `infoKeys` a logger can take. */
export function numericInfoKeys(...infos: readonly (Info | null | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const info of infos) {
    if (info === null || info === undefined) continue;
    for (const [k, v] of Object.entries(info)) if (typeof v === 'number' || typeof v === 'boolean') keys.add(k);
  }
  return [...keys];
}

/** Length of the action mask in an info (0 when it has none). */
export function maskSizeOf(info: Info | null | undefined): number {
  const mask = info?.actionMask;
  return mask instanceof Uint8Array ? mask.length : 0;
}

/** For appending: checks the log already in `dir` matches `spec` and returns the next episode id. */
function nextEpisodeId(dir: string, spec: StepLogSpec): number {
  const existing = readStepLog(dir, { envId: spec.envId, allowEmpty: true });
  const old = existing.spec;
  if (old !== null) {
    const same = (a: Space<unknown>, b: Space<unknown>): boolean => a.equals(b);
    if (!same(old.observationSpace, spec.observationSpace) || !same(old.actionSpace, spec.actionSpace) || old.maskSize !== spec.maskSize || old.policyOutputs !== spec.policyOutputs || JSON.stringify(old.infoKeys) !== JSON.stringify(spec.infoKeys)) {
      throw new TypeError(`cannot append to ${existing.files.files[0]}: its columns (${String(old.observationSpace)}, ${String(old.actionSpace)}, info ${JSON.stringify(old.infoKeys)}) differ from this run's (${String(spec.observationSpace)}, ${String(spec.actionSpace)}, info ${JSON.stringify(spec.infoKeys)})`);
    }
  }
  return existing.maxEpisodeId() + 1;
}
