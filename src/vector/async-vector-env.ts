// AsyncVectorEnv: sub-envs stepped in parallel on worker threads. Actions and results live in
// shared memory; each worker owns a contiguous slice of sub-envs and is woken with Atomics, so
// `step` stays synchronous and costs one wake-up per worker, not one message per sub-env.

import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { Info } from '../env.js';
import { type Kwargs, type MakeOptions, make, spec as specOf } from '../registry.js';
import {
  SPIN_LIMIT, CMD_CLOSE, CMD_RESET, CMD_STEP, COMMAND, CONTROL_WORDS, REQUEST, RESPONSE, STATUS, STATUS_ERROR, STATUS_REPLY,
  type ResetRequest, type WorkerData, type WorkerFailure, type WorkerReply,
} from './async-protocol.js';
import type { SubEnvSetup } from './setup.js';
import { type VectorResetArgs, type VectorResetResult, type VectorStepBuffers, type VectorStepResult, VectorEnv } from './vector-env.js';

/** How to build an AsyncVectorEnv. */
export interface AsyncVectorEnvOptions {
  /** Registered env id; each worker builds its sub-envs with `make(id, kwargs, makeOptions)`. */
  id: string;
  numEnvs: number;
  kwargs?: Kwargs;
  makeOptions?: MakeOptions;
  /**
   * Worker threads (default: one fewer than the cores, at least 1, at most numEnvs). Both sides
   * spin briefly while waiting, so more threads than cores slows every step down.
   */
  numWorkers?: number;
  /** Extra modules each worker imports before `make` (besides the spec's own `module`). */
  modules?: string[];
  /** How long to wait for a worker's answer before giving up (default 10 minutes). */
  timeoutMs?: number;
  /** Runs in each worker on its slice of sub-envs once built (its `module` export; `fn` is not used here). */
  setup?: Omit<SubEnvSetup, 'fn'>;
}

interface WorkerHandle {
  worker: Worker;
  port: MessagePort;
  control: Int32Array;
  first: number;
  count: number;
  expected: number;
}

export class AsyncVectorEnv extends VectorEnv {
  readonly numWorkers: number;
  private readonly handles: WorkerHandle[] = [];
  private readonly timeoutMs: number;
  private readonly shared: {
    actions: Float64Array;
    observations: Float32Array;
    finalObservations: Float32Array;
    rewards: Float64Array;
    terminations: Uint8Array;
    truncations: Uint8Array;
  };
  private pending = false;
  private closed = false;

  constructor(options: AsyncVectorEnvOptions) {
    const s = specOf(options.id);
    // One env in this thread tells us the spaces (and fails fast on bad kwargs).
    const probe = make(options.id, options.kwargs ?? {}, options.makeOptions ?? {});
    probe.close();
    super(options.numEnvs, probe.observationSpace, probe.actionSpace);
    this.spec = probe.spec;
    const modules = [...(s.module === null ? [] : [s.module]), ...(options.modules ?? [])];
    if (modules.length === 0) {
      throw new Error(`AsyncVectorEnv: env ${options.id} was registered without \`module\`, so worker threads cannot build it; register it with \`module: import.meta.url\`, pass \`modules\`, or use SyncVectorEnv`);
    }
    this.numWorkers = Math.min(this.numEnvs, options.numWorkers ?? Math.max(1, availableParallelism() - 1));
    if (!Number.isInteger(this.numWorkers) || this.numWorkers < 1) throw new RangeError(`AsyncVectorEnv: numWorkers must be a positive integer, got ${options.numWorkers}`);
    this.timeoutMs = options.timeoutMs ?? 600_000;

    const n = this.numEnvs;
    const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);
    const raw = {
      actions: sab(8 * n * this.actionWidth),
      observations: sab(4 * n * this.obsDim),
      finalObservations: sab(4 * n * this.obsDim),
      rewards: sab(8 * n),
      terminations: sab(n),
      truncations: sab(n),
    };
    this.shared = {
      actions: new Float64Array(raw.actions),
      observations: new Float32Array(raw.observations),
      finalObservations: new Float32Array(raw.finalObservations),
      rewards: new Float64Array(raw.rewards),
      terminations: new Uint8Array(raw.terminations),
      truncations: new Uint8Array(raw.truncations),
    };

