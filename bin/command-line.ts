// What the shell adds to yargs so every command keeps the CLI contract: options that take a value
// need one, a negative value stays the value of its option, yargs' own complaints become one line
// with a "did you mean", and --help fits the terminal with examples that are never broken mid-word.

import yargs, { type Argv, type CommandModule } from 'yargs';
import { nearest } from '../src/edit-distance.js';
import { UsageError } from './errors.js';

/** The options a command declares, by kind (yargs' own bookkeeping, which its types leave out). */
interface DeclaredOptions {
  key: Record<string, unknown>;
  string: string[];
  number: string[];
  boolean: string[];
  array: string[];
  choices: Record<string, unknown[]>;
  alias: Record<string, string[]>;
}

function declared(y: Argv): DeclaredOptions {
  return (y as unknown as { getOptions(): DeclaredOptions }).getOptions();
}

/** `replay <dir>` → ['dir']: positionals are not options. */
function positionals(command: string | readonly string[] | undefined): string[] {
  const first = Array.isArray(command) ? command[0] : command;
  return [...String(first ?? '').matchAll(/[<[](\w+)[>\]]/g)].map((m) => m[1]);
}

/** `replay <dir>` → 'replay'. */
export function commandName(command: CommandModule): string {
  const c = command.command;
  return String((Array.isArray(c) ? c[0] : c) ?? '').split(' ')[0];
}

/** Options of a command that take a value, and all its option names, from its builder. */
function optionsOf(command: CommandModule): { valued: string[]; names: string[] } {
  const y = yargs([]);
  if (typeof command.builder === 'function') command.builder(y);
  const o = declared(y);
  const skip = new Set([...positionals(command.command), 'help', 'version']);
  const valued = [...o.string, ...o.number, ...Object.keys(o.choices)].filter((k) => !skip.has(k) && !o.array.includes(k));
  const names = Object.keys(o.key).filter((k) => !skip.has(k));
  return { valued: [...new Set(valued)], names: [...new Set([...names, ...Object.values(o.alias).flat(), 'help'])] };
}

/**
 * The command with every option that takes a value made to require one (yargs would otherwise
 * run `eval --episodes` with the default), except those in `bare`, whose value may be left out.
 */
export function requireValues(command: CommandModule, bare: readonly string[] = []): CommandModule {
  const builder = command.builder;
  if (typeof builder !== 'function') return command;
  return {
    ...command,
    builder: (y: Argv) => {
      const built = (builder(y) ?? y) as Argv;
      const { valued } = optionsOf({ ...command, builder });
      return built.requiresArg(valued.filter((k) => !bare.includes(k)));
    },
  };
}

/**
 * yargs reads `--duration -10s` as `--duration` and the short flags -1 -0 -s. Written as
 * `--duration=-10s` it stays the option's value, so the option's own check can name it.
 */
export function keepNegativeValues(args: readonly string[], commands: readonly CommandModule[]): string[] {
  const command = commandIn(args, commands);
  const valued = command === undefined ? [] : optionsOf(command).valued;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = /^--([\w-]+)$/.exec(args[i]);
    if (flag !== null && valued.includes(flag[1]) && /^-\d/.test(args[i + 1] ?? '')) {
      out.push(`${args[i]}=${args[++i]}`);
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

function commandNames(c: CommandModule): string[] {
  const aliases = Array.isArray(c.command) ? c.command.slice(1) : [];
  return [commandName(c), ...aliases.map(String), ...(Array.isArray(c.aliases) ? c.aliases.map(String) : c.aliases === undefined ? [] : [String(c.aliases)])];
}

/** The command the arguments name (by its first word), if any: for the help pointer. */
export function commandIn(args: readonly string[], commands: readonly CommandModule[]): CommandModule | undefined {
  const word = args.find((a) => !a.startsWith('-'));
  return commands.find((c) => commandNames(c).includes(word ?? ''));
}

/**
 * yargs' validation message as one line a user can act on. `command` is the command being run
 * (undefined at the top level), `args` what was typed.
 */
export function usageErrorOf(message: string, args: readonly string[], commands: readonly CommandModule[], command: CommandModule | undefined): UsageError {
  const options = command === undefined ? ['help', 'version'] : optionsOf(command).names;
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown !== null) {
    const lines = unknown[1].split(', ').map((word) => {
      const typed = args.find((a) => a === `--${word}` || a.startsWith(`--${word}=`) || a === `-${word}`);
      if (typed === undefined && command === undefined) {
        const guess = nearest(word, commands.flatMap(commandNames));
        return `unknown command ${word}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`;
      }
      if (typed === undefined) return `unexpected argument ${JSON.stringify(word)}`;
      const guess = nearest(word, options);
      return `unknown option ${typed.split('=')[0]}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`;
    });
    return new UsageError(lines.join('; '));
  }
  const noValue = /^Not enough arguments following: (.*)$/.exec(message);
  if (noValue !== null) return new UsageError(`--${noValue[1]} needs a value`);
  const missing = /^Missing required arguments?: (.*)$/.exec(message);
  if (missing !== null) return new UsageError(`missing ${missing[1].split(', ').map((k) => `--${k}`).join(' and ')}`);
  const choice = /^Invalid values?:\s+Argument: ([\w-]+), Given: (.*?), Choices: (.*)$/s.exec(message);
  if (choice !== null) {
    const choices = choice[3].split(', ').map((c) => c.replace(/^"|"$/g, ''));
    const given = choice[2].replace(/^"|"$/g, '');
    const guess = nearest(given, choices);
    return new UsageError(`--${choice[1]} must be one of ${choices.join(', ')}, got ${given}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`);
  }
  const positional = /^Not enough non-option arguments: got \d+, need at least \d+$/.exec(message);
  if (positional !== null && command !== undefined) return new UsageError(`missing ${positionals(command.command).map((p) => `<${p}>`).join(' ')}: ${String(command.command)}`);
  return new UsageError(message.split('\n')[0]);
}

/** The width --help uses: the terminal's, else $COLUMNS, else 100. */
export function helpWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns >= 40 ? columns : 100;
}

/** An example of a command: the line a user types (starting with `edgegym`), and what it does. */
export type Example = readonly [command: string, description: string];

/**
 * The "Examples:" section of a command's help: each example's description as a `#` comment, then
 * the command, wrapped to `width` at spaces outside quotes with a trailing ` \` on each broken
 * line, so a copied example still runs and no word or path is ever broken.
 */
export function formatExamples(examples: readonly Example[], width = helpWidth()): string {
  const blocks = examples.map(([command, description]) => [...wrapWords(description, width, '  # '), ...wrapCommand(command, width)].join('\n'));
  return `Examples:\n${blocks.join('\n\n')}`;
}

/** Shell words, keeping a quoted string (which may hold spaces) in one piece, and an option with its value. */
function shellWords(command: string): string[] {
  const words = command.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
  const units: string[] = [];
  for (const w of words) {
    const last = units.at(-1);
    if (last !== undefined && /^--?[a-z]/i.test(last) && !last.includes(' ') && !w.startsWith('-') && w !== '&&') units[units.length - 1] = `${last} ${w}`;
    else units.push(w);
  }
  return units;
}

function wrapCommand(command: string, width: number): string[] {
  const lines: string[] = [];
  let line = ' ';
  for (const word of shellWords(command)) {
    if (line.length + 1 + word.length + 2 > width && line.trim() !== '') {
      lines.push(`${line} \\`);
      line = '     ';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

function wrapWords(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length > width && line !== indent) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines;
}
