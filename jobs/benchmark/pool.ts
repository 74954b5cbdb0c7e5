// The benchmark's worker threads: they load every policy first, then play them, one policy's
// episodes in order on one thread and different policies side by side; a watchdog stops a thread
// whose policy hangs in one call, records it and starts a fresh thread for the rest.

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { WindowMetrics } from '../../src/env.js';
import { KwargError } from '../../src/kwargs.js';
import type { Kwargs } from '../../src/registry.js';
import { CALLS, EPISODE, type EpisodeOutcome, type FailureOutcome, IDLE, PHASE, PROGRESS_WORDS, STEP, timeoutMessage } from './episode.js';
import { PolicyLoadError, PolicySpecError } from './policies.js';

/** What every thread of one benchmark shares. */
export interface WorkerData {
  envId: string;
  kwargs: Kwargs;
  /** Imported before anything is made: the env's registering module and any the caller adds. */
  modules: string[];
  seed: number;
  seeds: number;
  /** PROGRESS_WORDS Int32 slots the thread writes and the watchdog reads. */
  progress: SharedArrayBuffer;
}

/** From the pool to a thread. */
export type PoolCommand =
  | { type: 'load'; job: number; spec: string }
  | { type: 'play'; job: number; spec: string; replay: { dir: string; writer: string } | null }
  | { type: 'close' };

/** From a thread to the pool. */
export type PoolReply =
  | { type: 'loaded'; job: number; name: string; baseline: boolean; windows: WindowMetrics | null }
  | { type: 'load-failed'; job: number; message: string; kind: 'spec' | 'load' | null; kwarg: KwargFields | null }
  | { type: 'episode'; job: number; outcome: EpisodeOutcome }
  | { type: 'done'; job: number; failure: FailureOutcome | null }
  | { type: 'error'; message: string };

export interface PoolOptions extends Omit<WorkerData, 'progress'> {
  /** Threads at most (never more than there are policies). */
  workers: number;
  /** How long one call into a policy may run, ms; 0: as long as it takes. */
  stepTimeoutMs: number;
}

/** A KwargError's fields, to raise it again on this side. */
export type KwargFields = Pick<KwargError, 'owner' | 'key' | 'expected' | 'found'>;

/** A policy's name and kind, as its module or folder gives them, and what its env declares. */
export interface LoadedPolicy {
  name: string;
  baseline: boolean;
  windows: WindowMetrics | null;
}

export interface PlayedPolicy {
  episodes: EpisodeOutcome[];
  failure: FailureOutcome | null;
}

// Tests run from dist/, where the compiled worker sits beside this file.
const WORKER_URL = new URL('./episode-worker.js', import.meta.url);
/** How long a thread told to close may take to end on its own before it is terminated. */
const CLOSE_GRACE_MS = 5000;

interface Thread {
  worker: Worker;
  port: MessagePort;
  progress: Int32Array;
  /** Jobs this thread has loaded and not played (another thread may play them instead). */
  held: Set<number>;
  task: number | null;
  /** The watchdog's last look: the call count it saw and when it first saw it. */
  calls: number;
  since: number;
  gone: boolean;
}

interface Stage {
  kind: 'load' | 'play';
  pending: number[];
  left: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class EpisodePool {
  private readonly specs: readonly string[];
  private readonly options: PoolOptions;
  private readonly size: number;
  private threads: Thread[] = [];
  private stage: Stage | null = null;
  /** A stage was given up on: its threads may be mid-task, so they are ended at once. */
  private aborted = false;
  private readonly timer: NodeJS.Timeout | null;
  private loaded: LoadedPolicy[] = [];
  private played: PlayedPolicy[] = [];
  private requests: { replay: { dir: string; writer: string } | null }[] = [];
  private onEpisode: (job: number, outcome: EpisodeOutcome) => void = () => {};

  constructor(specs: readonly string[], options: PoolOptions) {
    this.specs = specs;
    this.options = options;
    this.size = Math.max(1, Math.min(options.workers, specs.length));
    const timeout = options.stepTimeoutMs;
    // A tick a fifth of the limit (within 5 ms … 200 ms): a hang is seen at most 40 % late.
    this.timer = timeout > 0 ? setInterval(() => this.tick(), Math.min(200, Math.max(5, timeout / 5))) : null;
    this.timer?.unref();
  }

  /** Loads every policy; rejects with the first that cannot be loaded (a PolicySpecError for the user's mistakes). */
  async load(): Promise<LoadedPolicy[]> {
    this.loaded = new Array<LoadedPolicy>(this.specs.length);
    await this.run('load');
    return this.loaded;
  }

  /** Plays every loaded policy, each with its step log target; results in spec order. */
  async play(requests: { replay: { dir: string; writer: string } | null }[], onEpisode: (job: number, outcome: EpisodeOutcome) => void): Promise<PlayedPolicy[]> {
    this.requests = requests;
    this.onEpisode = onEpisode;
    this.played = this.specs.map(() => ({ episodes: [], failure: null }));
    await this.run('play');
    return this.played;
  }

  /** Ends every thread: politely when the work is done, at once after a failure. */
  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    const aborted = this.aborted || this.stage !== null;
    this.stage = null;
    const threads = this.threads;
    this.threads = [];
    await Promise.all(
      threads.map(
        (t) =>
          new Promise<void>((resolve) => {
            t.gone = true;
            t.worker.once('exit', () => resolve());
            if (aborted) {
              void t.worker.terminate();
              return;
            }
            const grace = setTimeout(() => void t.worker.terminate(), CLOSE_GRACE_MS);
            t.worker.once('exit', () => clearTimeout(grace));
            t.port.postMessage({ type: 'close' } satisfies PoolCommand);
          }),
      ),
    );
    for (const t of threads) t.port.close();
  }

