// `edgegym reproduce placement --quick`: writes its data, charts and a summary.md that puts
// each of the paper's claims beside what we measured.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pretrainedDir } from '../../experiments/reproduce/claims.js';
import { EXPERIMENTS, reproduce } from '../../experiments/reproduce/index.js';
import { AGENT_OF, TRAINING_PLAN } from '../../experiments/reproduce/training.js';
import { pairedDifference, summarize } from '../../src/stats.js';
import { type Algo, DEFAULT_NUM_ENVS, type TrainOptions, type TrainSummary, trainDefaults } from '../../jobs/train.js';

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

// ASET's figures on a tiny configuration (2 seeds, a few windows): every file is written, and the
// summary's numbers and verdicts follow from the episodes CSV it wrote beside them.

/** A CSV written by the reproductions (no quoted fields in these), as one record per line. */
function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(','));
  return lines.map((cells) => Object.fromEntries(header.map((h, k) => [h, cells[k]])));
}

/** One column of one policy's episodes, in seed order. */
function column(rows: readonly Record<string, string>[], policy: string, key: string): number[] {
  return rows.filter((r) => r.policy === policy).sort((a, b) => Number(a.seed) - Number(b.seed)).map((r) => Number(r[key]));
}

/** As summary.md writes a difference of ratios: sign, percentage points, CI. */
function pp(d: { mean: number; ci95: number }): string {
  return `${d.mean > 0 ? '+' : d.mean < 0 ? '−' : ''}${(100 * Math.abs(d.mean)).toFixed(1)} ± ${(100 * d.ci95).toFixed(1)} pp`;
}

const STATICS = ['closest', 'load-balancing', 'cloud-first', 'random-proportional-latency', 'random-proportional-load', 'least-impedance', 'highest-accuracy-first', 'random'];
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The static policy with the highest mean episode success ratio in an episodes CSV. */
function bestOf(rows: readonly Record<string, string>[]): string {
  return STATICS.reduce((best, name) => (mean(column(rows, name, 'successRatio')) > mean(column(rows, best, 'successRatio')) ? name : best));
}