    let first = 0;
    for (let w = 0; w < this.numWorkers; w++) {
      const count = Math.floor(n / this.numWorkers) + (w < n % this.numWorkers ? 1 : 0);
      const channel = new MessageChannel();
      const control = sab(4 * CONTROL_WORDS);
      const data: WorkerData & { port: MessagePort } = {
        id: options.id, kwargs: options.kwargs ?? {}, makeOptions: options.makeOptions ?? {}, modules,
        worker: w, first, count, actionWidth: this.actionWidth, control, ...raw, port: channel.port2,
        setup: options.setup === undefined ? null : { module: options.setup.module, name: options.setup.name, options: options.setup.options },
      };
      const worker = new Worker(new URL('./async-worker.js', import.meta.url), { workerData: data, transferList: [channel.port2] });
      worker.unref(); // a forgotten close() must not keep the process alive
      this.handles.push({ worker, port: channel.port1, control: new Int32Array(control), first, count, expected: 1 });
      first += count;
    }
    try {
      for (const h of this.handles) this.wait(h, 'start');
    } catch (err) {
      this.terminate();
      throw err;
    }
  }

  reset(args: VectorResetArgs = {}): VectorResetResult {
    this.checkOpen('reset');
    if (this.pending) this.stepWait();
    const seeds = this.seedsFor(args.seed);
    for (const h of this.handles) {
      const request: ResetRequest = { seeds: seeds.slice(h.first, h.first + h.count), options: args.options };
      h.port.postMessage(request);
      this.send(h, CMD_RESET);
    }
    const infos = this.collect('reset').infos;
    return { observations: this.shared.observations.slice(), infos };
  }

  step(actions: ArrayLike<number>, out?: VectorStepBuffers): VectorStepResult {
    this.stepAsync(actions);
    return this.stepWait(out);
  }

  /** Starts a step on every worker and returns at once; `stepWait` collects the results. */
  stepAsync(actions: ArrayLike<number>): void {
    this.checkOpen('step');
    if (this.pending) throw new Error('AsyncVectorEnv.stepAsync: the previous step has not been collected; call stepWait() first');
    this.checkActions(actions);
    this.shared.actions.set(actions);
    for (const h of this.handles) this.send(h, CMD_STEP);
    this.pending = true;
  }

  /** Waits for the step started by `stepAsync` and returns its results (in `out` if given). */
  stepWait(out?: VectorStepBuffers): VectorStepResult {
    if (!this.pending) throw new Error('AsyncVectorEnv.stepWait: no step in flight; call stepAsync(actions) first');
    if (out !== undefined) this.checkStepBuffers(out);
    this.pending = false;
    const { infos, finalInfos } = this.collect('step');
    const shared = this.shared;
    const result = out ?? this.createStepBuffers();
    result.observations.set(shared.observations);
    result.rewards.set(shared.rewards);
    result.terminations.set(shared.terminations);
    result.truncations.set(shared.truncations);
    let finished = false;
    for (let i = 0; i < this.numEnvs; i++) {
      if (shared.terminations[i] === 1 || shared.truncations[i] === 1) {
        // Only finished rows are copied: the shared buffer still holds older episodes' rows.
        const row = shared.finalObservations.subarray(i * this.obsDim, (i + 1) * this.obsDim);
        result.finalObservations.set(row, i * this.obsDim);
        finished = true;
      }
    }
    return {
      observations: result.observations,
      rewards: result.rewards,
      terminations: result.terminations,
      truncations: result.truncations,
      infos,
      finalObservations: finished ? result.finalObservations : null,
      finalInfos: finished ? finalInfos : null,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.pending) this.stepWait();
      for (const h of this.handles) this.send(h, CMD_CLOSE);
      for (const h of this.handles) this.wait(h, 'close');
    } finally {
      this.terminate();
    }
  }

  private terminate(): void {
    for (const h of this.handles) {
      h.port.close();
      void h.worker.terminate();
    }
  }

  private checkOpen(call: string): void {
    if (this.closed) throw new Error(`AsyncVectorEnv.${call}: the env is closed`);
  }

  private send(h: WorkerHandle, command: number): void {
    h.control[COMMAND] = command;
    h.expected += 1;
    Atomics.add(h.control, REQUEST, 1);
    Atomics.notify(h.control, REQUEST);
  }

  /** Blocks until worker `h` has answered its last command; throws what the worker threw. */
  private wait(h: WorkerHandle, what: string): void {
    for (let spin = 0; spin < SPIN_LIMIT && Atomics.load(h.control, RESPONSE) !== h.expected; spin++);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const done = Atomics.load(h.control, RESPONSE);
      if (done === h.expected) break;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`AsyncVectorEnv: worker for sub-envs ${h.first}–${h.first + h.count - 1} did not answer ${what} within ${this.timeoutMs} ms`);
      Atomics.wait(h.control, RESPONSE, done, left);
    }
    if (h.control[STATUS] === STATUS_ERROR) {
      const failure = receiveMessageOnPort(h.port)?.message as WorkerFailure | undefined;
      const err = new Error(`AsyncVectorEnv ${what} failed in the worker for sub-envs ${h.first}–${h.first + h.count - 1}: ${failure?.error ?? 'unknown error'}`);
      if (failure?.stack !== undefined) err.stack = `${err.message}\n--- worker stack ---\n${failure.stack}`;
      throw err;
    }
  }

  /** Waits for every worker and gathers the infos they sent (empty objects where they sent none). */
  private collect(what: string): { infos: Info[]; finalInfos: (Info | null)[] } {
    const infos: Info[] = new Array<Info>(this.numEnvs);
    const finalInfos: (Info | null)[] = new Array<Info | null>(this.numEnvs).fill(null);
    let failure: unknown = null;
    for (const h of this.handles) {
      try {
        this.wait(h, what);
      } catch (err) {
        failure ??= err; // keep waiting for the others so no answer is left unread
        continue;
      }
      const reply = h.control[STATUS] === STATUS_REPLY ? (receiveMessageOnPort(h.port)?.message as WorkerReply | undefined) : undefined;
      for (let k = 0; k < h.count; k++) {
        infos[h.first + k] = reply?.infos[k] ?? {};
        const fin = reply?.finalInfos?.[k] ?? null;
        const i = h.first + k;
        finalInfos[i] = fin ?? (this.shared.terminations[i] === 1 || this.shared.truncations[i] === 1 ? {} : null);
      }
    }
    if (failure !== null) throw failure;
    return { infos, finalInfos };
  }
}