  private run(kind: Stage['kind']): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stage = { kind, pending: this.specs.map((_, job) => job), left: this.specs.length, resolve, reject };
      while (this.threads.length < this.size) this.spawn();
      for (const t of this.threads) this.dispatch(t);
    });
  }

  private spawn(): Thread {
    const progress = new Int32Array(new SharedArrayBuffer(4 * PROGRESS_WORDS));
    const { port1, port2 } = new MessageChannel();
    const { workers: _w, stepTimeoutMs: _s, ...shared } = this.options;
    const workerData: WorkerData & { port: MessagePort } = { ...shared, progress: progress.buffer as SharedArrayBuffer, port: port2 };
    const worker = new Worker(WORKER_URL, { workerData, transferList: [port2] });
    const t: Thread = { worker, port: port1, progress, held: new Set(), task: null, calls: -1, since: 0, gone: false };
    port1.on('message', (reply: PoolReply) => this.receive(t, reply));
    worker.on('error', (err) => this.lost(t, `stopped its worker thread: ${err.message}`));
    worker.on('exit', (code) => this.lost(t, `ended its worker thread (exit code ${code})`));
    this.threads.push(t);
    return t;
  }

  /** Gives an idle thread its next job: in the play stage one it has loaded if any is left, else the first. */
  private dispatch(t: Thread): void {
    const s = this.stage;
    if (s === null || t.gone || t.task !== null || s.pending.length === 0) return;
    let i = s.kind === 'play' ? s.pending.findIndex((job) => t.held.has(job)) : 0;
    if (i < 0) i = 0;
    const [job] = s.pending.splice(i, 1);
    for (const other of this.threads) if (other !== t) other.held.delete(job);
    t.task = job;
    t.calls = -1;
    const spec = this.specs[job];
    t.port.postMessage((s.kind === 'load' ? { type: 'load', job, spec } : { type: 'play', job, spec, replay: this.requests[job].replay }) satisfies PoolCommand);
  }

  private receive(t: Thread, reply: PoolReply): void {
    const s = this.stage;
    if (s === null || t.gone) return;
    switch (reply.type) {
      case 'loaded':
        this.loaded[reply.job] = { name: reply.name, baseline: reply.baseline, windows: reply.windows };
        t.held.add(reply.job);
        this.finish(t);
        return;
      case 'load-failed': {
        const k = reply.kwarg;
        this.fail(k !== null ? new KwargError(k.owner, k.key, k.expected, k.found, reply.message) : reply.kind === 'spec' ? new PolicySpecError(reply.message) : reply.kind === 'load' ? new PolicyLoadError(reply.message) : new Error(reply.message));
        return;
      }
      case 'episode':
        this.played[reply.job].episodes.push(reply.outcome);
        this.onEpisode(reply.job, reply.outcome);
        return;
      case 'done':
        this.played[reply.job].failure = reply.failure;
        this.finish(t);
        return;
      case 'error':
        this.fail(new Error(reply.message));
    }
  }

  private finish(t: Thread): void {
    const s = this.stage!;
    t.task = null;
    if (--s.left === 0) {
      this.stage = null;
      s.resolve();
    } else {
      this.dispatch(t);
    }
  }

  private fail(err: Error): void {
    const s = this.stage;
    if (s === null) return;
    this.stage = null;
    this.aborted = true;
    s.reject(err);
  }

  /** The watchdog: a thread inside one call (same count) for longer than the limit is stopped. */
  private tick(): void {
    const now = performance.now();
    for (const t of [...this.threads]) {
      if (t.gone || t.task === null) continue;
      const phase = Atomics.load(t.progress, PHASE);
      const calls = Atomics.load(t.progress, CALLS);
      if (phase === IDLE || calls !== t.calls) {
        t.calls = calls;
        t.since = now;
      } else if (now - t.since > this.options.stepTimeoutMs) {
        // What it posted before it hung (the episodes it finished) is taken in first.
        const job = t.task;
        for (let m = receiveMessageOnPort(t.port); m !== undefined && !t.gone; m = receiveMessageOnPort(t.port)) this.receive(t, m.message as PoolReply);
        if (t.task === job && Atomics.load(t.progress, CALLS) === calls) this.lost(t, timeoutMessage(phase, this.options.stepTimeoutMs), true);
      }
    }
  }

  /** A thread that hung or died: its job is recorded as failed there, and a fresh thread takes over. */
  private lost(t: Thread, message: string, hung = false): void {
    if (t.gone) return;
    t.gone = true;
    void t.worker.terminate();
    t.port.close();
    this.threads = this.threads.filter((x) => x !== t);
    const s = this.stage;
    if (s === null) return;
    const job = t.task;
    t.task = null;
    if (job !== null && s.kind === 'load') {
      // A module that hangs as it loads is a broken file, the user's to fix; a thread that dies is ours.
      const text = `policy ${this.specs[job]} ${message}`;
      return this.fail(hung ? new PolicyLoadError(text) : new Error(text));
    }
    if (job !== null) {
      const episode = Atomics.load(t.progress, EPISODE);
      this.played[job].failure = { episode, seed: this.options.seed + episode, step: Atomics.load(t.progress, STEP), message };
      if (--s.left === 0) {
        this.stage = null;
        s.resolve();
        return;
      }
    }
    if (s.pending.length > 0) this.dispatch(this.spawn());
  }
}
