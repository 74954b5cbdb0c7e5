// The event queue: a calendar queue (R. Brown, CACM 1988) in typed arrays. Nothing allocates per
// event, and events pop in (time, push order) whatever bucket holds them, so a run is the same
// event for event however the queue is laid out inside.

/** What `pop` leaves readable until the next pop. */
export interface PoppedEvent {
  time: number;
  kind: number;
  a: number;
  b: number;
}

// Events live in slots (time, push number, kind, payloads). Time is cut into buckets of `width`:
// - the current bucket's events wait sorted in an array, so a pop reads the next one;
// - the next RING − 1 buckets are linked lists of slots, appended in O(1) and sorted only when
//   their bucket becomes current (a bitmap finds the next non-empty one);
// - events past that window wait in a binary heap and move into the ring as it slides on.
// A discrete-event simulation schedules most events a few buckets ahead, so a push is an append
// and a pop a read, where a heap pays log₂(n) unpredictable comparisons for each.
//
// Invariant, with `cur` the current bucket's number: the sorted array holds exactly the events of
// bucket ≤ cur, the ring those of cur < bucket < cur + RING, the heap the rest. A bucket number
// is floor(time / width), monotone in time, so the array's events all come before the ring's and
// the ring's before the heap's. cur is −∞ while the queue is empty (every push goes to the heap
// and the next pop jumps to it) and +∞ once only times too large for exact bucket numbers are
// left (then the sorted array holds everything, until the queue empties again).
//
// The width adapts: a bucket that becomes current with many events spread in time narrows it, a
// heap holding most events widens it. A rebuild re-files every event (O(n log n)) and waits until
// as many pushes and pops have passed since the last one, so the cost per event stays O(log n)
// amortised even when the time scale keeps changing.

const RING = 4096; // buckets in the window (a power of two)
const RING_MASK = RING - 1;
const WORDS = RING >> 5; // bitmap words
const MAX_BUCKET = 2 ** 52; // bucket numbers stay exact integers below this
const CROWDED = 64; // events in a bucket past which the width narrows
const NARROW = 0.25; // the width's factor when a bucket is crowded
const WIDEN = 4; // and when most events wait past the window
const MAX_INV_WIDTH = 2 ** 40; // and its bounds, either way (1 / width stays finite and non-zero)

export class EventQueue implements PoppedEvent {
  /** Fields of the last popped event. */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;

  // By slot, packed so that one event's fields share a cache line or two:
  // clock[2s] its time, clock[2s + 1] its push number (for ties); fields[4s …] its kind, a, b and
  // the next slot in its ring bucket (−1: last).
  private clock: Float64Array;
  private fields: Int32Array;
  private free: Int32Array; // unused slots
  private freeCount: number;
  private nextSeq = 0;

  private invWidth: number;
  private cur = -Infinity;
  // The current bucket, sorted by (time, push number) from curPos to curLen: slots and their times.
  private curSlots = new Int32Array(256);
  private curTimes = new Float64Array(256);
  private curPos = 0;
  private curLen = 0;
  // The ring: per bucket r its first slot ends[2r] (−1: empty) and last ends[2r + 1], and a bitmap of non-empty buckets.
  private readonly ends = new Int32Array(2 * RING).fill(-1);
  private readonly bits = new Int32Array(WORDS);
  private ringCount = 0;
  // Past the window.
  private readonly far = new SlotHeap();
  private farBucket = Infinity; // the heap's earliest bucket number
  // Pushes and pops since the last rebuild follow from these: 2 · (pushes) − (count change).
  private seqAtRebuild = 0;
  private countAtRebuild = 0;

