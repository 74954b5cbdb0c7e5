// The package as a user meets it: `import … from 'edgegym'` resolves through package.json's
// `exports`, and the README's API example runs as written.

import assert from 'node:assert/strict';
import { test } from 'node:test';

// A computed specifier, so tsc does not need dist/ to exist while it compiles this file.
const edgegym = (await import(String('edgegym'))) as typeof import('../index.js');

test("the package entry resolves by name and registers CartPole-v1", () => {
  assert.ok(edgegym.registry.has('CartPole-v1'));
  const env = edgegym.make('CartPole-v1');
  assert.ok(env instanceof edgegym.Env);
  assert.equal(env.spec?.maxEpisodeSteps, 500);
});

test("the README's example runs: a balancing controller reaches the 500-step limit", () => {
  const { make, makeVec, checkEnv, RecordEpisodeStatistics } = edgegym;
  const env = new RecordEpisodeStatistics(make('CartPole-v1'));
  let { observation } = env.reset({ seed: 42 });
  let episode: unknown = null;
  for (;;) {
    const action = observation[2] + 0.3 * observation[3] > 0 ? 1 : 0;
    const step = env.step(action);
    if (step.terminated || step.truncated) {
      episode = step.info.episode;
      break;
    }
    ({ observation } = step);
  }
  assert.ok(episode !== null && typeof episode === 'object');
  const vec = makeVec('CartPole-v1', { numEnvs: 64 });
  assert.equal(vec.reset({ seed: 0 }).observations.length, 256);
  const result = vec.step(vec.actionSpace.sample(), vec.createStepBuffers());
  assert.equal(result.rewards.length, 64);
  assert.deepEqual(checkEnv(make('CartPole-v1')), []);
});
