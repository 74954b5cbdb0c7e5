// Argument parsing shared by the CLI's commands. A value a user typed wrong is a UsageError,
// which the shell turns into exit code 2 (a failure of the work itself exits 1).

import type { Argv } from 'yargs';
import { parseQuantity } from '../src/sim/units.js';

/** A mistake in how the command was called: the shell prints it in one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

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

/** "120s", "10 min", "1.5h" → ms; `flag` names the option in the error. */
export function parseTime(text: string, flag: string): number {
  try {
    return parseQuantity(text.trim().replace(/^(\d+(?:\.\d+)?)([a-zµ]+)$/i, '$1 $2'), 'time');
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
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

/** The options a command's builder declares, as `CommandModule<object, ArgsOf<typeof builder>>` wants them. */
export type ArgsOf<B extends (y: Argv) => Argv<unknown>> = ReturnType<B> extends Argv<infer U> ? U : never;
