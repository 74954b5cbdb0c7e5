// The scenario checker: typed reads of untrusted JSON that record every problem (file, JSON
// path, expected, found) instead of throwing, so one load reports all of them at once.

import { parseFraction, parsePerMinute, parseQuantity, UnitError, type QuantityKind } from '../../../src/sim/units.js';
import { editDistance } from '../../../src/edit-distance.js';

/** One problem found in a scenario. */
export interface ScenarioIssue {
  /** The file it is in (the scenario, or a trace it names), or the `source` given for an object. */
  file: string;
  /** Where in the file: a JSON path such as `$.devices[2].site`, or `line 7` in a trace. */
  path: string;
  expected: string;
  found: string;
}

// ---------------------------------------------------------------------------------------------
// Checking primitives: each reader returns the value or undefined, and records what was wrong.

export const MISSING = 'nothing (the field is missing)';

/** JSON path of an object field, a record entry, an array element. */
export const field = (path: string, key: string): string => `${path}.${key}`;
export const entry = (path: string, key: string): string => `${path}[${JSON.stringify(key)}]`;
export const at = (path: string, index: number): string => `${path}[${index}]`;

interface Optional {
  optional?: boolean;
}

export class Checker {
  readonly issues: ScenarioIssue[] = [];
  omitted = 0;

  constructor(
    readonly file: string,
    private readonly maxErrors: number,
  ) {}

  get count(): number {
    return this.issues.length + this.omitted;
  }

  fail(path: string, expected: string, found: string, file = this.file): undefined {
    if (this.issues.length < this.maxErrors) this.issues.push({ file, path, expected, found });
    else this.omitted++;
    return undefined;
  }

  /** A plain object whose keys are all in `allowed`; unknown keys are reported with the allowed ones. */
  object(value: unknown, path: string, what: string, allowed: readonly string[], opt: Optional = {}): Record<string, unknown> | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (!isPlainObject(value)) return this.fail(path, what, describe(value));
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        const guess = closest(key, allowed);
        this.fail(
          field(path, key),
          `one of the keys ${allowed.join(', ')}`,
          `unknown key ${JSON.stringify(key)}${guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`}`,
        );
      }
    }
    return value;
  }

  /** A plain object used as a map from names to values (deviceTypes, profiles, kinds, …). */
  record(value: unknown, path: string, what: string, opt: Optional & { nonEmpty?: boolean } = {}): [string, unknown][] | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (!isPlainObject(value)) return this.fail(path, what, describe(value));
    const entries = Object.entries(value);
    if (opt.nonEmpty === true && entries.length === 0) return this.fail(path, what, 'an empty object');
    for (const [key] of entries) if (key === '') this.fail(entry(path, key), 'a non-empty name', 'an empty name ""');
    return entries.filter(([key]) => key !== '');
  }

  array(value: unknown, path: string, what: string, opt: Optional & { nonEmpty?: boolean } = {}): unknown[] | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (!Array.isArray(value)) return this.fail(path, what, describe(value));
    if (opt.nonEmpty === true && value.length === 0) return this.fail(path, what, 'an empty array');
    return value;
  }

  string(value: unknown, path: string, what = 'a non-empty string', opt: Optional & { allowEmpty?: boolean } = {}): string | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (typeof value !== 'string' || (value === '' && opt.allowEmpty !== true)) return this.fail(path, what, describe(value));
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, choices: readonly T[], opt: Optional = {}): T | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    return this.fail(path, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`, describe(value));
  }

  number(
    value: unknown,
    path: string,
    rule: { min?: number; greaterThan?: number; max?: number; integer?: boolean },
    opt: Optional = {},
  ): number | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    const bounds = [
      rule.greaterThan !== undefined ? `greater than ${rule.greaterThan}` : undefined,
      rule.min !== undefined ? `at least ${rule.min}` : undefined,
      rule.max !== undefined ? `at most ${rule.max}` : undefined,
    ].filter((b) => b !== undefined);
    const what = `${rule.integer === true ? 'an integer' : 'a number'}${bounds.length > 0 ? ` ${bounds.join(' and ')}` : ''}`;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (rule.integer !== true || Number.isInteger(value)) &&
      (rule.min === undefined || value >= rule.min) &&
      (rule.greaterThan === undefined || value > rule.greaterThan) &&
      (rule.max === undefined || value <= rule.max);
    return ok ? (value as number) : this.fail(path, what, describe(value));
  }

  quantity(value: unknown, path: string, kind: QuantityKind, sign: 'positive' | 'non-negative', opt: Optional & { why?: string } = {}): number | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    try {
      return parseQuantity(value, kind, { sign });
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      const why = opt.why === undefined ? '' : ` (${opt.why})`;
      return this.fail(path, error.expected + why, value === undefined ? MISSING : error.found);
    }
  }

  fraction(value: unknown, path: string): number | undefined {
    try {
      return parseFraction(value);
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      return this.fail(path, error.expected, value === undefined ? MISSING : error.found);
    }
  }

  perMinute(value: unknown, path: string): number | undefined {
    try {
      return parsePerMinute(value);
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      return this.fail(path, error.expected, value === undefined ? MISSING : error.found);
    }
  }

  /** Records `id` at `path`, reporting a duplicate with where it was first used. */
  unique(ids: Map<string, string>, id: string, path: string, what: string): boolean {
    const first = ids.get(id);
    if (first !== undefined) {
      this.fail(path, `${what} not used before`, `${JSON.stringify(id)}, already used at ${first}`);
      return false;
    }
    ids.set(id, path);
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

/** Every key any variant of a tagged object allows, so a bad "kind" does not also flag its other keys. */
export function unionOf(keysByKind: Record<string, readonly string[]>): string[] {
  return [...new Set(Object.values(keysByKind).flat())];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A found value, as a message shows it. */
export function describe(value: unknown): string {
  if (value === undefined) return MISSING;
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 57)}…"` : s;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    return `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
  }
  return typeof value;
}

/** Ids for an "expected one of" list, cut after a few. */
export function listIds(ids: Iterable<string>): string {
  const all = [...ids];
  if (all.length === 0) return 'there are none';
  const shown = all.slice(0, 8).map((id) => JSON.stringify(id));
  return `${shown.join(', ')}${all.length > 8 ? `, … ${all.length - 8} more` : ''}`;
}

/** The allowed key a typo most likely meant: same letters ignoring case, or within edit distance 2. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const candidate of allowed) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

