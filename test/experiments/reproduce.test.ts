// `edgegym reproduce placement --quick`: writes its data, charts and a summary.md that puts
// each of the paper's claims beside what we measured.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { reproduce } from '../../experiments/reproduce/index.js';

test('reproduce placement --quick writes its summary, data and charts, and checks the 2.3× claim', async (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-reproduce-'));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  const [{ reproduction, files }] = await reproduce({ experiments: ['placement'], quick: true, out });
  assert.equal(files.summary, path.join(out, 'placement', 'summary.md'));
  const summary = fs.readFileSync(files.summary, 'utf8');
  assert.match(summary, /^# Model-driven edge clusters/);
  assert.match(summary, /\| model-driven placement hosts 2\.3× the applications of knapsack placement \| model-aware .* vs knapsack .*× \| (yes|\*\*no\*\*) \|/);
  // The claim's verdict follows from the benchmark's own numbers.
  const [result] = reproduction.results;
  const hosted = (name: string): number => result.policies.find((p) => p.name === name)!.summaries.hosted.mean;
  assert.equal(reproduction.claims[0].agrees, hosted('model-aware') / hosted('knapsack') >= 2);
  for (const f of ['results.md', 'episodes.csv', 'episodes.arrow', 'results.json']) assert.ok(fs.existsSync(path.join(out, 'placement', f)), f);
  assert.ok(fs.readFileSync(path.join(out, 'placement', 'charts', 'hosted.svg'), 'utf8').includes('<svg'));
  assert.equal(result.seeds, 5);
});
