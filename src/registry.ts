// The env registry: registration is data (id, entry point, limits), so a user's env joins it the
// same way the built-in ones do. The registry knows no env; envs register themselves.

import { Env } from './env.js';
import type { VectorEnv } from './vector/vector-env.js';
import { OrderEnforcing } from './wrappers/order-enforcing.js';
import { TimeLimit } from './wrappers/time-limit.js';
import { editDistance } from './edit-distance.js';

/** Keyword arguments of an env's constructor. Plain data, so specs can be sent to workers. */
export type Kwargs = Record<string, unknown>;

/** Builds one env from its kwargs. */
export type EnvCreator = (kwargs: Kwargs) => Env<unknown, unknown>;

/**
 * Builds a natively vectorised env of `numEnvs` copies (e.g. CartPole on flat arrays), which
 * applies the step limit itself (null: none) and follows the same-step autoreset rule.
 */
export type VectorEnvCreator = (numEnvs: number, kwargs: Kwargs, maxEpisodeSteps: number | null) => VectorEnv;

/** What `register` takes. */
export interface EnvRegistration {
  /** `[namespace/]name[-vN]`, e.g. `CartPole-v1`, `EdgeSched/Dispatch-v0`. */
  id: string;
  entryPoint: EnvCreator;
  /** Builds a vector of this env without one object per copy; used by `makeVec` by default. */
  vectorEntryPoint?: VectorEnvCreator;
  /** Episodes are truncated after this many steps (a TimeLimit wrapper). */
  maxEpisodeSteps?: number;
  /** The return at which the task counts as solved. */
  rewardThreshold?: number;
  /** True if the same seed may not give the same trajectory. */
  nondeterministic?: boolean;
  /** Wrap in OrderEnforcing (step before reset is an error). Default true. */
  orderEnforce?: boolean;
  /** Default kwargs, overridden by those given to `make`. */
  kwargs?: Kwargs;
  /**
   * URL of a module whose import registers this id (pass `import.meta.url` from the module that
   * calls `register`). Worker threads import it to build the env, so AsyncVectorEnv needs it.
   */
  module?: string;
}

/** A registered env. */
export interface EnvSpec extends Readonly<Required<Omit<EnvRegistration, 'vectorEntryPoint' | 'maxEpisodeSteps' | 'rewardThreshold' | 'module'>>> {
  readonly namespace: string | null;
  readonly name: string;
  readonly version: number | null;
  readonly vectorEntryPoint: VectorEnvCreator | null;
  readonly maxEpisodeSteps: number | null;
  readonly rewardThreshold: number | null;
  readonly module: string | null;
}

/** Options of `make` that are not env kwargs. */
export interface MakeOptions {
  /** Overrides the spec's step limit; 0 removes it. */
  maxEpisodeSteps?: number;
}

const ID_PATTERN = /^(?:([\w:.-]+)\/)?([\w:.-]+?)(?:-v(\d+))?$/;

const specs = new Map<string, EnvSpec>();

/** Every registered env, by id. */
export const registry: ReadonlyMap<string, EnvSpec> = specs;

/** Adds an env to the registry. Registering an id twice is an error. */
export function register(registration: EnvRegistration): EnvSpec {
  const { id } = registration;
  const parsed = typeof id === 'string' ? ID_PATTERN.exec(id) : null;
  if (parsed === null) throw new TypeError(`register: malformed env id ${JSON.stringify(id)}; expected "[namespace/]name[-vN]", e.g. "CartPole-v1"`);
  if (typeof registration.entryPoint !== 'function') throw new TypeError(`register(${id}): entryPoint must be a function (kwargs) => Env`);
  const max = registration.maxEpisodeSteps;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new RangeError(`register(${id}): maxEpisodeSteps must be a positive integer, got ${max}`);
  if (specs.has(id)) throw new Error(`register: env ${id} is already registered`);
  const spec: EnvSpec = Object.freeze({
    id,
    namespace: parsed[1] ?? null,
    name: parsed[2],
    version: parsed[3] === undefined ? null : Number(parsed[3]),
    entryPoint: registration.entryPoint,
    vectorEntryPoint: registration.vectorEntryPoint ?? null,
    maxEpisodeSteps: max ?? null,
    rewardThreshold: registration.rewardThreshold ?? null,
    nondeterministic: registration.nondeterministic ?? false,
    orderEnforce: registration.orderEnforce ?? true,
    kwargs: Object.freeze({ ...(registration.kwargs ?? {}) }),
    module: registration.module ?? null,
  });
  specs.set(id, spec);
  return spec;
}

