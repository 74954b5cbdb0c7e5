// Checked env kwargs: an env declares every key it takes with the type and range it accepts, and a
// caller's mistake becomes one error naming the env, the key, what was expected and what was found.

import { nearest } from './edit-distance.js';
import { parseQuantity, type QuantityKind, UnitError } from './sim/units.js';

/** What one kwarg accepts. `undefined` (the key left out) is always accepted: the env's default applies. */
export type KwargSpec =
  | { type: 'boolean' }
  | { type: 'number'; integer?: boolean; min?: number; greaterThan?: number; max?: number; lessThan?: number }
  | { type: 'string'; oneOf?: readonly string[] }
  /** A quantity with its unit, as scenario files write them ("5 s", "10 min"). */
  | { type: 'quantity'; kind: QuantityKind; sign?: 'positive' | 'non-negative' }
  /** An array of numbers, each at least `min`; `length` fixes its length. */
  | { type: 'numbers'; min?: number; length?: number }
  /** A non-empty array of non-empty arrays of numbers, each at least `min`. */
  | { type: 'number-lists'; min?: number }
  | { type: 'strings'; oneOf?: readonly string[] }
  /** Anything else: `expected` says what in words, `accepts` decides. */
  | { type: 'custom'; expected: string; accepts: (value: unknown) => boolean };

export type KwargSpecs = Readonly<Record<string, KwargSpec>>;

/** A kwarg an env does not take, or a value it does not accept. */
export class KwargError extends TypeError {
  override name = 'KwargError';

  constructor(
    /** The env (or other owner) whose kwargs these are, e.g. `Dispatch`. */
    readonly owner: string,
    readonly key: string,
    readonly expected: string,
    readonly found: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks `kwargs` against `specs`, throwing a KwargError at the first unknown key (with the
 * nearest known one as a suggestion) or the first value outside its spec.
 */
export function checkKwargs(owner: string, kwargs: object, specs: KwargSpecs): void {
  const known = Object.keys(specs);
  for (const [key, value] of Object.entries(kwargs)) {
    const spec = specs[key];
    if (spec === undefined) {
      const guess = nearest(key, known);
      const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
      throw new KwargError(owner, key, `one of ${known.join(', ')}`, JSON.stringify(key), `${owner}: unknown kwarg "${key}"${hint}; it takes ${known.join(', ')}`);
    }
    if (value === undefined) continue;
    const problem = check(spec, value);
    if (problem !== null) {
      throw new KwargError(owner, key, problem.expected, problem.found, `${owner}: kwarg "${key}" must be ${problem.expected}, got ${problem.found}`);
    }
  }
}

interface Problem {
  expected: string;
  found: string;
}

function check(spec: KwargSpec, value: unknown): Problem | null {
  const fail = (expected: string, found = show(value)): Problem => ({ expected, found });
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : fail('true or false');
    case 'number':
      return numberOk(value, spec) ? null : fail(numberWords(spec));
    case 'string':
      if (typeof value !== 'string' || value === '') return fail(spec.oneOf === undefined ? 'a non-empty string' : oneOfWords(spec.oneOf));
      return spec.oneOf === undefined || spec.oneOf.includes(value) ? null : fail(oneOfWords(spec.oneOf));
    case 'quantity':
      try {
        parseQuantity(value, spec.kind, { sign: spec.sign ?? 'positive' });
        return null;
      } catch (error) {
        if (error instanceof UnitError) return fail(error.expected, error.found);
        throw error;
      }
    case 'numbers': {
      const min = spec.min === undefined ? {} : { min: spec.min };
      const what = `${spec.length === undefined ? 'a non-empty array' : `an array of ${spec.length}`} of ${numberWords(min, true)}`;
      if (!Array.isArray(value) || value.length === 0 || (spec.length !== undefined && value.length !== spec.length)) return fail(what);
      return value.every((v) => numberOk(v, min)) ? null : fail(what);
    }
    case 'number-lists': {
      const min = spec.min === undefined ? {} : { min: spec.min };
      const what = `a non-empty array of non-empty arrays of ${numberWords(min, true)}`;
      const ok = Array.isArray(value) && value.length > 0 && value.every((l) => Array.isArray(l) && l.length > 0 && l.every((v) => numberOk(v, min)));
      return ok ? null : fail(what);
    }
    case 'strings': {
      const what = `a non-empty array of ${spec.oneOf === undefined ? 'strings' : `names from ${spec.oneOf.join(', ')}`}`;
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) return fail(what);
      const unknown = spec.oneOf === undefined ? undefined : value.find((v) => !spec.oneOf?.includes(v as string));
      return unknown === undefined ? null : fail(what, `${show(value)} (${show(unknown)} is not one of them)`);
    }
    case 'custom':
      return spec.accepts(value) ? null : fail(spec.expected);
  }
}

type NumberRule = { integer?: boolean; min?: number; greaterThan?: number; max?: number; lessThan?: number };

function numberOk(value: unknown, rule: NumberRule): boolean {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.integer !== true || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.greaterThan === undefined || value > rule.greaterThan) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.lessThan === undefined || value < rule.lessThan)
  );
}

function numberWords(rule: NumberRule, plural = false): string {
  const bounds = [
    rule.greaterThan !== undefined ? `greater than ${rule.greaterThan}` : undefined,
    rule.min !== undefined ? `at least ${rule.min}` : undefined,
    rule.lessThan !== undefined ? `less than ${rule.lessThan}` : undefined,
    rule.max !== undefined ? `at most ${rule.max}` : undefined,
  ].filter((b) => b !== undefined);
  const noun = rule.integer === true ? (plural ? 'integers' : 'an integer') : plural ? 'finite numbers' : 'a finite number';
  return `${noun}${bounds.length > 0 ? ` ${bounds.join(' and ')}` : ''}`;
}

function oneOfWords(choices: readonly string[]): string {
  return `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`;
}

/** A found value as an error shows it: JSON, cut short. */
function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