  /**
   * `capacity`: events held before the arrays first grow. `bucketWidth`: the time one bucket
   * spans, best a few times the mean gap between events (the queue adapts it; any width gives
   * the same pops).
   */
  constructor(capacity = 1024, bucketWidth = 0.125) {
    const n = Math.max(1, capacity);
    this.clock = new Float64Array(2 * n);
    this.fields = new Int32Array(4 * n);
    this.free = new Int32Array(n);
    for (let k = 0; k < n; k++) this.free[k] = n - 1 - k;
    this.freeCount = n;
    if (!(bucketWidth > 0 && Number.isFinite(bucketWidth))) throw new RangeError(`EventQueue: bucketWidth must be a positive number, got ${bucketWidth}`);
    this.invWidth = 1 / bucketWidth;
  }

  get size(): number {
    return this.free.length - this.freeCount;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    if (this.curPos === this.curLen && !this.advance()) return Infinity;
    return this.curTimes[this.curPos];
  }

  /**
   * Like `push`. Kept from the heap this queue replaced, where a lane held a caller's events that
   * come in time order at O(1) each; the calendar files every event at O(1), so the lane is unused.
   */
  pushLane(_lane: number, time: number, kind: number, a: number, b: number): void {
    this.push(time, kind, a, b);
  }

  /** Adds an event of `kind` with two integer payloads at `time`. */
  push(time: number, kind: number, a: number, b: number): void {
    if (this.freeCount === 0) this.grow();
    const slot = this.free[--this.freeCount];
    const clock = this.clock;
    clock[slot << 1] = time;
    clock[(slot << 1) | 1] = this.nextSeq++;
    const f = this.fields;
    f[slot << 2] = kind;
    f[(slot << 2) | 1] = a;
    f[(slot << 2) | 2] = b;
    // Most events land in the ring: that path is kept small enough for the JIT to inline.
    const bucket = Math.floor(time * this.invWidth);
    if (bucket > this.cur && bucket < this.cur + RING) this.append(bucket & RING_MASK, slot);
    else this.file(slot, time);
  }

  /** Removes the earliest event into `time`, `kind`, `a`, `b`; false when empty. */
  pop(): boolean {
    return this.popUntil(Infinity);
  }

  /** Like `pop`, but only an event at `until` or before; false (nothing removed) otherwise. */
  popUntil(until: number): boolean {
    if (this.curPos === this.curLen && !this.advance()) return false;
    const i = this.curPos;
    const time = this.curTimes[i];
    if (time > until) return false;
    const slot = this.curSlots[i];
    this.curPos = i + 1;
    this.time = time;
    const f = this.fields;
    this.kind = f[slot << 2];
    this.a = f[(slot << 2) | 1];
    this.b = f[(slot << 2) | 2];
    this.free[this.freeCount++] = slot;
    return true;
  }

  clear(): void {
    const waiting = this.size;
    this.takeAll(this.free, this.freeCount);
    this.freeCount += waiting;
    this.cur = -Infinity;
  }

  /** Files a slot by its bucket (see the invariant above). */
  private file(slot: number, time: number): void {
    const bucket = Math.floor(time * this.invWidth);
    const cur = this.cur;
    if (bucket <= cur) this.insertCurrent(slot, time);
    else if (bucket < cur + RING) this.append(bucket & RING_MASK, slot);
    else {
      this.far.push(time, this.clock[2 * slot + 1], slot);
      if (bucket < this.farBucket) this.farBucket = bucket;
      if (this.far.count > CROWDED && 2 * this.far.count > this.size && this.mayRebuild() && this.invWidth > 1 / MAX_INV_WIDTH) this.rebuild(this.invWidth / WIDEN);
    }
  }

  private append(r: number, slot: number): void {
    const ends = this.ends;
    const f = this.fields;
    f[(slot << 2) | 3] = -1;
    if (ends[r << 1] < 0) {
      ends[r << 1] = slot;
      this.bits[r >> 5] |= 1 << (r & 31);
    } else f[(ends[(r << 1) | 1] << 2) | 3] = slot;
    ends[(r << 1) | 1] = slot;
    this.ringCount++;
  }

