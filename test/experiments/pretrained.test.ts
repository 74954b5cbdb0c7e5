// The shipped agents in experiments/pretrained/: each loads for its env and acts within the mask,
// as `edgegym eval --policy <folder>` runs them.

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import '../../envs/index.js';
import { evaluate } from '../../envs/evaluate.js';
import { policyByName } from '../../jobs/policies.js';

// Compiled tests run from dist/test/experiments/; the folders stay in the source tree.
const root = fileURLToPath(new URL('../../../experiments/pretrained/', import.meta.url));

/** Each shipped agent, its env and short kwargs so the test stays quick. */
const AGENTS: Record<string, { env: string; kwargs: Record<string, unknown> }> = {
  'aset-ppo': { env: 'EdgeSched/PolicySelect-v0', kwargs: { horizon: '15 s' } },
  'ecsrl-a2c': { env: 'EdgeSched/Dispatch-v0', kwargs: { horizon: '20 s' } },
  'placement-ppo': { env: 'EdgeSched/Placement-v0', kwargs: { maxApps: 20 } },
};

test('every shipped agent is listed here, with the command that made it', () => {
  const shipped = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.deepEqual(shipped.sort(), Object.keys(AGENTS).sort());
  for (const name of shipped) assert.ok(existsSync(`${root}${name}/README.md`), `${name} says how it was made`);
});

for (const [name, { env, kwargs }] of Object.entries(AGENTS)) {
  test(`${name} loads for ${env} and acts within its action space and mask`, () => {
    const result = evaluate({ env, policy: `${root}${name}`, resolvePolicy: policyByName, episodes: 2, seed: 1000, kwargs });
    assert.equal(result.returns.length, 2);
    assert.ok(result.returns.every(Number.isFinite));
    // Envs with masks count the masked actions taken; PolicySelect-v0 has none to take.
    const invalid = result.metrics.invalidActions ?? result.metrics.invalid;
    if (invalid !== undefined) assert.deepEqual(invalid.values, [0, 0]);
  });
}
