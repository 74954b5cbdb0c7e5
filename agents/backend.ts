// Tensor backend selection, once, at the start of a run: tfjs-node-gpu ▸ tfjs-node ▸ wasm ▸ cpu,
// whichever is installed and loads, with a log line for what was chosen and why others were not.

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** What `--backend` accepts. */
export type BackendRequest = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** A backend that can actually run: every request but `auto`. */
export type BackendName = Exclude<BackendRequest, 'auto'>;

export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/**
 * The order `auto` tries. The two TensorFlow (C++) backends come first: they run the same graph
 * natively, one on a CUDA GPU. wasm comes before cpu because on the PPO update (small matmuls,
 * batch 128) XNNPACK's SIMD kernels make it about 4× faster than tfjs's pure-JS cpu kernels here
 * (see `edgegym bench --only train`); threaded wasm cannot start in Node (its workers are blob
 * URLs), so wasm means single-threaded SIMD.
 */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** How each backend is installed, for errors a user can act on. */
const INSTALL: Readonly<Record<BackendName, string>> = {
  'tensorflow-gpu': 'npm install @tensorflow/tfjs-node-gpu   (needs a CUDA GPU with CUDA and cuDNN libraries on the library path)',
  tensorflow: 'npm install @tensorflow/tfjs-node',
  wasm: 'npm install @tensorflow/tfjs-backend-wasm',
  cpu: 'npm install @tensorflow/tfjs',
};

/** The tfjs backend name each choice registers. */
const TF_NAME: Readonly<Record<BackendName, string>> = { 'tensorflow-gpu': 'tensorflow', tensorflow: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

/**
 * Loads a backend's package and makes its tfjs backend available. Injected in tests, so the
 * fallback logic can be checked on a machine without tfjs-node.
 */
export type BackendLoader = (name: BackendName) => Promise<void>;

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /** Receives one line per backend tried; default: nothing is printed. */
  log?: (line: string) => void;
  /** Default: `loadBackendPackage`. */
  loader?: BackendLoader;
  /** Makes the loaded backend current; default `tf.setBackend`. Injected in tests. */
  activate?: (tfName: string) => Promise<boolean>;
}

/** What `selectBackend` chose. */
export interface BackendSelection {
  requested: BackendRequest;
  name: BackendName;
  /** The name tfjs knows it by (`tf.getBackend()`). */
  tfBackend: string;
  /** Backends tried before this one, with why each was skipped. */
  skipped: { name: BackendName; reason: string }[];
}

/** Thrown when a forced backend cannot load; the message says how to install it. */
export class BackendUnavailableError extends Error {
  readonly backend: BackendName;
  constructor(backend: BackendName, reason: string) {
    super(`backend '${backend}' could not be loaded: ${reason}\n  install it with: ${INSTALL[backend]}\n  or choose another with --backend auto|tensorflow-gpu|tensorflow|wasm|cpu`);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
  }
}

/** Throws unless `value` is one of BACKEND_REQUESTS. */
export function checkBackendRequest(value: unknown): asserts value is BackendRequest {
  if (!BACKEND_REQUESTS.includes(value as BackendRequest)) {
    throw new RangeError(`unknown backend ${JSON.stringify(value)}; expected one of ${BACKEND_REQUESTS.join(', ')}`);
  }
}

/**
 * Loads and activates a tensor backend. `auto` tries AUTO_ORDER and keeps the first that loads,
 * logging each one skipped and why; a named backend that cannot load throws
 * BackendUnavailableError. Call once, before any tensor is made.
 */
export async function selectBackend(requested: BackendRequest = 'auto', options: SelectBackendOptions = {}): Promise<BackendSelection> {
  checkBackendRequest(requested);
  const log = options.log ?? ((): void => {});
  const loader = options.loader ?? loadBackendPackage;
  const activate = options.activate ?? ((name: string): Promise<boolean> => tf.setBackend(name));
  const candidates = requested === 'auto' ? AUTO_ORDER : [requested];
  const skipped: BackendSelection['skipped'] = [];
  for (const name of candidates) {
    let reason: string;
    try {
      await loader(name);
      if (await activate(TF_NAME[name])) {
        log(backendNote(name, requested, skipped));
        return { requested, name, tfBackend: TF_NAME[name], skipped };
      }
      reason = `tfjs could not initialise the '${TF_NAME[name]}' backend`;
    } catch (err) {
      reason = firstLine(err);
    }
    if (requested !== 'auto') throw new BackendUnavailableError(name, reason);
    skipped.push({ name, reason });
  }
  throw new Error(`no tensor backend could be loaded:\n${skipped.map((s) => `  ${s.name}: ${s.reason}`).join('\n')}`);
}

/** The real loader: imports the optional package (registering its backend) or sets wasm paths. */
export async function loadBackendPackage(name: BackendName): Promise<void> {
  switch (name) {
    case 'tensorflow-gpu':
      await importOptional('@tensorflow/tfjs-node-gpu');
      return;
    case 'tensorflow':
      await importOptional('@tensorflow/tfjs-node');
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // The .wasm binaries ship in the package's dist/; point tfjs there so nothing is fetched.
      // setWasmPaths throws once the backend has initialised, which is fine: paths are then set.
      if (tf.findBackend('wasm') === null) wasm.setWasmPaths(wasmDirectory());
      return;
    }
    case 'cpu':
      return; // tfjs ships its cpu backend
  }
}

/** The folder holding tfjs-backend-wasm's .wasm files, with a trailing separator as tfjs wants. */
export function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
}

/**
 * Imports a package that may not be installed. Held in a variable so TypeScript does not look
 * for the optional package's types at build time.
 */
async function importOptional(specifier: string): Promise<void> {
  const load = (s: string): Promise<unknown> => import(s);
  await load(specifier);
}

/**
 * The one line a run prints about its backend: which it took and, for `auto`, why it passed over
 * the faster ones ("not installed" for a missing optional package, else the error's first line),
 * with no absolute paths (they say nothing to a user and differ between machines).
 */
export function backendNote(name: BackendName, requested: BackendRequest, skipped: BackendSelection['skipped']): string {
  if (skipped.length === 0) return `backend: ${name}${requested === 'auto' ? ' (auto)' : ''}`;
  const missing = skipped.filter((s) => /Cannot find (package|module)/.test(s.reason)).map((s) => s.name);
  const failed = skipped.filter((s) => !missing.includes(s.name)).map((s) => `${s.name} failed: ${withoutPaths(s.reason)}`);
  const why = [...(missing.length === 0 ? [] : [`${missing.join(' and ')} not installed`]), ...failed];
  return `backend: ${name} (auto; ${why.join('; ')})`;
}

/** `reason` with each absolute path cut to its last component. */
function withoutPaths(reason: string): string {
  return reason.replace(/(?:file:\/\/)?\/(?:[^\s'"/]+\/)+([^\s'"/]*)/g, '$1');
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0].trim() || 'unknown error';
}
