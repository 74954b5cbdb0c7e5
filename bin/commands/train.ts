// `edgegym train`: PPO or A2C on a registered env; metrics CSVs, checkpoints and the policy go into
// --out; --resume continues a stopped run.

import type { Argv, CommandModule } from 'yargs';
import { BACKEND_REQUESTS, type BackendRequest } from '../../agents/backend.js';
import { DEFAULT_NUM_ENVS, PPO_PRESETS, type TrainProgress, type TrainSummary, train } from '../../jobs/train.js';
import { type ArgsOf, checkNumber, edgeOnly, parseKwargs, parseNumberList } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { printJson } from '../json-output.js';
import { Progress } from '../progress.js';

function builder(y: Argv) {
  return y
    .option('env', { type: 'string', defaultDescription: 'CartPole-v1', describe: 'registered env id' })
    .option('algo', { choices: ['ppo', 'a2c'] as const, defaultDescription: 'ppo' })
    .option('steps', { type: 'number', defaultDescription: '100000', describe: "total env steps, all sub-envs counted (on --resume: the run's total, or more to extend it)" })
    .option('num-envs', { type: 'number', describe: `sub-envs (default: ppo ${DEFAULT_NUM_ENVS.ppo}, a2c ${DEFAULT_NUM_ENVS.a2c}, or the preset's)` })
    .option('seed', { type: 'number', defaultDescription: '1' })
    .option('out', { type: 'string', describe: 'run folder: metrics.csv, episodes.csv, run.json, checkpoints/, policy/ (on --resume: the run resumed)' })
    .option('checkpoint-every', { type: 'number', defaultDescription: "0, on --resume the run's", describe: 'write <out>/checkpoints/step-<k>/ every N updates (0: only at the end); Ctrl-C writes one too' })
    .option('keep', { type: 'number', defaultDescription: "3, on --resume the run's", describe: 'checkpoints kept; older ones are deleted' })
    .option('resume', { type: 'string', describe: "continue a run: its folder (newest checkpoint) or one checkpoint folder. The run keeps its settings, --checkpoint-every, --keep and step log (appended to) included; only --steps (above the steps done), --out, --checkpoint-every, --keep, --replay and --workers may be given again" })
    .option('force', { type: 'boolean', default: false, describe: 'start over in an --out that already holds a run, deleting it' })
    .option('backend', { choices: BACKEND_REQUESTS, default: 'auto' as BackendRequest, describe: 'tensor backend; auto tries tensorflow-gpu, tensorflow, wasm, cpu' })
    .option('preset', { choices: Object.keys(PPO_PRESETS), describe: 'PPO hyper-parameter set (cleanrl = the defaults; rl-zoo = tuned for CartPole)' })
    .option('kwargs', { type: 'string', describe: 'env kwargs as JSON, e.g. \'{"rate":60}\'' })
    .option('vectorization', { choices: ['vector-entry-point', 'sync', 'async'] as const, describe: "how sub-envs run (default: the env's native vector, else sync; async = worker threads)" })
    .option('workers', { type: 'number', describe: 'async: worker threads the sub-envs share (default: cores − 1); speed only, results are the same' })
    .option('lr', { type: 'number', describe: 'learning rate (ppo 2.5e-4, a2c 7e-4)' })
    .option('num-steps', { type: 'number', describe: 'steps per sub-env per rollout (ppo 128, a2c 5)' })
    .option('minibatches', { type: 'number', describe: 'ppo: minibatches per epoch (4)' })
    .option('epochs', { type: 'number', describe: 'ppo: epochs per update (4)' })
    .option('gamma', { type: 'number', describe: 'discount (0.99)' })
    .option('gae-lambda', { type: 'number', describe: 'GAE λ (ppo 0.95, a2c 1)' })
    .option('clip-coef', { type: 'number', describe: 'ppo: surrogate clip ε (0.2)' })
    .option('ent-coef', { type: 'number', describe: 'entropy coefficient (ppo 0.01, a2c 0)' })
    .option('vf-coef', { type: 'number', describe: 'value loss coefficient (0.5)' })
    .option('max-grad-norm', { type: 'number', describe: 'global gradient clipping (0.5)' })
    .option('target-kl', { type: 'number', describe: 'ppo: stop an update early past this approx-KL' })
    .option('hidden', { type: 'string', describe: 'hidden widths, e.g. 64,64' })
    .option('shared', { type: 'boolean', describe: 'one body for actor and critic' })
    .option('norm-obs', { type: 'boolean', describe: 'normalise observations (statistics saved with the policy)' })
    .option('anneal-lr', { type: 'boolean', describe: 'anneal the learning rate linearly to 0 (ppo: on)' })
    .option('optimizer', { choices: ['rmsprop', 'adam'] as const, describe: 'a2c: optimiser (rmsprop)' })
    .option('replay', { type: 'string', describe: "write a step log (Arrow) of every sub-env into this directory (on --resume: the run's log goes on without it)" })
    .option('events', { type: 'string', describe: 'EdgeSched envs: write the simulator query log (Arrow) into this directory' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar or lines' })
    .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
    .epilog(
      formatExamples([
        ['edgegym train --env CartPole-v1 --algo ppo --preset rl-zoo --steps 100000 --out runs/cartpole --replay runs/cartpole/replay', 'solve CartPole in about 10 s; the policy goes into runs/cartpole/policy, every step into the log runs/cartpole/replay'],
        ['edgegym train --env EdgeSched/Dispatch-v0 --algo a2c --steps 400000 --norm-obs --out runs/dispatch', 'an ECSRL dispatcher'],
        ['edgegym train --steps 200000 --out runs/cp --checkpoint-every 10 --keep 3', 'checkpoint every 10 updates, keep the last 3'],
        ['edgegym train --resume runs/cp --steps 400000', 'continue runs/cp from its newest checkpoint to 400000 steps, checkpointing as before'],
      ]),
    )
    .check((argv) => {
      checkNumber('--checkpoint-every', argv['checkpoint-every'], { integer: true, min: 0 });
      checkNumber('--keep', argv.keep, { integer: true, min: 1 });
      return true;
    });
}

type Args = ArgsOf<typeof builder>;

function whereSaved(s: TrainSummary): string {
  if (s.interrupted !== null) return s.checkpoint === null ? `stopped by ${s.interrupted}; nothing was saved (no --out)` : `stopped by ${s.interrupted}; checkpoint ${s.checkpoint}; continue with: edgegym train --resume ${s.out}`;
  return s.policy === null ? 'the policy was not saved (no --out)' : `policy saved to ${s.policy}`;
}

export const trainCommand: CommandModule<object, Args> = {
  command: 'train',
  describe: 'train a PPO or A2C agent on a registered env; writes metrics CSVs, a TensorBoard event file and the agent into --out',
  builder,
  handler: async (argv) => {
    // Values yargs cannot check by type: a negative rate or a fractional step count is a usage error.
    checkNumber('--steps', argv.steps, { integer: true, min: 1 });
    checkNumber('--num-envs', argv.numEnvs, { integer: true, min: 1 });
    checkNumber('--workers', argv.workers, { integer: true, min: 1 });
    checkNumber('--seed', argv.seed, { integer: true, min: 0 });
    checkNumber('--lr', argv.lr, { greaterThan: 0 });
    checkNumber('--num-steps', argv.numSteps, { integer: true, min: 1 });
    checkNumber('--minibatches', argv.minibatches, { integer: true, min: 1 });
    checkNumber('--epochs', argv.epochs, { integer: true, min: 1 });
    checkNumber('--gamma', argv.gamma, { min: 0, max: 1 });
    checkNumber('--gae-lambda', argv.gaeLambda, { min: 0, max: 1 });
    checkNumber('--clip-coef', argv.clipCoef, { greaterThan: 0 });
    checkNumber('--ent-coef', argv.entCoef, { min: 0 });
    checkNumber('--vf-coef', argv.vfCoef, { min: 0 });
    checkNumber('--max-grad-norm', argv.maxGradNorm, { greaterThan: 0 });
    checkNumber('--target-kl', argv.targetKl, { greaterThan: 0 });
    const hyper = Object.fromEntries(
      Object.entries({
        learningRate: argv.lr, numSteps: argv.numSteps, numMinibatches: argv.minibatches, updateEpochs: argv.epochs, gamma: argv.gamma, gaeLambda: argv.gaeLambda,
        clipCoef: argv.clipCoef, entCoef: argv.entCoef, vfCoef: argv.vfCoef, maxGradNorm: argv.maxGradNorm, targetKl: argv.targetKl,
        hidden: parseNumberList('--hidden', argv.hidden, { integer: true, min: 1 }), sharedNetwork: argv.shared, normObs: argv.normObs, annealLr: argv.annealLr, optimizer: argv.optimizer,
      }).filter(([, v]) => v !== undefined),
    );
    // The bar (or, off a terminal, a line every 5 s) goes to stderr; notes are printed above it.
    let bar: Progress | null = null;
    const onProgress = (p: TrainProgress): void => {
      bar ??= new Progress({ label: 'train', total: p.total, unit: 'steps', initial: p.startStep });
      bar.update(p.step, p.detail);
    };
    const note = (line: string): void => (bar === null ? console.error(line) : bar.note(line));
    let summary: TrainSummary;
    try {
      summary = await train({
        env: argv.env, algo: argv.algo, steps: argv.steps, numEnvs: argv.numEnvs, seed: argv.seed, out: argv.resume !== undefined && argv.out === undefined ? undefined : (argv.out ?? null), backend: argv.backend,
        preset: argv.preset, hyper, vectorizationMode: argv.vectorization, workers: argv.workers, kwargs: argv.kwargs === undefined ? undefined : parseKwargs(argv.kwargs),
        checkpointEvery: argv.checkpointEvery, keep: argv.keep, resume: argv.resume, force: argv.force, handleSignals: true,
        replay: argv.replay, events: argv.env === undefined ? argv.events : edgeOnly(argv.events, argv.env),
        log: argv.quiet ? undefined : note,
        onProgress: argv.quiet ? undefined : onProgress,
      });
    } finally {
      (bar as Progress | null)?.stop();
    }
    if (argv.json) printJson(summary);
    else console.log(`${summary.algo} on ${summary.env}, seed ${summary.seed}, ${summary.backend}: ${summary.steps} steps in ${summary.trainSeconds.toFixed(1)} s (${Math.round(summary.stepsPerSecond)} steps/s); mean return of the last 20 episodes ${summary.meanReturnLast20.toFixed(1)}; ${whereSaved(summary)}`);
    // Stopped by a signal: the conventional 128 + signal number.
    if (summary.interrupted !== null) process.exitCode = summary.interrupted === 'SIGINT' ? 130 : 143;
  },
};