  /** Into the sorted current bucket, after every event that pops before it. */
  private insertCurrent(slot: number, time: number): void {
    if (this.curLen === this.curSlots.length) this.makeRoom();
    const slots = this.curSlots;
    const times = this.curTimes;
    const clock = this.clock;
    const seq = clock[2 * slot + 1];
    let i = this.curLen++;
    while (i > this.curPos && (times[i - 1] > time || (times[i - 1] === time && clock[2 * slots[i - 1] + 1] > seq))) {
      slots[i] = slots[i - 1];
      times[i] = times[i - 1];
      i--;
    }
    slots[i] = slot;
    times[i] = time;
    if (this.curLen - this.curPos > CROWDED && this.curTimes[this.curLen - 1] > this.curTimes[this.curPos]) this.narrow();
  }

  /** Makes the next non-empty bucket current; false when the queue is empty. */
  private advance(): boolean {
    this.curPos = 0;
    this.curLen = 0;
    if (this.ringCount > 0) this.cur = this.nextBucket();
    else if (this.far.count === 0) {
      this.cur = -Infinity;
      return false;
    } else if (this.farBucket < MAX_BUCKET) this.cur = this.farBucket;
    else {
      // Only times whose bucket numbers would not be exact are left: sort them all, once.
      this.cur = Infinity;
      while (this.far.count > 0) this.appendCurrent(this.far.pop());
      this.farBucket = Infinity;
      return true;
    }
    if (this.farBucket < this.cur + RING) this.migrate();
    const r = this.cur & RING_MASK;
    let slot = this.ends[2 * r];
    this.ends[2 * r] = -1;
    this.bits[r >> 5] &= ~(1 << (r & 31));
    const clock = this.clock;
    const fields = this.fields;
    let cs = this.curSlots;
    let ct = this.curTimes;
    let n = 0;
    // Insertion sort as the list is read: a bucket holds a few events, mostly in push order.
    while (slot >= 0) {
      if (n === cs.length) {
        this.makeRoom(); // curPos is 0: this doubles the arrays
        cs = this.curSlots;
        ct = this.curTimes;
      }
      const t = clock[slot << 1];
      const q = clock[(slot << 1) | 1];
      let i = n++;
      while (i > 0 && (ct[i - 1] > t || (ct[i - 1] === t && clock[(cs[i - 1] << 1) | 1] > q))) {
        cs[i] = cs[i - 1];
        ct[i] = ct[i - 1];
        i--;
      }
      cs[i] = slot;
      ct[i] = t;
      slot = fields[(slot << 2) | 3];
    }
    this.ringCount -= n;
    this.curLen = n;
    if (n > CROWDED && this.curTimes[n - 1] > this.curTimes[0] && this.narrow()) return this.advance();
    return true;
  }

  /** Narrows the buckets when a crowded one has its events spread in time; whether it did. */
  private narrow(): boolean {
    if (!this.mayRebuild() || this.invWidth > MAX_INV_WIDTH) return false;
    this.rebuild(this.invWidth / NARROW);
    return true;
  }

  /** The first non-empty ring bucket after the current one (the ring is not empty). */
  private nextBucket(): number {
    const start = (this.cur + 1) & RING_MASK;
    let w = start >> 5;
    let word = this.bits[w] & (-1 << (start & 31));
    while (word === 0) {
      w = (w + 1) & (WORDS - 1);
      word = this.bits[w];
    }
    const r = (w << 5) | (31 - Math.clz32(word & -word));
    return this.cur + 1 + ((r - start) & RING_MASK);
  }

  /** Moves the heap's events that the window now reaches into the ring. */
  private migrate(): void {
    const far = this.far;
    const end = this.cur + RING;
    while (far.count > 0) {
      const bucket = Math.floor(far.times[0] * this.invWidth);
      if (bucket >= end) {
        this.farBucket = bucket;
        return;
      }
      this.append(bucket & RING_MASK, far.pop());
    }
    this.farBucket = Infinity;
  }

  /** Appends a slot that pops after every event in the current bucket. */
  private appendCurrent(slot: number): void {
    if (this.curLen === this.curSlots.length) this.makeRoom();
    this.curSlots[this.curLen] = slot;
    this.curTimes[this.curLen++] = this.clock[2 * slot];
  }

