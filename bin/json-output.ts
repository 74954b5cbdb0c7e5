// `--json` prints only what the inputs determine, so the same command under the same seed prints
// the same bytes; wall-clock figures a result carries go to stderr, one line, for people.

/** Result fields measured on the clock rather than determined by the inputs. */
const WALL_CLOCK_KEYS: ReadonlySet<string> = new Set(['wallSeconds', 'trainSeconds', 'stepsPerSecond']);

/** Prints `result` as JSON on stdout without its wall-clock fields, and those on stderr. */
export function printJson(result: object): void {
  const timing: string[] = [];
  const text = JSON.stringify(
    result,
    (key, value: unknown) => {
      if (!WALL_CLOCK_KEYS.has(key)) return value;
      if (typeof value === 'number') timing.push(`${key} ${Number(value.toPrecision(4))}`);
      return undefined;
    },
    2,
  );
  console.log(text);
  if (timing.length > 0) console.error(`edgegym: measured on the clock, left out of the JSON: ${timing.join(', ')}`);
}
