// What AsyncVectorEnv and its workers share: the control words in shared memory and the data
// that crosses by message. Kept apart so both sides read one definition.

import type { Info } from '../env.js';
import type { Kwargs, MakeOptions } from '../registry.js';

/** Indices into a worker's Int32Array control block. */
export const REQUEST = 0; // bumped by the main thread for each command
export const RESPONSE = 1; // bumped by the worker when the command is done
export const COMMAND = 2;
export const STATUS = 3;
export const CONTROL_WORDS = 4;

/** Polls of a control word before falling back to Atomics.wait (about 20–50 µs of spinning). */
export const SPIN_LIMIT = 20_000;

export const CMD_RESET = 1;
export const CMD_STEP = 2;
export const CMD_CLOSE = 3;

/** STATUS values: done with nothing to read, done with a reply message, failed. */
export const STATUS_OK = 0;
export const STATUS_REPLY = 1;
export const STATUS_ERROR = 2;

/** Everything a worker needs to build its slice of sub-envs. */
export interface WorkerData {
  id: string;
  kwargs: Kwargs;
  makeOptions: MakeOptions;
  /** Modules to import first: they register the env. */
  modules: string[];
  /** This worker's number (0, 1, …) and its slice of sub-envs. */
  worker: number;
  first: number;
  count: number;
  /** A set-up to run on the slice once built (see SubEnvSetup), or null. */
  setup: { module: string; name: string; options: unknown } | null;
  actionWidth: number;
  control: SharedArrayBuffer;
  actions: SharedArrayBuffer;
  observations: SharedArrayBuffer;
  finalObservations: SharedArrayBuffer;
  rewards: SharedArrayBuffer;
  terminations: SharedArrayBuffer;
  truncations: SharedArrayBuffer;
}

/** Main → worker, before CMD_RESET. */
export interface ResetRequest {
  seeds: (number | undefined)[];
  options: Record<string, unknown> | undefined;
}

/** Worker → main, with STATUS_REPLY. */
export interface WorkerReply {
  infos: Info[];
  finalInfos: (Info | null)[] | null;
}

/** Worker → main, with STATUS_ERROR. */
export interface WorkerFailure {
  error: string;
  stack: string | undefined;
}