  /** Drops the popped head of the current bucket, or doubles its arrays. */
  private makeRoom(): void {
    if (this.curPos > 0) {
      this.curSlots.copyWithin(0, this.curPos, this.curLen);
      this.curTimes.copyWithin(0, this.curPos, this.curLen);
      this.curLen -= this.curPos;
      this.curPos = 0;
      return;
    }
    this.curSlots = grown(this.curSlots, this.curSlots.length * 2);
    this.curTimes = grown(this.curTimes, this.curTimes.length * 2);
  }

  /** Whether as many pushes and pops have passed since the last rebuild as events wait now. */
  private mayRebuild(): boolean {
    const count = this.size;
    return 2 * (this.nextSeq - this.seqAtRebuild) - (count - this.countAtRebuild) >= count;
  }

  /** Re-files every event under a new bucket width. */
  private rebuild(invWidth: number): void {
    const slots = new Int32Array(this.size);
    this.takeAll(slots, 0);
    this.invWidth = invWidth;
    this.seqAtRebuild = this.nextSeq; // before re-filing, which must not rebuild again
    this.countAtRebuild = this.size;
    this.cur = -Infinity; // everything goes to the heap; the next pop jumps to the first bucket
    for (let k = 0; k < slots.length; k++) this.file(slots[k], this.clock[2 * slots[k]]);
  }

  /** Writes every waiting slot into `out` from `at` on and empties the buckets and the heap. */
  private takeAll(out: Int32Array, at: number): void {
    let k = at;
    for (let i = this.curPos; i < this.curLen; i++) out[k++] = this.curSlots[i];
    this.curPos = this.curLen = 0;
    for (let r = 0; r < RING; r++) {
      for (let s = this.ends[2 * r]; s >= 0; s = this.fields[4 * s + 3]) out[k++] = s;
      this.ends[2 * r] = -1;
    }
    this.bits.fill(0);
    this.ringCount = 0;
    while (this.far.count > 0) out[k++] = this.far.pop();
    this.farBucket = Infinity;
  }

  private grow(): void {
    const old = this.free.length;
    const n = old * 2;
    this.clock = grown(this.clock, 2 * n);
    this.fields = grown(this.fields, 4 * n);
    this.free = grown(this.free, n);
    // Every slot is in use when none is free: the new ones are the free ones.
    for (let k = n - 1; k >= old; k--) this.free[this.freeCount++] = k;
  }
}

/** A binary min-heap of slots by (time, push number), both kept in heap order beside the slot. */
class SlotHeap {
  times = new Float64Array(64);
  private seqs = new Float64Array(64);
  private slots = new Int32Array(64);
  count = 0;

  push(time: number, seq: number, slot: number): void {
    if (this.count === this.slots.length) {
      const n = this.count * 2;
      this.times = grown(this.times, n);
      this.seqs = grown(this.seqs, n);
      this.slots = grown(this.slots, n);
    }
    const { times, seqs, slots } = this;
    let i = this.count++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (time > times[p] || (time === times[p] && seq > seqs[p])) break;
      times[i] = times[p];
      seqs[i] = seqs[p];
      slots[i] = slots[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /** Removes the earliest slot and returns it (the heap is not empty). */
  pop(): number {
    const { times, seqs, slots } = this;
    const top = slots[0];
    const last = --this.count;
    const t = times[last];
    const q = seqs[last];
    const s = slots[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && (times[c + 1] < times[c] || (times[c + 1] === times[c] && seqs[c + 1] < seqs[c]))) c++;
      if (t < times[c] || (t === times[c] && q < seqs[c])) break;
      times[i] = times[c];
      seqs[i] = seqs[c];
      slots[i] = slots[c];
      i = c;
    }
    times[i] = t;
    seqs[i] = q;
    slots[i] = s;
    return top;
  }
}

function grown<T extends Float64Array | Int32Array>(a: T, n: number): T {
  const next = new (a.constructor as new (n: number) => T)(n);
  next.set(a);
  return next;
}
