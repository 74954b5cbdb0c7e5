// A training run's folder: refusing to overwrite one by accident, finding the run a checkpoint
// belongs to, and the metrics CSVs, appended row by row and trimmed back to a resumed checkpoint.

import fs from 'node:fs';
import path from 'node:path';
import { CHECKPOINTS, listCheckpoints } from '../agents/checkpoint-folder.js';
import { makeDirs } from '../src/make-dirs.js';

/** A mistake in how a run was asked for (a CLI turns it into a usage error). */
export class TrainOptionsError extends RangeError {
  override name = 'TrainOptionsError';
}

/** The files a run writes into its folder; `--force` removes exactly these. */
const RUN_FILES = ['run.json', 'metrics.csv', 'episodes.csv', 'policy', CHECKPOINTS];

/**
 * Makes `out` ready for a new run. A folder that already holds a run is refused unless
 * `resuming` (the run continues in it) or `force` (its run files are removed first).
 */
export function prepareRunFolder(out: string, { resuming, force }: { resuming: boolean; force: boolean }): void {
  const present = RUN_FILES.filter((f) => fs.existsSync(path.join(out, f)));
  if (present.length > 0 && !resuming) {
    if (!force) throw new TrainOptionsError(`${out} already holds a run (${present.join(', ')}); pass --resume ${out} to continue it, or --force to start over and delete it`);
    for (const f of present) fs.rmSync(path.join(out, f), { recursive: true, force: true });
  }
  makeDirs(out);
}

/**
 * Removes what a run folder holds past global step `step` (checkpoints, and a policy/ saved
 * later): a run resumed from an older checkpoint replaces that future, and a later --resume must
 * not pick it up.
 */
export function dropAfter(out: string, step: number, stepOf: (dir: string) => number): void {
  const later = listCheckpoints(out).filter((c) => c.step > step).map((c) => c.dir);
  const policy = path.join(out, 'policy');
  if (fs.existsSync(policy) && stepOf(policy) > step) later.push(policy);
  for (const dir of later) {
    const trash = path.join(path.dirname(dir), `.trash-${path.basename(dir)}-${process.pid}`);
    fs.renameSync(dir, trash);
    fs.rmSync(trash, { recursive: true, force: true });
  }
}

/**
 * What a run was asked to do beyond its hyper-parameters (which its checkpoints hold): how often
 * to checkpoint, how many to keep, where its step log goes. Kept in run.json from the start, so
 * `--resume` carries them on even for a run that never finished.
 */
export interface RunSettings {
  checkpointEvery: number;
  keep: number;
  /** The step log's directory: relative to the run folder when inside it (so the folder can move), else absolute; null: none. */
  replay: string | null;
}

const RUN_JSON = 'run.json';

/** The settings recorded in `out`'s run.json; a run written before they were recorded gives {}. */
export function readRunSettings(out: string): Partial<RunSettings> {
  const file = path.join(out, RUN_JSON);
  if (!fs.existsSync(file)) return {};
  let run: { settings?: Partial<RunSettings> };
  try {
    run = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof run;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message}); the run folder is damaged`);
  }
  const settings = run.settings ?? {};
  return { ...settings, ...(typeof settings.replay === 'string' ? { replay: path.resolve(out, settings.replay) } : {}) };
}

/** Records `settings` in `out`'s run.json, keeping what else it holds (the summary of a finished part). */
export function writeRunSettings(out: string, settings: RunSettings, extra: object = {}): void {
  const file = path.join(out, RUN_JSON);
  let previous: object = {};
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
  } catch {
    // a new run, or a run.json too damaged to keep: the settings start it afresh
  }
  const inside = settings.replay === null ? null : path.relative(out, path.resolve(settings.replay));
  const replay = inside === null ? null : inside.startsWith('..') || path.isAbsolute(inside) ? path.resolve(settings.replay as string) : inside;
  writeAtomically(file, `${JSON.stringify({ ...previous, ...extra, settings: { ...settings, replay } }, null, 2)}\n`);
}

/** The run folder a checkpoint folder belongs to: `<run>/checkpoints/step-k` and `<run>/policy` → `<run>`. */
export function runFolderOf(checkpoint: string): string {
  const parent = path.dirname(checkpoint);
  if (path.basename(parent) === CHECKPOINTS) return path.dirname(parent);
  if (path.basename(checkpoint) === 'policy') return parent;
  return checkpoint;
}

/**
 * Appends CSV rows line by line, so a crashed run keeps every finished update. With `keep`, an
 * existing file is continued: its rows for which `keep(row)` is false (written after the
 * checkpoint a run resumes from) are dropped first, so no update appears twice.
 */
export class CsvWriter {
  private readonly fd: number;

  constructor(file: string, columns: readonly string[], keep?: (row: number[]) => boolean) {
    const header = columns.join(',');
    if (keep !== undefined && fs.existsSync(file)) {
      const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
      const rows = lines.slice(1).filter((l) => keep(l.split(',').map(Number)));
      fs.writeFileSync(file, [header, ...rows].map((l) => `${l}\n`).join(''));
      this.fd = fs.openSync(file, 'a');
      return;
    }
    this.fd = fs.openSync(file, 'w');
    fs.writeSync(this.fd, `${header}\n`);
  }

  row(values: readonly number[]): void {
    fs.writeSync(this.fd, `${values.map((v) => (Number.isFinite(v) ? String(Number.isInteger(v) ? v : Number(v.toPrecision(7))) : '')).join(',')}\n`);
  }

  close(): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

/** Writes `text` to `file` through a temporary file and a rename. */
export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
