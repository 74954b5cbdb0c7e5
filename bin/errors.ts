// How the CLI ends when something goes wrong: which exit code an error gets, and the line (or two)
// it prints. Every command ends through here, so the same mistake gets the same code everywhere.
//
// The rule, as in git and cargo:
//   2  the command line is wrong: anything the user typed — an option, its value, an unknown
//      command, env, policy or kwarg, a kwarg of the wrong type, a path that does not exist, a
//      malformed id. Fixing the command fixes it. The first line says what and the fix; a second
//      points to `edgegym <command> --help`.
//   1  the work failed: a run that crashed, a folder that cannot be written, a policy that failed
//      while playing, and a file the user named that exists but is broken (a truncated checkpoint,
//      a malformed scenario, a module that throws on import). The command was right; the file or
//      the run is what needs fixing. One line, no help pointer.
// Lower layers throw their own typed errors and never import this file; the list below decides.

import { KwargError } from '../src/kwargs.js';
import { UnknownEnvError } from '../src/registry.js';
import { UnknownPolicyError } from '../envs/baselines.js';
import { PolicySpecError } from '../jobs/benchmark/policies.js';
import { TrainOptionsError } from '../jobs/run-folder.js';

/** A mistake in how the command was called: the shell prints it in one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Errors of the layers below that mean the user typed something wrong. */
const USAGE_ERRORS: readonly (abstract new (...args: never[]) => Error)[] = [UsageError, KwargError, UnknownEnvError, UnknownPolicyError, PolicySpecError, TrainOptionsError];

/** 2 for a usage error (by class, see the rule above), 1 for anything else. */
export function exitCodeOf(err: unknown): number {
  return USAGE_ERRORS.some((c) => err instanceof c) ? EXIT_USAGE : EXIT_FAILURE;
}

/** The line an error prints after `edgegym: `. */
function lineOf(err: unknown): string {
  if (err instanceof UnknownEnvError) {
    const guess = err.suggestions[0];
    return `unknown env ${JSON.stringify(err.id)}${guess === undefined ? '' : ` (did you mean ${guess}?)`}; \`edgegym envs\` lists the registered ones`;
  }
  const message = err instanceof Error ? err.message : String(err);
  // One line: a multi-line message (a stack-less error from a dependency) keeps its first line.
  return message.split('\n')[0];
}

/** Prints `err` as the CLI's contract says (to stderr) and returns its exit code. */
export function report(err: unknown, command: string | undefined): number {
  const code = exitCodeOf(err);
  console.error(`edgegym: ${lineOf(err)}`);
  if (code === EXIT_USAGE) console.error(helpPointer(command));
  return code;
}

/** The one line that follows a usage error. */
export function helpPointer(command: string | undefined): string {
  return `see 'edgegym ${command === undefined ? '' : `${command} `}--help'`;
}
