// The built-in scenarios by name, and the lookup that accepts a name or a file path.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../model.js';
import { loadScenario } from './load.js';

/** Names of the scenarios shipped in envs/edge/scenario/builtin/. */
export const BUILTIN_SCENARIOS = ['aset-full-edge', 'aset-mixed', 'aset-cloud', 'ecsrl-jetson', 'ecsrl-testbed', 'modeldriven-cluster'] as const;
export type BuiltinScenario = (typeof BUILTIN_SCENARIOS)[number];

/** The JSON files stay in the source tree (they are data, not code): from dist/envs/edge/scenario/ or envs/edge/scenario/. */
function scenarioDirectory(): string {
  for (const relative of ['../../../../envs/edge/scenario/builtin/', './builtin/']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('the built-in scenario folder envs/edge/scenario/builtin/ is missing from this installation');
}

/** Path of a built-in scenario's JSON file. */
export function builtinScenarioPath(name: BuiltinScenario): string {
  return `${scenarioDirectory()}${name}.json`;
}

/** A built-in scenario by name, or a scenario file by path. */
export function resolveScenario(nameOrPath: string): Scenario {
  if ((BUILTIN_SCENARIOS as readonly string[]).includes(nameOrPath)) return loadScenario(builtinScenarioPath(nameOrPath as BuiltinScenario));
  if (!nameOrPath.endsWith('.json') && !existsSync(nameOrPath)) {
    throw new Error(`unknown scenario ${JSON.stringify(nameOrPath)}: not a built-in (${BUILTIN_SCENARIOS.join(', ')}) and no such file`);
  }
  return loadScenario(nameOrPath);
}

// Loading parses every unit with mathjs (milliseconds each): envs load a scenario once per
// name or path per process, so a vector of 64 envs does not parse it 64 times.
const loaded = new Map<string, Scenario>();

/** `resolveScenario`, cached per name or path for the life of the process (scenarios are read-only). */
export function scenarioNamed(nameOrPath: string): Scenario {
  let scenario = loaded.get(nameOrPath);
  if (scenario === undefined) {
    scenario = resolveScenario(nameOrPath);
    loaded.set(nameOrPath, scenario);
  }
  return scenario;
}
