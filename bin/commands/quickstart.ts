// `edgegym quickstart` (what `npm start` runs): train an A2C dispatcher on ECSRL's test-bed,
// export it, benchmark it paired against every baseline on held-out seeds, and list the files.

import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { QUICKSTART_ENV, type QuickstartResult, quickstart } from '../../jobs/quickstart.js';
import { formatSummary } from '../../src/stats.js';
import type { TrainProgress } from '../../jobs/train.js';
import { type ArgsOf, checkNumber } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { UsageError } from '../errors.js';
import { Progress } from '../progress.js';

function builder(y: Argv) {
  return y
    .option('out', { type: 'string', default: 'runs/quickstart', describe: 'folder: agent/, benchmark/, replay/, charts/, summary.md' })
    .option('steps', { type: 'number', default: 400_000, describe: 'A2C training steps' })
    .option('seeds', { type: 'number', default: 5, describe: 'held-out evaluation episodes per policy' })
    .option('seed', { type: 'number', default: 1000, describe: 'first held-out seed (training uses seeds below 1000)' })
    .option('force', { type: 'boolean', default: false, describe: 'start over in an --out that holds a previous run' })
    .epilog(
      formatExamples([
        ['edgegym quickstart --force', 'the whole loop in about three minutes on 2 cores'],
        ['edgegym quickstart --steps 100000 --seeds 3 --out runs/qs-short', 'a shorter run (the agent may not beat edge-first yet)'],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const quickstartCommand: CommandModule<object, Args> = {
  command: 'quickstart',
  describe: `train an agent on ${QUICKSTART_ENV} (ecsrl-testbed), export it to ONNX, benchmark it paired against every baseline on held-out seeds`,
  builder,
  handler: async (argv) => {
    checkNumber('--steps', argv.steps, { integer: true, min: 40 });
    checkNumber('--seeds', argv.seeds, { integer: true, min: 2 });
    checkNumber('--seed', argv.seed, { integer: true, min: 0 });
    let bar: Progress | null = null;
    let evalBar: Progress | null = null;
    const note = (line: string): void => (bar === null ? console.error(line) : bar.note(line));
    let result: QuickstartResult;
    try {
      result = await quickstart({
        out: argv.out, steps: argv.steps, seeds: argv.seeds, seed: argv.seed, force: argv.force, log: note,
        onTrainProgress: (p: TrainProgress) => {
          bar ??= new Progress({ label: 'train', total: p.total, unit: 'steps', initial: p.startStep });
          bar.update(p.step, p.detail.split(' | ')[0]);
        },
        onEpisode: (policy, done, total) => {
          bar?.stop();
          evalBar ??= new Progress({ label: 'benchmark', total, unit: 'episodes' });
          evalBar.update(done, policy);
        },
      });
    } catch (err) {
      if (err instanceof RangeError && /--force/.test(err.message)) throw new UsageError(err.message);
      throw err;
    } finally {
      (bar as Progress | null)?.stop();
      (evalBar as Progress | null)?.stop();
    }
    console.log(shortTable(result));
  },
};

/** The few numbers that matter, then where everything is. */
function shortTable(r: QuickstartResult): string {
  const rows = r.benchmark.policies.map((p) => {
    const s = p.summaries;
    const d = p.paired;
    const vs = p.name === r.benchmark.reference ? 'reference' : d === null ? '—' : `${d.mean >= 0 ? '+' : ''}${formatSummary(d, 1)}  (${d.wins}/${d.losses})`;
    return [p.name === r.agent.name ? 'agent (a2c)' : p.name, formatSummary(s.return, 1), pct(s.successRatio?.mean), (s.energyJ?.mean ?? NaN).toFixed(0), vs];
  });
  const head = ['policy', 'return', 'within deadline', 'energy J', `vs ${r.benchmark.reference} (wins/losses)`];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  // Paths as the user would type them, relative to where they ran the command.
  const rel = (p: string): string => path.relative(process.cwd(), p) || '.';
  const f = Object.fromEntries(Object.entries(r.files).map(([k, v]) => [k, typeof v === 'string' ? rel(v) : Array.isArray(v) ? v.map(rel) : v])) as QuickstartResult['files'];
  return [
    '',
    `${r.benchmark.env} (ecsrl-testbed), ${r.benchmark.seeds} held-out seeds from ${r.benchmark.seed}, mean ± 95 % CI:`,
    line(head),
    ...rows.map(line),
    '',
    `summary        ${f.summary}`,
    `policy         ${f.policy}`,
    `checkpoint     ${f.checkpoint ?? '—'}`,
    `onnx           ${f.onnx}`,
    `step logs      ${f.replay}/`,
    `charts         ${f.learningCurve}, and ${f.charts.length} in ${f.charts.length === 0 ? '—' : path.dirname(f.charts[0])}/`,
    `results        ${f.table}, ${f.csv}, ${f.arrow}`,
  ].join('\n');
}

function pct(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)} %`;
}
