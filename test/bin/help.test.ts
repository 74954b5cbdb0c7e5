// `--help` in subprocesses: it fits the width it is given without breaking a word or a path, and
// the examples of train → export → replay → benchmark, run in order, only read what an earlier
// example wrote (checked on the paths, without running the training).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const CLI = fileURLToPath(new URL('../../bin/edgegym.js', import.meta.url));
const CHAIN = ['train', 'export', 'replay', 'benchmark'];

async function help(command: string, columns: number): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, command, '--help'], { env: { ...process.env, COLUMNS: String(columns) } });
  return stdout;
}

/** The examples of a help text: [description, command line], continuation lines joined. */
function examples(text: string): [string, string][] {
  const section = text.slice(text.indexOf('\nExamples:\n') + '\nExamples:\n'.length);
  return section.trimEnd().split('\n\n').map((block) => {
    const lines = block.split('\n');
    const description = lines.filter((l) => l.startsWith('  # ')).map((l) => l.slice(4)).join(' ');
    const command = lines.filter((l) => !l.startsWith('  # ')).map((l) => l.trim().replace(/ \\$/, '')).join(' ');
    return [description, command];
  });
}

/** Shell words with their quotes removed. */
function words(command: string): string[] {
  return (command.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? []).map((w) => w.replace(/^'(.*)'$/s, '$1'));
}

test('--help fits the width without breaking a word; examples read the same at any width', async () => {
  const texts = await Promise.all(CHAIN.flatMap((c) => [help(c, 72), help(c, 200)]));
  for (let i = 0; i < CHAIN.length; i++) {
    const [narrow, wide] = [texts[2 * i], texts[2 * i + 1]];
    for (const line of narrow.split('\n')) assert.ok(line.length <= 72, `${CHAIN[i]} --help, ${line.length} columns: ${line}`);
    // The same words at both widths (but the `#` and `\` that start and end wrapped lines of an
    // example): no word, path or value was cut in two. yargs' layout may set a type tag such as
    // [boolean] right after a description that fills its line: it is split off first.
    const bag = (t: string): string[] => t.replace(/(\S)\[/g, '$1 [').split(/\s+/).filter((w) => !['', '\\', '#'].includes(w)).sort();
    assert.deepEqual(bag(narrow), bag(wide), `${CHAIN[i]} --help`);
    assert.deepEqual(examples(narrow), examples(wide), `${CHAIN[i]} --help examples`);
    assert.ok(examples(narrow).length >= 2 && examples(narrow).every(([d, c]) => d !== '' && c.startsWith(`edgegym ${CHAIN[i]} `)), CHAIN[i]);
  }
});

// A module the user writes themselves (the README shows fastest.mjs): no example can write it.
const USER_FILES = new Set(['./fastest.mjs']);

test('the examples of train → export → replay → benchmark, in order, read only what an earlier one wrote', async () => {
  const written = new Set<string>();
  const read: string[] = [];
  for (const command of CHAIN) {
    for (const [, line] of examples(await help(command, 100))) {
      for (const part of line.split(' && ')) {
        const [, name, ...args] = words(part);
        const flag = (f: string): string | undefined => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);
        const positional = args.find((a, k) => !a.startsWith('-') && (k === 0 || !args[k - 1].startsWith('--')));
        const reads: (string | undefined)[] = [];
        if (name === 'train') {
          reads.push(flag('--resume'));
          const out = flag('--out');
          if (out !== undefined) written.add(out);
          if (flag('--replay') !== undefined) written.add(flag('--replay')!);
        } else if (name === 'export') {
          reads.push(positional);
          written.add(flag('--out')!);
        } else if (name === 'replay') {
          reads.push(positional);
          if (flag('--to-minari') !== undefined) written.add(flag('--to-minari')!);
        } else if (name === 'benchmark') {
          const policies = flag('--policies')!.split(',');
          reads.push(...policies.filter((p) => p.includes('/') || /\.(?:onnx|m?js)$/.test(p)));
          const out = flag('--out') ?? 'runs/benchmark';
          written.add(out);
          if (args.includes('--replay')) for (const p of policies) written.add(`${out}/replay/${p}`);
        }
        for (const p of reads) {
          if (p === undefined) continue;
          read.push(p);
          assert.ok(written.has(p) || USER_FILES.has(p), `${part}: reads ${p}, which no earlier example writes (they write ${[...written].join(', ')})`);
        }
      }
    }
  }
  // The chain is there to be followed: each step reads what the one before wrote.
  for (const p of ['runs/cartpole', 'runs/cartpole/replay', 'runs/cartpole/policy.onnx', 'runs/cp']) assert.ok(read.includes(p), `an example reads ${p}`);
});
