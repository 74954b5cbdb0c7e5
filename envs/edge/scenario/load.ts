// The scenario loader: scenario JSON (scenario-json.ts) → the numeric model (../model.ts). Every
// field is checked up front and every problem is reported at once, by file, JSON path, expected and found.
// The checker (checker.ts), the section readers (read-*.ts) and error locations (locations.ts) live beside it.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Scenario } from '../model.js';
import { Checker, messageOf, type ScenarioIssue } from './checker.js';
import { jsonErrorWhere } from './locations.js';
import { readScenario } from './read-scenario.js';

export type { ScenarioIssue } from './checker.js';

/**
 * Everything wrong with a scenario. `file`, `path`, `expected` and `found` describe the first
 * problem; `issues` holds all of them (up to `maxErrors`), and the message lists them one a line.
 */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  readonly file: string;
  readonly path: string;
  readonly expected: string;
  readonly found: string;
  readonly issues: readonly ScenarioIssue[];
  /** Problems found beyond `maxErrors` and left out. */
  readonly omitted: number;

  constructor(issues: readonly ScenarioIssue[], omitted = 0, scenarioFile = issues[0]?.file) {
    if (issues.length === 0) throw new RangeError('ScenarioError needs at least one issue');
    const line = (i: ScenarioIssue): string => `${i.file}: ${i.path}: expected ${i.expected}, found ${i.found}`;
    const more = omitted > 0 ? `\n  … and ${omitted} more` : '';
    super(
      issues.length === 1 && omitted === 0
        ? line(issues[0])
        : `${issues.length + omitted} problems in scenario ${scenarioFile}:\n${issues.map((i) => `  ${line(i)}`).join('\n')}${more}`,
    );
    ({ file: this.file, path: this.path, expected: this.expected, found: this.found } = issues[0]);
    this.issues = Object.freeze([...issues]);
    this.omitted = omitted;
  }
}

export interface LoadScenarioOptions {
  /** Name used in errors when an object is passed (default `<scenario>`); ignored for a path. */
  source?: string;
  /** Folder `topology.graphml` and `workload.trace` are relative to (default: the scenario file's, or `source`'s). */
  baseDir?: string;
  /** Problems reported before the rest are counted but left out (default 20). */
  maxErrors?: number;
}

/**
 * Loads a scenario from a JSON file path, or from an already-parsed object, into the numeric
 * model. Throws one ScenarioError listing every problem found; returns only a fully valid scenario.
 *
 * Defaults: `serviceNoise` deterministic, `maxQueue` 64, `interference` none, application
 * `weight` 1, `workload.antennas` every antenna. A device with `count` N becomes N devices named
 * `id-0` … `id-(N−1)`; without `count` it is one device keeping its id. A constant `rate` becomes
 * a one-entry schedule; a trace gets the schedule `[{ atMs: 0, clientsPerMinute: 0 }]`.
 */
export function loadScenario(input: string | object, options: LoadScenarioOptions = {}): Scenario {
  const maxErrors = options.maxErrors ?? 20;
  let file: string;
  let baseDir: string;
  let data: unknown;
  if (typeof input === 'string') {
    file = input;
    baseDir = options.baseDir ?? dirname(resolve(input));
    let text: string;
    try {
      text = readFileSync(input, 'utf8');
    } catch (error) {
      throw new ScenarioError([{ file, path: '$', expected: 'a readable scenario JSON file', found: messageOf(error) }]);
    }
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ScenarioError([{ file, path: '$', expected: 'valid JSON', found: jsonErrorWhere(messageOf(error), text) }]);
    }
  } else {
    file = options.source ?? '<scenario>';
    baseDir = options.baseDir ?? (options.source !== undefined ? dirname(resolve(options.source)) : process.cwd());
    data = input;
  }
  const check = new Checker(file, maxErrors);
  const scenario = readScenario(data, check, baseDir);
  if (check.issues.length > 0 || scenario === undefined) throw new ScenarioError(check.issues, check.omitted, file);
  return scenario;
}
