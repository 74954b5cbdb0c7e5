// A binary min-heap of simulation events kept in parallel typed arrays: pushing and popping
// allocate nothing (the arrays double when full), and equal times pop in push order, so a run
// is reproducible whatever the heap's internal layout.

/** What `pop` leaves readable until the next pop. */
export interface PoppedEvent {
  time: number;
  kind: number;
  a: number;
  b: number;
}

export class EventQueue implements PoppedEvent {
  /** Fields of the last popped event. */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;

  private times: Float64Array;
  private seqs: Float64Array;
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private count = 0;
  private nextSeq = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.as = new Int32Array(capacity);
    this.bs = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.count === 0 ? Infinity : this.times[0];
  }

  /** Adds an event of `kind` with two integer payloads at `time`. */
  push(time: number, kind: number, a: number, b: number): void {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    // Sift up with a hole: move parents down until the new event's place is found.
    let i = this.count++;
    const { times, seqs } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && seqs[parent] < seq)) break;
      this.move(parent, i);
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    this.kinds[i] = kind;
    this.as[i] = a;
    this.bs[i] = b;
  }

  /** Removes the earliest event into `time`, `kind`, `a`, `b`; false when empty. */
  pop(): boolean {
    if (this.count === 0) return false;
    const { times, seqs } = this;
    this.time = times[0];
    this.kind = this.kinds[0];
    this.a = this.as[0];
    this.b = this.bs[0];
    const last = --this.count;
    if (last === 0) return true;
    const t = times[last];
    const s = seqs[last];
    // Sift the last event down from the root with a hole.
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && (times[right] < times[child] || (times[right] === times[child] && seqs[right] < seqs[child]))) child = right;
      if (t < times[child] || (t === times[child] && s < seqs[child])) break;
      this.move(child, i);
      i = child;
    }
    times[i] = t;
    seqs[i] = s;
    this.kinds[i] = this.kinds[last];
    this.as[i] = this.as[last];
    this.bs[i] = this.bs[last];
    return true;
  }

  clear(): void {
    this.count = 0;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from];
    this.seqs[to] = this.seqs[from];
    this.kinds[to] = this.kinds[from];
    this.as[to] = this.as[from];
    this.bs[to] = this.bs[from];
  }

  private grow(): void {
    const n = this.times.length * 2;
    const grow = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.times = grow(this.times, (k) => new Float64Array(k));
    this.seqs = grow(this.seqs, (k) => new Float64Array(k));
    this.kinds = grow(this.kinds, (k) => new Int32Array(k));
    this.as = grow(this.as, (k) => new Int32Array(k));
    this.bs = grow(this.bs, (k) => new Int32Array(k));
  }
}