test('reproduce aset-fig2 on a tiny configuration: files, and claims recomputed from episodes.csv', async (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-reproduce-'));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  const [{ reproduction, files }] = await reproduce({ experiments: ['aset-fig2'], quick: true, out, sizes: { 'aset-fig2': { seeds: 2, horizon: '20 s', rates: [100] } } });
  const dir = path.join(out, 'aset-fig2');
  assert.equal(files.summary, path.join(dir, 'summary.md'));
  for (const f of ['windows.csv', 'windows.arrow', 'charts/success-over-time.svg', 'charts/violation-over-time.svg', 'charts/rejection-over-time.svg', 'charts/success-by-rate.svg']) {
    assert.ok(fs.existsSync(path.join(dir, f)), f);
  }
  for (const run of ['lambda-60', 'lambda-100']) for (const f of ['results.md', 'episodes.csv', 'episodes.arrow', 'results.json', 'charts/successRatio.svg']) assert.ok(fs.existsSync(path.join(dir, run, f)), `${run}/${f}`);
  assert.ok(fs.readFileSync(path.join(dir, 'charts', 'success-over-time.svg'), 'utf8').includes('<svg'));
  const summary = fs.readFileSync(files.summary, 'utf8');
  assert.match(summary, /^# ASET Fig\. 2/);
  assert.match(summary, /The agent is the shipped agent experiments\/pretrained\/aset-ppo/);

  // Each episode's ratios are its windows' counts summed.
  const episodes = readCsv(path.join(dir, 'lambda-60', 'episodes.csv'));
  const windows = readCsv(path.join(dir, 'windows.csv')).filter((w) => w.condition === 'λ = 60');
  assert.equal(windows.length, 9 * 2 * 4, '9 policies × 2 seeds × 20 s of 5 s windows');
  for (const e of episodes) {
    const mine = windows.filter((w) => w.policy === e.policy && w.seed === e.seed);
    const sum = (k: string): number => mine.reduce((a, w) => a + Number(w[k]), 0);
    assert.ok(Math.abs(Number(e.successRatio) - sum('successes') / sum('queries')) < 1e-12, `${e.policy} seed ${e.seed}`);
  }

  // Fig. 2a: the agent against every static policy, paired by seed.
  const agent = column(episodes, 'aset-ppo', 'successRatio');
  const diffs = STATICS.map((name) => pairedDifference(agent, column(episodes, name, 'successRatio')));
  const best = bestOf(episodes);
  const versusBest = diffs[STATICS.indexOf(best)];
  const [fig2a, fig2c, fig2d, fig2b, load] = reproduction.claims;
  assert.match(fig2a.paper, /λ = 60 .* every static policy \(Fig\. 2a\)/);
  assert.equal(fig2a.agrees, diffs.every((d) => d.mean - d.ci95 > 0));
  assert.ok(fig2a.ours.includes(`aset-ppo − ${best} ${pp(versusBest)}`), fig2a.ours);
  assert.ok(fig2a.ours.includes(`beats ${diffs.filter((d) => d.mean - d.ci95 > 0).length} of 8`), fig2a.ours);
  assert.ok(summary.includes(`| ${fig2a.paper} | ${fig2a.ours} | ${fig2a.agrees ? 'yes' : '**no**'} |`));
  // Fig. 2c and 2d: violations lower than the best static policy's, rejections no higher.
  const violations = pairedDifference(column(episodes, 'aset-ppo', 'violationRatio'), column(episodes, best, 'violationRatio'));
  const rejections = pairedDifference(column(episodes, 'aset-ppo', 'rejectionRatio'), column(episodes, best, 'rejectionRatio'));
  assert.equal(fig2c.agrees, violations.mean + violations.ci95 < 0);
  assert.ok(fig2c.ours.endsWith(pp(violations)), fig2c.ours);
  assert.equal(fig2d.agrees, !(rejections.mean - rejections.ci95 > 0));
  assert.ok(fig2d.ours.endsWith(pp(rejections)), fig2d.ours);
  // Fig. 2b at λ = 100, and the paper's 1600 queries/s per antenna there.
  const heavy = readCsv(path.join(dir, 'lambda-100', 'episodes.csv'));
  const heavyDiffs = STATICS.map((name) => pairedDifference(column(heavy, 'aset-ppo', 'successRatio'), column(heavy, name, 'successRatio')));
  assert.match(fig2b.paper, /λ = 100 \(Fig\. 2b\)/);
  assert.equal(fig2b.agrees, heavyDiffs.every((d) => d.mean - d.ci95 > 0));
  const perSecond = summarize(heavy.filter((e) => e.policy === 'aset-ppo').map((e) => Number(e.queries) / (Number(e.length) * 5) / 16));
  assert.ok(load.ours.startsWith(`${perSecond.mean.toFixed(0)} ± ${perSecond.ci95.toFixed(0)} queries/s per antenna`), load.ours);
  assert.equal(load.agrees, perSecond.mean - perSecond.ci95 > 1600);
  assert.equal(reproduction.claims.length, 5);
});

test('reproduce aset-fig3 without --quick trains one agent for both ASET figures and evaluates it', async (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-reproduce-'));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  // A stand-in for train(): records what it was asked and leaves the shipped policy in the run folder.
  const asked: TrainOptions[] = [];
  const trainer = async (options: TrainOptions): Promise<TrainSummary> => {
    asked.push(options);
    fs.cpSync(path.join(pretrainedDir('aset-ppo'), 'policy'), path.join(options.out as string, 'policy'), { recursive: true });
    return { steps: options.steps, backend: 'cpu', trainSeconds: 0 } as TrainSummary;
  };
  const sizes = { 'aset-fig2': { seeds: 2, horizon: '5 s', rates: [60] }, 'aset-fig3': { seeds: 2, horizon: '20 s', scheduleStep: '5 s' } };
  const done = await reproduce({ experiments: ['aset-fig2', 'aset-fig3'], quick: false, out, sizes, trainer });
  assert.equal(asked.length, 1, 'the two figures share one agent');
  const { out: where, backend, force, log, ...recipe } = asked[0];
  assert.equal(where, path.join(out, 'aset-fig2', 'agent'));
  assert.deepEqual(recipe, TRAINING_PLAN['aset-ppo']);
  for (const { files } of done) assert.match(fs.readFileSync(files.summary, 'utf8'), /an agent trained from scratch for this run in .*aset-fig2\/agent/);

  const [, { reproduction, files }] = done;
  const dir = path.join(out, 'aset-fig3');
  for (const f of ['windows.csv', 'windows.arrow', 'charts/success-over-time-fast.svg', 'charts/success-over-time-steady.svg', 'fast-20-60-100/episodes.csv', 'steady-60-40-20-60/episodes.csv']) {
    assert.ok(fs.existsSync(path.join(dir, f)), f);
  }
  // λ follows each pattern, one value per 5 s step.
  const windows = readCsv(path.join(dir, 'windows.csv'));
  const fast = windows.filter((w) => w.condition === '20 → 60 → 100 every 5 s' && w.policy === 'closest' && w.seed === '1000').map((w) => Number(w.rate));
  assert.deepEqual(fast, [20, 60, 100, 20]);
  const steady = windows.filter((w) => w.condition === '60 → 40 → 20 → 60 every 5 s' && w.policy === 'closest' && w.seed === '1000').map((w) => Number(w.rate));
  assert.deepEqual(steady, [60, 40, 20, 60]);
  // Each pattern's claim, and the larger margin under the fast one, from the episodes CSVs.
  const margins: number[][] = [];
  for (const [k, folder] of ['fast-20-60-100', 'steady-60-40-20-60'].entries()) {
    const episodes = readCsv(path.join(dir, folder, 'episodes.csv'));
    const agent = column(episodes, 'aset-ppo', 'successRatio');
    const diffs = STATICS.map((name) => pairedDifference(agent, column(episodes, name, 'successRatio')));
    assert.equal(reproduction.claims[k].agrees, diffs.every((d) => d.mean - d.ci95 > 0), reproduction.claims[k].paper);
    const best = bestOf(episodes);
    assert.ok(reproduction.claims[k].ours.includes(`aset-ppo − ${best} ${pp(diffs[STATICS.indexOf(best)])}`), reproduction.claims[k].ours);
    margins.push(agent.map((x, i) => x - column(episodes, best, 'successRatio')[i]));
  }
  const fastMargin = summarize(margins[0]);
  const gap = pairedDifference(margins[0], margins[1]);
  assert.equal(reproduction.claims[2].agrees, fastMargin.mean - fastMargin.ci95 > 0 && gap.mean - gap.ci95 > 0);
  assert.ok(reproduction.claims[2].ours.endsWith(`fast − steady ${pp(gap)}`), reproduction.claims[2].ours);
  assert.match(fs.readFileSync(files.summary, 'utf8'), /holds each λ 5 s instead of the paper's 150 s/);
});

// The full runs train each agent with exactly the command that made the shipped one: the plan
// must say what each README's command says and what the agent's own files recorded.

/** The arguments of the `edgegym train` command in a README's "command that made it". */
function readmeCommand(readme: string): Map<string, string | true> {
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const line = block.replace(/\\\n\s*/g, ' ').split('\n').find((l) => / train /.test(l)) ?? '';
  const tokens = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
  const args = new Map<string, string | true>();
  for (let k = tokens.indexOf('train') + 1; k < tokens.length; k++) {
    const next = tokens[k + 1];
    if (next === undefined || next.startsWith('--')) args.set(tokens[k], true);
    else args.set(tokens[k], tokens[++k]);
  }
  return args;
}

/** The CLI's flags as train() options. */
function recipeOf(args: Map<string, string | true>): Record<string, unknown> {
  const num = (flag: string): number | undefined => (args.has(flag) ? Number(args.get(flag)) : undefined);
  const hyper = {
    numSteps: num('--num-steps'), numMinibatches: num('--minibatches'), updateEpochs: num('--epochs'), gamma: num('--gamma'), gaeLambda: num('--gae-lambda'),
    learningRate: num('--lr'), entCoef: num('--ent-coef'), normObs: args.has('--norm-obs') ? true : undefined,
  };
  const recipe = {
    env: args.get('--env'), algo: args.get('--algo'), steps: num('--steps'), numEnvs: num('--num-envs'), seed: num('--seed'),
    kwargs: args.has('--kwargs') ? JSON.parse(args.get('--kwargs') as string) : undefined, vectorizationMode: args.get('--vectorization'), workers: num('--workers'), checkpointEvery: num('--checkpoint-every'),
    hyper: Object.fromEntries(Object.entries(hyper).filter(([, v]) => v !== undefined)),
  };
  return Object.fromEntries(Object.entries(recipe).filter(([, v]) => v !== undefined));
}

test('the training plan is the command in each shipped agent\'s README and what its files recorded', () => {
  assert.deepEqual(Object.keys(TRAINING_PLAN).sort(), ['aset-ppo', 'ecsrl-a2c', 'placement-ppo']);
  assert.deepEqual(EXPERIMENTS.map((e) => AGENT_OF[e]), ['ecsrl-a2c', 'placement-ppo', 'aset-ppo', 'aset-ppo']);
  for (const [name, recipe] of Object.entries(TRAINING_PLAN)) {
    const dir = pretrainedDir(name);
    const args = readmeCommand(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'));
    assert.deepEqual(recipeOf(args), { ...recipe }, `${name}: README command`);
    // policy.json: env, algorithm and every hyper-parameter the trainer ran with.
    const policyFile = fs.existsSync(path.join(dir, 'policy.json')) ? path.join(dir, 'policy.json') : path.join(dir, 'policy', 'policy.json');
    const policy = JSON.parse(fs.readFileSync(policyFile, 'utf8'));
    assert.equal(policy.envId, recipe.env, name);
    assert.equal(policy.algo, recipe.algo, name);
    assert.deepEqual(policy.config, { ...trainDefaults(recipe.algo as Algo), ...recipe.hyper, totalTimesteps: recipe.steps, seed: recipe.seed }, `${name}: hyper-parameters`);
    const numEnvs = recipe.numEnvs ?? DEFAULT_NUM_ENVS[recipe.algo as Algo];
    if (policy.numEnvs !== undefined) assert.equal(policy.numEnvs, numEnvs, name);
    if (policy.seed !== undefined) assert.equal(policy.seed, recipe.seed, name);
    if (policy.envKwargs !== undefined) assert.deepEqual(policy.envKwargs, recipe.kwargs ?? {}, name);
    // run.json, where the run's summary was shipped too.
    const runFile = path.join(dir, 'run.json');
    if (fs.existsSync(runFile)) {
      const run = JSON.parse(fs.readFileSync(runFile, 'utf8'));
      assert.deepEqual({ env: run.env, algo: run.algo, seed: run.seed, numEnvs: run.numEnvs, steps: run.steps, kwargs: run.kwargs }, { env: recipe.env, algo: recipe.algo, seed: recipe.seed, numEnvs, steps: recipe.steps, kwargs: recipe.kwargs ?? {} }, name);
      assert.deepEqual(run.config, policy.config, name);
    }
  }
});
