// The one seeded random generator every env, space and simulator stream draws from.
// Built on seedrandom's xor4096 (Brent's xorgens: period 2^4096−1, ~115 M draws/s here).

import seedrandom from 'seedrandom';
import { randomInt } from 'node:crypto';

/** A non-negative integer seed, as Gymnasium accepts. */
export type Seed = number;

/** Largest seed accepted: seeds must be exact integers in a double. */
const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Throws a readable error unless `seed` is a non-negative safe integer. */
export function checkSeed(seed: unknown, where = 'seed'): asserts seed is Seed {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`${where} must be a non-negative integer, got ${String(seed)}`);
  }
}

/**
 * A fresh seed from the operating system's entropy, for generators the user did not seed
 * (as Gymnasium does when `reset()` is first called without a seed), never an unseeded global generator.
 */
export function entropySeed(): Seed {
  return randomInt(0, 2 ** 48 - 1);
}

/** A JSON-safe snapshot of a generator. */
export interface RngState {
  seed: Seed;
  stream: string;
  xor4096: seedrandom.State.Xor4096;
}

/**
 * Seeded generator. `new Rng(seed)` and `new Rng(seed, 'arrivals')` give independent streams,
 * so each source of randomness can have its own and changing one does not shift the others.
 */
export class Rng {
  /** The seed this generator started from. */
  readonly seed: Seed;
  /** The named stream within the seed ('' for the main stream). */
  readonly stream: string;
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Xor4096>;

  constructor(seed: Seed, stream = '') {
    checkSeed(seed);
    this.seed = seed;
    this.stream = stream;
    // A string key (seed and stream) is hashed by seedrandom into the full xor4096 state,
    // so nearby seeds and named streams start far apart.
    this.prng = seedrandom.xor4096(`${seed}/${stream}`, { state: true });
  }

  /** A generator from the OS's entropy: for when no seed was given. */
  static fromEntropy(stream = ''): Rng {
    return new Rng(entropySeed(), stream);
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.prng();
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.prng();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** Standard normal draw (Box–Muller; one draw per call so the state stays two uniforms). */
  normal(mean = 0, std = 1): number {
    const u1 = 1 - this.prng(); // (0, 1]: log stays finite
    const u2 = this.prng();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Exponential draw with the given mean (not rate). */
  exponential(mean = 1): number {
    return -mean * Math.log(1 - this.prng());
  }

  /** A 32-bit seed for a child generator, drawn from this stream. */
  deriveSeed(): Seed {
    return Math.floor(this.prng() * 2 ** 32);
  }

  /** An independent generator for a named sub-stream of this generator's seed. */
  child(stream: string): Rng {
    return new Rng(this.seed, this.stream === '' ? stream : `${this.stream}/${stream}`);
  }

  /** Opaque snapshot of the generator, for checkpoints. */
  getState(): RngState {
    return { seed: this.seed, stream: this.stream, xor4096: this.prng.state() };
  }

  /** A generator that continues exactly where the snapshot was taken. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(state.seed, state.stream);
    rng.prng = seedrandom.xor4096('', { state: state.xor4096 });
    return rng;
  }
}
