// Output folders: made level by level, so a parent that refuses mkdir (/proc) or a file on the
// way is a one-line error naming the folder, where Node's recursive mkdir loops forever on /proc.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MakeDirError, makeDirs } from '../../src/make-dirs.js';

test('makes missing parents, and an existing folder is fine', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-dirs-'));
  try {
    const deep = path.join(root, 'a', 'b', 'c');
    makeDirs(deep);
    assert.ok(fs.statSync(deep).isDirectory());
    makeDirs(deep);
    makeDirs(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a file on the way names the file', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-dirs-'));
  try {
    fs.writeFileSync(path.join(root, 'f'), 'x');
    const target = path.join(root, 'f', 'g', 'h');
    assert.throws(() => makeDirs(target), (err: unknown) => err instanceof MakeDirError && err.message === `cannot create folder ${target}: ${path.join(root, 'f')} is a file, not a folder`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a parent that refuses mkdir (/proc) is an error, not a hang', { skip: !fs.existsSync('/proc/self') }, () => {
  assert.throws(() => makeDirs('/proc/nope/x'), { message: 'cannot create folder /proc/nope/x: /proc does not allow folders to be created in it' });
});