/** Removes an env from the registry (for tests and for re-registering during development). */
export function unregister(id: string): boolean {
  return specs.delete(id);
}

/** An id no env is registered under; `suggestions` are the closest registered ids, best first. */
export class UnknownEnvError extends Error {
  override name = 'UnknownEnvError';

  constructor(
    readonly id: string,
    readonly suggestions: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** The spec registered under `id`; an unknown id throws an UnknownEnvError naming the closest ids. */
export function spec(id: string): EnvSpec {
  const found = specs.get(id);
  if (found !== undefined) return found;
  const close = closestIds(id, 3);
  const hint = close.length > 0 ? ` Did you mean ${close.map((c) => JSON.stringify(c)).join(', ')}?` : '';
  const known = specs.size === 0 ? ' No envs are registered: import "edgegym" (or the module that registers yours) first.' : '';
  throw new UnknownEnvError(id, close, `No env registered with id ${JSON.stringify(id)}.${hint}${known}`);
}

/**
 * Observation and action types of registered ids, so `make` returns a typed env. Env modules
 * extend it: `declare module 'edgegym' { interface EnvTypes { 'My-v0': { observation: …; action: … } } }`.
 */
export interface EnvTypes {}

/** The env type `make(id)` returns for an id listed in EnvTypes. */
export type EnvOf<K extends keyof EnvTypes> = EnvTypes[K] extends { observation: infer O; action: infer A } ? Env<O, A> : Env<unknown, unknown>;

/**
 * Builds the env registered as `id`: its entry point with the spec's kwargs overridden by
 * `kwargs`, wrapped in OrderEnforcing and (when the spec or `options` set a limit) TimeLimit.
 */
export function make<K extends keyof EnvTypes>(id: K, kwargs?: Kwargs, options?: MakeOptions): EnvOf<K>;
export function make(id: string, kwargs?: Kwargs, options?: MakeOptions): Env<unknown, unknown>;
export function make(id: string, kwargs: Kwargs = {}, options: MakeOptions = {}): Env<unknown, unknown> {
  const s = spec(id);
  const merged = { ...s.kwargs, ...kwargs };
  let env: Env<unknown, unknown> = s.entryPoint(merged);
  if (!(env instanceof Env)) throw new TypeError(`make(${id}): the entry point returned ${String(env)}, not an Env`);
  const maxEpisodeSteps = options.maxEpisodeSteps ?? s.maxEpisodeSteps ?? 0;
  env.spec = Object.freeze({ ...s, kwargs: Object.freeze(merged), maxEpisodeSteps: maxEpisodeSteps > 0 ? maxEpisodeSteps : null });
  if (s.orderEnforce) env = new OrderEnforcing(env);
  if (maxEpisodeSteps > 0) env = new TimeLimit(env, maxEpisodeSteps);
  return env;
}

/** Registered ids nearest to `id` by edit distance (case-insensitive), best first. */
function closestIds(id: string, count: number): string[] {
  const target = id.toLowerCase();
  const scored = [...specs.keys()].map((k) => ({ k, d: editDistance(target, k.toLowerCase()) }));
  const limit = Math.max(3, Math.ceil(id.length / 2));
  return scored.filter((s) => s.d <= limit).sort((a, b) => a.d - b.d || a.k.localeCompare(b.k)).slice(0, count).map((s) => s.k);
}
