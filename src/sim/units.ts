// Quantities with units ("4.2 ms", "1 Gb/s", "8 MiB", "824 Hz") turned into the plain numbers the
// simulator uses (ms, bytes, bits/s, W, J, Hz). Load time only: the hot loop never sees mathjs.

import { createRequire } from 'node:module';
import type { MathJsInstance, Unit } from 'mathjs';

/**
 * What a quantity measures, and the number it becomes:
 * `time` → ms, `data` → bytes, `bandwidth` → bits/s, `power` → W, `energy` → J,
 * `frequency` → Hz, `rate-or-time` → ms (a time as is, or a rate such as "824 Hz" as 1000/824 ms).
 */
export type QuantityKind = 'time' | 'data' | 'bandwidth' | 'power' | 'energy' | 'frequency' | 'rate-or-time';

export interface ParseQuantityOptions {
  /**
   * Which values are allowed: `positive` (> 0), `non-negative` (≥ 0, the default) or `any`.
   * `rate-or-time` is always `positive`: a zero rate has no time per inference.
   */
  sign?: 'positive' | 'non-negative' | 'any';
}

/** A quantity string that could not be read as the kind asked for. */
export class UnitError extends Error {
  override name = 'UnitError';
  constructor(
    /** The value as given. */
    readonly value: unknown,
    readonly kind: QuantityKind | 'fraction' | 'per-minute',
    /** What was expected, e.g. `a time such as "4.2 ms"`. */
    readonly expected: string,
    /** What was found, e.g. `"4.2 W" (a power)`. */
    readonly found: string,
  ) {
    super(`expected ${expected}, got ${found}`);
  }
}

const EXAMPLES: Record<QuantityKind, string> = {
  time: 'a time such as "4.2 ms"',
  data: 'a size such as "8 MB" or "150 kB"',
  bandwidth: 'a bandwidth such as "1 Gb/s" or "100 Mbit/s"',
  power: 'a power such as "15 W"',
  energy: 'an energy such as "3 J"',
  frequency: 'a frequency such as "30 Hz"',
  'rate-or-time': 'a time such as "4.2 ms" or a rate such as "824 Hz"',
};

const SIGN_WORDS = { positive: ' greater than 0', 'non-negative': ' of at least 0', any: '' } as const;

/** The unit each kind is converted to, and a reference unit to compare dimensions with. */
const TARGET: Record<Exclude<QuantityKind, 'rate-or-time'>, string> = {
  time: 'ms',
  data: 'B',
  bandwidth: 'b/s',
  power: 'W',
  energy: 'J',
  frequency: 'Hz',
};

/** Dimension names for "got … (a power)" hints, by reference unit. */
const DIMENSION_NAMES: [string, string][] = [
  ['s', 'a time'],
  ['B', 'a data size'],
  ['b/s', 'a bandwidth'],
  ['W', 'a power'],
  ['J', 'an energy'],
  ['Hz', 'a frequency'],
  ['m', 'a length'],
  ['kg', 'a mass'],
];

/** The mathjs instance and the reference units, built on first use. */
interface Units {
  math: MathJsInstance;
  second: Unit;
  hertz: Unit;
  reference: Record<keyof typeof TARGET, Unit>;
  dimensions: [Unit, string][];
}
let units: Units | undefined;

// Loaded on first use, not at import: loading mathjs takes ~0.7 s, which a user who never reads
// a scenario file (CartPole, scenarios built in code) should not pay. One instance, made with
// `create(all)`, so the units added here stay private to edgegym.
function loadUnits(): Units {
  if (units !== undefined) return units;
  const { create, all } = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
  const math = create(all);
  // mathjs knows "b"/"B" with SI and IEC prefixes (kb, Mb, GB, KiB, MiB), "bits"/"bytes" with
  // long prefixes (kilobits), and "bit" with long prefixes only; networks write "Mbit/s", "Gbps".
  math.createUnit('bit', { definition: '1 b', prefixes: 'binary_short' }, { override: true });
  math.createUnit('bps', { definition: '1 b/s', prefixes: 'short' });
  units = {
    math,
    second: math.unit('s'),
    hertz: math.unit('Hz'),
    reference: Object.fromEntries(Object.entries(TARGET).map(([kind, u]) => [kind, math.unit(u)])) as Record<keyof typeof TARGET, Unit>,
    dimensions: DIMENSION_NAMES.map(([u, name]) => [math.unit(u), name]),
  };
  return units;
}

// The whole grammar accepted, checked before mathjs sees the text, so nothing but a number and
// unit names ever reaches it: a number, then unit factors (name, optional integer power) joined by
// spaces, "*" or "/". "1/min" is accepted as a unit ("60 1/min").
const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const FACTOR = String.raw`[A-Za-z]+(?:\^[+-]?\d+)?`;
const UNIT_EXPR = String.raw`${FACTOR}(?:\s*[*/]\s*${FACTOR}|\s+${FACTOR})*`;
// "1/" needs a space before it, so that "601/min" is refused rather than read as 60 per minute.
const QUANTITY_RE = new RegExp(String.raw`^\s*(${NUMBER})(?:\s+(1\s*/\s*)|\s*)(${UNIT_EXPR})\s*$`);
const PERCENT_RE = new RegExp(String.raw`^\s*(${NUMBER})\s*%\s*$`);

