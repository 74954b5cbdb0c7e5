// The body of one benchmark worker thread: loads policies and plays their episodes when the pool
// says so, publishing every call into a policy in shared memory for the main thread's watchdog.

import { type MessagePort, workerData } from 'node:worker_threads';
import type { Env } from '../../src/env.js';
import { KwargError } from '../../src/kwargs.js';
import { make } from '../../src/registry.js';
import { LOADING, playPolicy, publishingWatch } from './episode.js';
import { type BenchmarkPolicy, loadBenchmarkPolicy, PolicyLoadError, PolicySpecError } from './policies.js';
import type { PoolCommand, PoolReply, WorkerData } from './pool.js';

const data = workerData as WorkerData & { port: MessagePort };
const port = data.port;
const watch = publishingWatch(new Int32Array(data.progress));
/** Policies loaded here and not played yet, by job. */
const held = new Map<number, { base: Env<unknown, unknown>; policy: BenchmarkPolicy }>();

function post(reply: PoolReply): void {
  port.postMessage(reply);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function load(spec: string): Promise<{ base: Env<unknown, unknown>; policy: BenchmarkPolicy }> {
  // Only the policy's own loading is timed: making the env is not its doing.
  const base = make(data.envId, data.kwargs);
  watch.enter(LOADING, 0, 0);
  try {
    return { base, policy: await loadBenchmarkPolicy(spec, base, data.envId, data.seed) };
  } catch (err) {
    base.close();
    throw err;
  } finally {
    watch.leave();
  }
}

async function handle(command: PoolCommand): Promise<void> {
  switch (command.type) {
    case 'load': {
      try {
        const loaded = await load(command.spec);
        held.set(command.job, loaded);
        post({ type: 'loaded', job: command.job, name: loaded.policy.name, baseline: loaded.policy.baseline, windows: loaded.base.metadata.windowMetrics ?? null });
      } catch (err) {
        const kwarg = err instanceof KwargError ? { owner: err.owner, key: err.key, expected: err.expected, found: err.found } : null;
        post({ type: 'load-failed', job: command.job, message: describe(err), kind: err instanceof PolicySpecError ? 'spec' : err instanceof PolicyLoadError ? 'load' : null, kwarg });
      }
      return;
    }
    case 'play': {
      const { job } = command;
      let loaded = held.get(job);
      held.delete(job);
      if (loaded === undefined) {
        // Loaded once already (by a thread that was busy, or stopped): this is a fresh instance.
        try {
          loaded = await load(command.spec);
        } catch (err) {
          post({ type: 'done', job, failure: { episode: 0, seed: data.seed, step: 0, message: `failed to load: ${describe(err)}` } });
          return;
        }
      }
      const options = { envId: data.envId, kwargs: data.kwargs, seed: data.seed, seeds: data.seeds, windows: loaded.base.metadata.windowMetrics ?? null, replay: command.replay };
      const failure = await playPolicy(loaded.base, loaded.policy, options, watch, (outcome) => post({ type: 'episode', job, outcome }));
      post({ type: 'done', job, failure });
      return;
    }
    case 'close': {
      // Policies loaded here but played by another thread were never used: let them go quietly.
      for (const { base, policy } of held.values()) {
        try {
          await policy.close?.();
        } catch {
          // nothing was played with it, so nothing is lost
        }
        base.close();
      }
      held.clear();
      port.close();
    }
  }
}

// Commands queue behind the env modules' import and behind one another.
let queue: Promise<void> = (async () => {
  for (const module of data.modules) await import(module);
})();
port.on('message', (command: PoolCommand) => {
  queue = queue.then(() => handle(command)).catch((err: unknown) => post({ type: 'error', message: describe(err) }));
});
