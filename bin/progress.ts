// Progress of long CLI work: a cli-progress bar with rate and ETA on a terminal, plain periodic
// lines when stderr is a pipe or a file (CI logs, `2> log`), where a redrawn bar would be noise.

import cliProgress from 'cli-progress';

export interface ProgressOptions {
  /** What is being counted, e.g. 'train', 'eval'. */
  label: string;
  total: number;
  /** Plural unit of `total`, e.g. 'steps', 'episodes'. */
  unit: string;
  /** Units already done before this process started (a resumed run), where the bar starts. */
  initial?: number;
  /** Where it goes (default stderr, so stdout stays the result: a table or JSON). */
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when not on a terminal (default 5; the last one always prints). */
  plainEverySeconds?: number;
  /** Force the plain lines (default: when `stream` is not a TTY). */
  plain?: boolean;
  /** No output at all (e.g. --json or --quiet). */
  silent?: boolean;
  /** Show the rate and ETA (default true); stages of very unequal length show the time elapsed instead. */
  rate?: boolean;
}

/** One bar for one job: `update` as work completes, `note` for a line above it, `stop` once. */
export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly bar: cliProgress.SingleBar | null;
  private first: { done: number; at: number } | null = null;
  private readonly created = performance.now();
  private lastPlain = -Infinity;
  private printed = -1;
  private lastDetail = '';
  private done = 0;
  private stopped = false;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    const plain = options.plain ?? !this.stream.isTTY;
    if (options.silent === true || plain) {
      this.bar = null;
      return;
    }
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.stream,
        format: options.rate === false
          ? `${options.label} {bar} {value}/{total} ${options.unit} | {duration_formatted} | {detail}`
          : `${options.label} {bar} {percentage}% | {value}/{total} ${options.unit} | {rate} ${options.unit}/s | ETA {eta_formatted} | {detail}`,
        barsize: 24,
        hideCursor: true,
        // Node's stream may be a pipe that claims a TTY; never leave a half-drawn bar behind.
        clearOnComplete: false,
        etaBuffer: 20,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(options.total, options.initial ?? 0, { rate: '-', detail: '' });
  }

  /** `done` units finished so far; `detail` a short text after the numbers (e.g. the mean return). */
  update(done: number, detail = ''): void {
    if (this.stopped || this.options.silent === true) return;
    this.done = done;
    this.lastDetail = detail;
    // The rate counts from the first update on: start-up (imports, a backend, the first reset) is not work done.
    this.first ??= { done, at: performance.now() };
    const seconds = (performance.now() - this.first.at) / 1000;
    const rate = seconds > 0 ? (done - this.first.done) / seconds : 0;
    if (this.bar !== null) {
      this.bar.update(done, { rate: rate > 0 ? formatRate(rate) : '-', detail });
      return;
    }
    const now = performance.now();
    const finished = done >= this.options.total;
    if (!finished && now - this.lastPlain < (this.options.plainEverySeconds ?? 5) * 1000) return;
    this.lastPlain = now;
    this.printed = done;
    const tail = detail === '' ? '' : ` | ${detail}`;
    if (this.options.rate === false) {
      this.stream.write(`${this.options.label} ${done}/${this.options.total} ${this.options.unit} | ${formatSeconds((performance.now() - this.created) / 1000)}${tail}\n`);
      return;
    }
    const eta = rate > 0 && !finished ? ` | ETA ${formatSeconds((this.options.total - done) / rate)}` : '';
    const pct = Math.floor((100 * done) / this.options.total);
    this.stream.write(`${this.options.label} ${String(pct).padStart(3)}% | ${done}/${this.options.total} ${this.options.unit} | ${rate > 0 ? formatRate(rate) : '-'} ${this.options.unit}/s${eta}${tail}\n`);
  }

  /** A line of its own (a warning, a checkpoint written), printed above the bar. */
  note(line: string): void {
    if (this.options.silent === true) return;
    if (this.bar === null || this.stopped) {
      this.stream.write(`${line}\n`);
      return;
    }
    // cli-progress has no "log above": clear the bar's line, print, redraw.
    this.stream.write(`\r\x1b[2K${line}\n`);
    (this.bar as unknown as { render(): void }).render();
  }

  /** Ends the bar (idempotent); the plain form prints its final line if the last update did not. */
  stop(): void {
    if (this.stopped) return;
    if (this.bar === null && this.first !== null && this.printed !== this.done && this.options.silent !== true) {
      this.lastPlain = -Infinity;
      this.update(this.done, this.lastDetail);
    }
    this.stopped = true;
    this.bar?.stop();
  }

  /** Units finished at the last update. */
  get completed(): number {
    return this.done;
  }
}

function formatRate(rate: number): string {
  if (rate >= 100) return String(Math.round(rate));
  if (rate >= 10) return rate.toFixed(1);
  return rate.toFixed(2);
}

/** 75 → "1 min 15 s", 4000 → "1 h 07 min". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