/** Shows a found value in a message: strings quoted, long ones cut. */
function show(value: unknown): string {
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 57)}…"` : s;
  }
  if (typeof value === 'number') return `${value} (a number without a unit)`;
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${String(value)} (a ${typeof value})`;
}

function dimensionName(u: Unit): string | undefined {
  for (const [ref, name] of loadUnits().dimensions) if (u.equalBase(ref)) return name;
  return undefined;
}

/**
 * Reads `text` as a quantity of `kind` and returns it in the kind's unit (see QuantityKind).
 * Only a number followed by unit names is accepted; anything else (expressions, function calls,
 * a bare number) throws a UnitError naming the text and the kind expected. Non-finite values
 * always throw; negative (and for `positive`, zero) values throw unless `options.sign` allows them.
 *
 * Bytes and bits: "B" is a byte, "b"/"bit" a bit; "kB" = 1000 B, "KiB" = 1024 B, "MB" = 10⁶ B,
 * "MiB" = 2²⁰ B. "KB" is refused as ambiguous. "10 MB/s" = 8·10⁷ bits/s; "1 Gbps" = 10⁹ bits/s.
 */
export function parseQuantity(text: unknown, kind: QuantityKind, options: ParseQuantityOptions = {}): number {
  const sign = kind === 'rate-or-time' ? 'positive' : (options.sign ?? 'non-negative');
  const expected = EXAMPLES[kind] + (sign === 'positive' && kind !== 'rate-or-time' ? ' (greater than 0)' : '');
  const fail = (why?: string): never => {
    throw new UnitError(text, kind, expected, why === undefined ? show(text) : `${show(text)} (${why})`);
  };
  if (typeof text !== 'string') return fail();
  const unit = parseUnit(text, fail);
  const { second, hertz, reference } = loadUnits();

  // The sign is checked on the number as written, before a rate becomes a time (0 Hz → ∞ ms).
  let value: number;
  let isRate = false;
  if (kind === 'rate-or-time') {
    if (unit.equalBase(second)) value = unit.toNumber('ms');
    else if (unit.equalBase(hertz)) [value, isRate] = [unit.toNumber('Hz'), true];
    else return fail(dimensionName(unit) ?? 'not a time or a rate');
  } else {
    const target = TARGET[kind];
    if (!unit.equalBase(reference[kind])) return fail(dimensionName(unit) ?? `not ${EXAMPLES[kind].split(' such')[0]}`);
    value = unit.toNumber(target);
  }
  if (!Number.isFinite(value)) return fail('not finite');
  if ((sign === 'positive' && !(value > 0)) || (sign === 'non-negative' && value < 0)) {
    return fail(`must be${SIGN_WORDS[sign]}`);
  }
  if (!isRate) return value;
  const ms = 1000 / value;
  return Number.isFinite(ms) ? ms : fail('too small a rate: its time per inference is not finite');
}

/** The strict pre-check, the few rewrites mathjs needs, then mathjs's unit parser (never `evaluate`). */
function parseUnit(text: string, fail: (why?: string) => never): Unit {
  const match = QUANTITY_RE.exec(text.replace(/[µμ]/g, 'u'));
  if (match === null) {
    if (/^\s*[+-]?[\d.]+(?:[eE][+-]?\d+)?\s*$/.test(text)) return fail('no unit');
    return fail('not a number followed by a unit');
  }
  const [, number, reciprocal, unitText] = match;
  if (/(^|[^A-Za-z])KB\b/.test(unitText)) return fail('"KB" is ambiguous: write "kB" for 1000 bytes or "KiB" for 1024');
  let expression = unitText;
  if (reciprocal !== undefined) {
    if (!/^[A-Za-z]+$/.test(unitText)) return fail('write "1/unit" with a single unit, e.g. "60 1/min"');
    expression = `${unitText}^-1`;
  }
  try {
    return loadUnits().math.unit(`${number} ${expression}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unit "([^"]*)" not found/.exec(message);
    return fail(unknown !== null ? `unknown unit "${unknown[1]}"` : message);
  }
}

/**
 * An arrival rate in clients (or events) per minute: a plain number is taken as per minute
 * already; a string is a frequency ("60 1/min", "1 Hz" = 60 per minute, "3600 1/h").
 */
export function parsePerMinute(value: unknown, options: ParseQuantityOptions = {}): number {
  if (typeof value === 'number') {
    const sign = options.sign ?? 'non-negative';
    const bad = !Number.isFinite(value) || (sign === 'positive' && !(value > 0)) || (sign === 'non-negative' && value < 0);
    if (bad) {
      throw new UnitError(value, 'per-minute', `a rate per minute${SIGN_WORDS[sign]} such as 60 or "60 1/min"`, String(value));
    }
    return value;
  }
  try {
    return parseQuantity(value, 'frequency', options) * 60;
  } catch (error) {
    if (!(error instanceof UnitError)) throw error;
    throw new UnitError(value, 'per-minute', 'a rate per minute such as 60 or "60 1/min"', error.found);
  }
}

/** Per-second rate (Hz) → per-minute, for callers that already hold a number. */
export function perMinuteFromHz(hz: number): number {
  return hz * 60;
}

/**
 * A fraction in [0, 1], given as a number (0.7613) or a percentage string ("76.13 %").
 * Anything else, or a value outside [0, 1], throws a UnitError.
 */
export function parseFraction(value: unknown): number {
  const expected = 'a fraction in [0, 1] such as 0.7613, or a percentage such as "76.13 %"';
  let fraction: number;
  if (typeof value === 'number') fraction = value;
  else if (typeof value === 'string') {
    const match = PERCENT_RE.exec(value);
    if (match === null) throw new UnitError(value, 'fraction', expected, show(value));
    fraction = Number(match[1]) / 100;
  } else {
    throw new UnitError(value, 'fraction', expected, show(value));
  }
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new UnitError(value, 'fraction', expected, typeof value === 'string' ? `${show(value)} (outside 0 … 100 %)` : `${value} (outside 0 … 1)`);
  }
  return fraction;
}
