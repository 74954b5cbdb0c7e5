// Argument parsing shared by the CLI's commands. A value a user typed wrong is a UsageError,
// which the shell turns into exit code 2 (bin/errors.ts holds the rule).

import fs from 'node:fs';
import type { Argv } from 'yargs';
import { nearest } from '../src/edit-distance.js';
import { parseQuantity } from '../src/sim/units.js';
import { UsageError } from './errors.js';

/** What a numeric flag accepts. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  greaterThan?: number;
  max?: number;
}

/** Checks a numeric flag the user gave (undefined: left out, the default applies). */
export function checkNumber(flag: string, value: number | undefined, rule: NumberRule): void {
  if (value === undefined) return;
  const ok =
    Number.isFinite(value) &&
    (rule.integer !== true || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.greaterThan === undefined || value > rule.greaterThan) &&
    (rule.max === undefined || value <= rule.max);
  if (ok) return;
  const bounds = [
    rule.greaterThan !== undefined ? `greater than ${rule.greaterThan}` : undefined,
    rule.min !== undefined ? `at least ${rule.min}` : undefined,
    rule.max !== undefined ? `at most ${rule.max}` : undefined,
  ].filter((b) => b !== undefined);
  throw new UsageError(`${flag} must be ${rule.integer === true ? 'an integer' : 'a number'}${bounds.length > 0 ? ` ${bounds.join(' and ')}` : ''}, got ${String(value)}`);
}

/** "64,64" → [64, 64]: a comma list of numbers, each checked by `rule`. */
export function parseNumberList(flag: string, text: string | undefined, rule: NumberRule): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',').map((v) => v.trim());
  if (values.some((v) => v === '' || Number.isNaN(Number(v)))) throw new UsageError(`${flag} must be a comma-separated list of numbers, got ${JSON.stringify(text)}`);
  const numbers = values.map(Number);
  for (const n of numbers) checkNumber(`${flag} (each value)`, n, rule);
  return numbers;
}

/**
 * "120s", "10 min", "1.5h" → ms; `flag` names the option in the error. A time must be positive,
 * or with `zero` (what it means, e.g. "no limit") may also be 0.
 */
export function parseTime(text: string, flag: string, zero?: string): number {
  const written = text.trim();
  let ms: number;
  try {
    ms = parseQuantity(written.replace(/^(-?\d+(?:\.\d+)?)([a-zµ]+)$/i, '$1 $2'), 'time', { sign: 'any' });
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
  if (ms > 0 || (ms === 0 && zero !== undefined)) return ms;
  throw new UsageError(`${flag} must be ${zero === undefined ? 'positive' : `positive or 0 (${zero})`}, got ${written}`);
}

/** `--kwargs` JSON → an object, or a one-line error saying what is wrong with it. */
export function parseKwargs(text: string | undefined, flag = '--kwargs'): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag} is not valid JSON (${(err as Error).message}): ${text}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${flag} must be a JSON object, got ${text}`);
  return value as Record<string, unknown>;
}

/** `--events` is the edge simulator's query log: refused for envs that run no simulator. */
export function edgeOnly(events: string | undefined, env: string): string | undefined {
  if (events !== undefined && !env.startsWith('EdgeSched/')) throw new UsageError(`--events logs the edge simulator's queries; ${env} runs no simulator (use it with an EdgeSched/ env)`);
  return events;
}

/** " (did you mean "x"?)" when one of `known` is close to `word`, else "". */
export function suggest(word: string, known: Iterable<string>): string {
  const guess = nearest(word, known);
  return guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`;
}

/**
 * A directory a new log goes into must not hold one already (a log is only ever appended to by the
 * run that wrote it, e.g. a resumed `train`).
 */
export function freshLogDir(flag: string, dir: string | undefined, prefix = 'steps'): string | undefined {
  if (dir === undefined || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return dir;
  const found = fs.readdirSync(dir).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.arrows'));
  if (found.length > 0) throw new UsageError(`${flag} ${dir} already holds a log (${found[0]}${found.length > 1 ? ', …' : ''}); choose another directory or delete it`);
  return dir;
}

/** The options a command's builder declares, as `CommandModule<object, ArgsOf<typeof builder>>` wants them. */
export type ArgsOf<B extends (y: Argv) => Argv<unknown>> = ReturnType<B> extends Argv<infer U> ? U : never;
