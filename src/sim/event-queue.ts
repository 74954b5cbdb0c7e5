// The event queue: a binary min-heap in typed arrays plus FIFO lanes for events a caller
// schedules in time order. Nothing allocates per event, and equal times pop in push order
// across heap and lanes, so a run is the same event for event whichever holds an event.

/** What `pop` leaves readable until the next pop. */
export interface PoppedEvent {
  time: number;
  kind: number;
  a: number;
  b: number;
}

// The heap orders (time, slot) pairs only; an event's kind, payloads and push number wait in
// its slot, so sifting moves two numbers per level instead of five. Popping sinks the hole to
// a leaf with one comparison per level, then lifts the last event into it (Floyd's bottom-up
// variant): the last event is usually late, so the lift stops within a level or two.
//
// Lanes: a stream of periodic events (each frame schedules the next one period later) arrives
// in time order, so a ring buffer holds it in order at O(1) a push; `pop` compares the heap's
// top with each lane's head. An out-of-order push to a lane goes to the heap instead.
export class EventQueue implements PoppedEvent {
  /** Fields of the last popped event. */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;

  private times: Float64Array; // heap order
  private slots: Int32Array; // heap order: the event's slot
  private kinds: Int32Array; // by slot
  private as: Int32Array;
  private bs: Int32Array;
  private seqs: Float64Array; // by slot: push number, for ties
  private free: Int32Array; // unused slots
  private freeCount = 0;
  private count = 0;
  private nextSeq = 0;
  private readonly lanes: Lane[] = [];
  private laneCount = 0; // events waiting in lanes

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.as = new Int32Array(capacity);
    this.bs = new Int32Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.free = new Int32Array(capacity);
    for (let k = 0; k < capacity; k++) this.free[k] = capacity - 1 - k;
    this.freeCount = capacity;
  }

  get size(): number {
    return this.count + this.laneCount;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    let t = this.count === 0 ? Infinity : this.times[0];
    for (let k = 0; k < this.lanes.length; k++) {
      const lane = this.lanes[k];
      if (lane.size > 0 && lane.times[lane.head] < t) t = lane.times[lane.head];
    }
    return t;
  }

  /**
   * Like `push`, into FIFO lane `lane` (a small non-negative integer) when `time` is not before
   * the lane's last event, else into the heap: the pop order is the same either way.
   */
  pushLane(lane: number, time: number, kind: number, a: number, b: number): void {
    while (this.lanes.length <= lane) this.lanes.push(new Lane());
    const l = this.lanes[lane];
    if (l.size > 0 && time < l.times[(l.head + l.size - 1) & l.mask]) return this.push(time, kind, a, b);
    if (l.size === l.times.length) l.grow();
    const k = (l.head + l.size++) & l.mask;
    l.times[k] = time;
    l.seqs[k] = this.nextSeq++;
    l.kinds[k] = kind;
    l.as[k] = a;
    l.bs[k] = b;
    this.laneCount++;
  }

  /** Adds an event of `kind` with two integer payloads at `time`. */
  push(time: number, kind: number, a: number, b: number): void {
    if (this.count === this.times.length) this.grow();
    const slot = this.free[--this.freeCount];
    this.kinds[slot] = kind;
    this.as[slot] = a;
    this.bs[slot] = b;
    this.seqs[slot] = this.nextSeq++;
    this.lift(this.count++, time, slot);
  }

  /** Removes the earliest event into `time`, `kind`, `a`, `b`; false when empty. */
  pop(): boolean {
    return this.popUntil(Infinity);
  }

  /** Like `pop`, but only an event at `until` or before; false (nothing removed) otherwise. */
  popUntil(until: number): boolean {
    if (this.laneCount > 0) {
      const lane = this.earliestLane();
      if (lane !== null) {
        if (lane.times[lane.head] > until) return false;
        this.popFrom(lane);
        return true;
      }
    }
    if (this.count === 0 || this.times[0] > until) return false;
    const { times, slots } = this;
    const top = slots[0];
    this.time = times[0];
    this.kind = this.kinds[top];
    this.a = this.as[top];
    this.b = this.bs[top];
    this.free[this.freeCount++] = top;
    const last = --this.count;
    if (last === 0) return true;
    // Sink the hole at the root to a leaf, always along the earlier child.
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && this.before(times[right], slots[right], times[child], slots[child])) child = right;
      times[i] = times[child];
      slots[i] = slots[child];
      i = child;
    }
    this.lift(i, times[last], slots[last]);
    return true;
  }

  clear(): void {
    for (let k = 0; k < this.count; k++) this.free[this.freeCount++] = this.slots[k];
    this.count = 0;
    for (const lane of this.lanes) lane.size = 0;
    this.laneCount = 0;
  }

  /** The lane whose head comes first, if it comes before the heap's top (else null). */
  private earliestLane(): Lane | null {
    let best: Lane | null = null;
    let bestTime = Infinity;
    let bestSeq = Infinity;
    const lanes = this.lanes;
    for (let k = 0; k < lanes.length; k++) {
      const l = lanes[k];
      if (l.size === 0) continue;
      const t = l.times[l.head];
      if (t < bestTime || (t === bestTime && l.seqs[l.head] < bestSeq)) {
        best = l;
        bestTime = t;
        bestSeq = l.seqs[l.head];
      }
    }
    if (best === null) return null;
    if (this.count > 0 && (this.times[0] < bestTime || (this.times[0] === bestTime && this.seqs[this.slots[0]] < bestSeq))) return null;
    return best;
  }

  private popFrom(best: Lane): void {
    const h = best.head;
    this.time = best.times[h];
    this.kind = best.kinds[h];
    this.a = best.as[h];
    this.b = best.bs[h];
    best.head = (h + 1) & best.mask;
    best.size--;
    this.laneCount--;
  }

  /** Whether (t1, s1) pops before (t2, s2): earlier time, then earlier push. */
  private before(t1: number, s1: number, t2: number, s2: number): boolean {
    return t1 < t2 || (t1 === t2 && this.seqs[s1] < this.seqs[s2]);
  }

  /** Places (time, slot) at hole `i` or above it, moving later parents down. */
  private lift(i: number, time: number, slot: number): void {
    const { times, slots } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(time, slot, times[parent], slots[parent])) break;
      times[i] = times[parent];
      slots[i] = slots[parent];
      i = parent;
    }
    times[i] = time;
    slots[i] = slot;
  }

  private grow(): void {
    const old = this.times.length;
    const n = old * 2;
    const grow = <T extends Float64Array | Int32Array>(a: T): T => {
      const next = new (a.constructor as new (n: number) => T)(n);
      next.set(a);
      return next;
    };
    this.times = grow(this.times);
    this.slots = grow(this.slots);
    this.kinds = grow(this.kinds);
    this.as = grow(this.as);
    this.bs = grow(this.bs);
    this.seqs = grow(this.seqs);
    this.free = grow(this.free);
    // Every slot is in use when the heap is full: the new ones are the free ones.
    for (let k = old; k < n; k++) this.free[this.freeCount++] = k;
  }
}

/** One FIFO lane: a ring buffer whose capacity is a power of two. */
class Lane {
  times = new Float64Array(256);
  seqs = new Float64Array(256);
  kinds = new Int32Array(256);
  as = new Int32Array(256);
  bs = new Int32Array(256);
  head = 0;
  size = 0;
  mask = 255;

  /** Doubles the ring, unrolling it so the head is at 0. */
  grow(): void {
    const n = this.times.length * 2;
    const unroll = <T extends Float64Array | Int32Array>(a: T): T => {
      const next = new (a.constructor as new (n: number) => T)(n);
      for (let k = 0; k < this.size; k++) next[k] = a[(this.head + k) & this.mask];
      return next;
    };
    this.times = unroll(this.times);
    this.seqs = unroll(this.seqs);
    this.kinds = unroll(this.kinds);
    this.as = unroll(this.as);
    this.bs = unroll(this.bs);
    this.head = 0;
    this.mask = n - 1;
  }
}
