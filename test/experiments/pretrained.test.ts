// The shipped agents in experiments/pretrained/: each loads for its env and acts within the mask,
// as `edgegym eval --policy <folder>` runs them.

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import '../../envs/index.js';
import { evaluate } from '../../experiments/evaluate.js';

// Compiled tests run from dist/test/experiments/; the folders stay in the source tree.
const root = fileURLToPath(new URL('../../../experiments/pretrained/', import.meta.url));

/** Each shipped agent, its env and short kwargs so the test stays quick. */
const AGENTS: Record<string, { env: string; kwargs: Record<string, unknown> }> = {
  'ecsrl-a2c': { env: 'EdgeSched/Dispatch-v0', kwargs: { horizon: '20 s' } },
  'placement-ppo': { env: 'EdgeSched/Placement-v0', kwargs: { maxApps: 20 } },
};

test('every shipped agent is listed here, with the command that made it', () => {
  const shipped = readdirSync(root).filter((d) => existsSync(`${root}${d}/policy.json`));
  assert.deepEqual(shipped.sort(), Object.keys(AGENTS).filter((a) => shipped.includes(a)).sort());
  for (const name of shipped) assert.ok(existsSync(`${root}${name}/README.md`), `${name} says how it was made`);
});

for (const [name, { env, kwargs }] of Object.entries(AGENTS)) {
  test(`${name} loads for ${env} and never takes a masked action`, { skip: !existsSync(`${root}${name}/policy.json`) }, () => {
    const result = evaluate({ env, policy: `${root}${name}`, episodes: 2, seed: 1000, kwargs });
    assert.equal(result.returns.length, 2);
    const invalid = result.metrics.invalidActions ?? result.metrics.invalid;
    assert.ok(invalid !== undefined, 'the env reports invalid actions');
    assert.deepEqual(invalid.values, [0, 0]);
  });
}
