// Checkpoint folders on disk: writing one atomically (temporary folder, fsync, rename), keeping
// the last K of a run's `checkpoints/step-<k>/`, and finding the newest complete one to resume.

import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from '../src/make-dirs.js';

/** A checkpoint folder of a run: `<run>/checkpoints/step-<global step>`. */
export const CHECKPOINTS = 'checkpoints';
const STEP = /^step-(\d+)$/;

/**
 * Writes `files` (name → bytes or text) as the folder `dir`. Every file is written and fsynced in
 * a fresh sibling folder, which is fsynced and renamed into place, then the parent is fsynced:
 * a crash at any moment leaves either the old folder or the new one under `dir`, never a part.
 * (Replacing an existing folder takes two renames: in between, `dir` is briefly absent and the
 * old copy sits beside it as `.<name>.old-<pid>`.)
 */
export function writeFolderAtomically(dir: string, files: ReadonlyMap<string, Uint8Array | string>): void {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  makeDirs(parent);
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    for (const [name, data] of files) {
      const fd = fs.openSync(path.join(tmp, name), 'w');
      try {
        fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    fsyncDir(tmp);
    if (fs.existsSync(target)) {
      const old = path.join(parent, `.${path.basename(target)}.old-${process.pid}`);
      fs.rmSync(old, { recursive: true, force: true });
      fs.renameSync(target, old);
      fs.renameSync(tmp, target);
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, target);
    }
    fsyncDir(parent);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * writeFolderAtomically with the writes and fsyncs on libuv's thread pool, so a training loop
 * goes on with the next update while the disk catches up. Same steps, same guarantees.
 */
export async function writeFolderAtomicallyAsync(dir: string, files: ReadonlyMap<string, Uint8Array | string>): Promise<void> {
  const fsp = fs.promises;
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  makeDirs(parent);
  const tmp = await fsp.mkdtemp(path.join(parent, `.${path.basename(target)}.tmp-`));
  const sync = async (p: string, flags: string): Promise<void> => {
    const handle = await fsp.open(p, flags);
    try {
      await handle.sync().catch(() => {}); // directories: see fsyncDir
    } finally {
      await handle.close();
    }
  };
  try {
    await Promise.all(
      [...files].map(async ([name, data]) => {
        const handle = await fsp.open(path.join(tmp, name), 'w');
        try {
          await handle.writeFile(typeof data === 'string' ? Buffer.from(data) : data);
          await handle.sync();
        } finally {
          await handle.close();
        }
      }),
    );
    await sync(tmp, 'r');
    if (fs.existsSync(target)) {
      const old = path.join(parent, `.${path.basename(target)}.old-${process.pid}`);
      await fsp.rm(old, { recursive: true, force: true });
      await fsp.rename(target, old);
      await fsp.rename(tmp, target);
      await fsp.rm(old, { recursive: true, force: true });
    } else {
      await fsp.rename(tmp, target);
    }
    await sync(parent, 'r');
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

function fsyncDir(dir: string): void {
  // Makes the folder's entries (a rename into it) durable; some file systems refuse, harmlessly.
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } catch {
    // EINVAL/EPERM on file systems without directory fsync: the rename is still atomic.
  } finally {
    fs.closeSync(fd);
  }
}

/** The step-<k> folders under `<run>/checkpoints`, oldest first. */
export function listCheckpoints(runDir: string): { step: number; dir: string }[] {
  const root = path.join(runDir, CHECKPOINTS);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .map((name) => ({ name, match: STEP.exec(name) }))
    .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
    .map((e) => ({ step: Number(e.match[1]), dir: path.join(root, e.name) }))
    .sort((a, b) => a.step - b.step);
}

/** Where the checkpoint of global step `step` goes. */
export function checkpointDir(runDir: string, step: number): string {
  return path.join(runDir, CHECKPOINTS, `step-${step}`);
}

/**
 * Deletes all but the newest `keep` checkpoints, and temporary folders a killed save left. Each
 * goes by a rename first, so a kill while deleting never leaves a half folder named step-<k>.
 */
export function pruneCheckpoints(runDir: string, keep: number): void {
  const root = path.join(runDir, CHECKPOINTS);
  if (!fs.existsSync(root)) return;
  const all = listCheckpoints(runDir);
  const doomed = all.slice(0, Math.max(0, all.length - keep)).map((c) => c.dir);
  // Saves run one at a time, so any temporary folder here is a killed save's (or delete's) remains.
  for (const name of fs.readdirSync(root)) if (/^\.(step-\d+\.(tmp|old)-|trash-)/.test(name)) doomed.push(path.join(root, name));
  for (const dir of doomed) {
    const trash = path.join(root, `.trash-${path.basename(dir)}-${process.pid}`);
    fs.renameSync(dir, trash);
    fs.rmSync(trash, { recursive: true, force: true });
  }
}

/**
 * The checkpoint folder `target` names: itself when it holds a policy.json, else the newest of a
 * run folder's `checkpoints/step-<k>/` and `policy/` (by the global step its policy.json records).
 * Null when there is none.
 */
export function resolveCheckpoint(target: string, stepOf: (dir: string) => number): string | null {
  if (fs.existsSync(path.join(target, 'policy.json'))) return target;
  const candidates = listCheckpoints(target).map((c) => ({ step: c.step, dir: c.dir }));
  const policy = path.join(target, 'policy');
  if (fs.existsSync(path.join(policy, 'policy.json'))) candidates.push({ step: stepOf(policy), dir: policy });
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (b.step >= a.step ? b : a)).dir;
}
