// Creating output folders without Node's `mkdir({ recursive: true })`, which loops forever where a
// parent answers ENOENT to mkdir though it exists (/proc, some FUSE mounts): `--out /proc/nope/x` hung.

import fs from 'node:fs';
import path from 'node:path';

/** A folder that could not be made; the message names the folder asked for and the step that failed. */
export class MakeDirError extends Error {
  override name = 'MakeDirError';
  constructor(
    readonly dir: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `dir` and its missing parents, one level at a time, so every failure ends in a one-line error. */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; ) {
    const problem = existingFolder(at);
    if (problem === null) break;
    if (problem !== 'ENOENT') throw new MakeDirError(dir, problem, `cannot create folder ${dir}: ${describe(at, problem)}`);
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      if (code === 'EEXIST' && existingFolder(d) === null) continue;
      throw new MakeDirError(dir, code, `cannot create folder ${dir}: ${describe(d, code, path.dirname(d))}`);
    }
  }
}

/** null when `at` is a folder, else why not: ENOENT (absent), ENOTDIR (a file on the way) or the stat error. */
function existingFolder(at: string): string | null {
  try {
    return fs.statSync(at).isDirectory() ? null : 'ENOTDIR';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EIO';
  }
}

function describe(at: string, code: string, parent?: string): string {
  switch (code) {
    case 'ENOTDIR':
      return `${firstFile(at)} is a file, not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to create ${at}`;
    case 'EROFS':
      return `${at} is on a read-only file system`;
    case 'ENOENT':
      return `${parent ?? path.dirname(at)} does not allow folders to be created in it`;
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return `${at}: ${code}`;
  }
}

/** The first path component of `at` that exists and is not a folder. */
function firstFile(at: string): string {
  const parts = path.resolve(at).split(path.sep);
  for (let i = 2; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join(path.sep) || path.sep;
    try {
      if (!fs.statSync(prefix).isDirectory()) return prefix;
    } catch {
      return prefix;
    }
  }
  return at;
}
