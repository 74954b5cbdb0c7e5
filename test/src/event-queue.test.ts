// The event queue pops by time, then push order, whether an event waited in the heap or in a
// FIFO lane (including out-of-order lane pushes, which fall back to the heap).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue } from '../../src/sim/event-queue.js';
import { Rng } from '../../src/rng.js';

test('heap and lanes together pop in (time, push order), as a sorted list would', () => {
  const rng = new Rng(3);
  const queue = new EventQueue(4); // small, so heap and lanes both grow
  const waiting: { time: number; seq: number }[] = []; // the reference: a plain list
  const laneLast = [0, 0, 0];
  let now = 0;
  const popBoth = (): void => {
    queue.pop();
    let k = 0;
    for (let j = 1; j < waiting.length; j++) if (waiting[j].time < waiting[k].time || (waiting[j].time === waiting[k].time && waiting[j].seq < waiting[k].seq)) k = j;
    const [expected] = waiting.splice(k, 1);
    assert.deepEqual({ time: queue.time, seq: queue.a }, expected);
    now = queue.time;
  };
  for (let seq = 0; seq < 3000; seq++) {
    if (waiting.length > 0 && rng.random() < 0.45) popBoth();
    // Integer times make ties common; a lane mostly gets times after its last one.
    const lane = rng.int(4) - 1;
    const time = lane < 0 ? now + rng.int(20) : Math.max(now, laneLast[lane] + rng.int(3) - (rng.random() < 0.1 ? 5 : 0));
    if (lane < 0) queue.push(time, 1, seq, 0);
    else {
      queue.pushLane(lane, time, 2, seq, 0);
      laneLast[lane] = Math.max(laneLast[lane], time);
    }
    waiting.push({ time, seq });
    assert.equal(queue.size, waiting.length);
  }
  while (waiting.length > 0) popBoth();
  assert.equal(queue.pop(), false);
});

/** Pushes and pops `queue` and a plain list side by side; `draw` gives each pushed time from the last popped one. */
function againstList(queue: EventQueue, rng: Rng, pushes: number, popShare: number, draw: (now: number) => number): void {
  const waiting: { time: number; seq: number }[] = [];
  let now = 0;
  const popBoth = (): void => {
    let k = 0;
    for (let j = 1; j < waiting.length; j++) if (waiting[j].time < waiting[k].time || (waiting[j].time === waiting[k].time && waiting[j].seq < waiting[k].seq)) k = j;
    assert.equal(queue.peekTime(), waiting[k].time);
    assert.equal(queue.pop(), true);
    const [expected] = waiting.splice(k, 1);
    assert.deepEqual({ time: queue.time, seq: queue.a }, expected);
    now = queue.time;
  };
  for (let seq = 0; seq < pushes; seq++) {
    if (waiting.length > 0 && rng.random() < popShare) popBoth();
    const time = draw(now);
    queue.push(time, 1, seq, 0);
    waiting.push({ time, seq });
  }
  assert.equal(queue.size, waiting.length);
  while (waiting.length > 0) popBoth();
  assert.equal(queue.pop(), false);
  assert.equal(queue.peekTime(), Infinity);
}

test('times on every scale, crowded buckets and far events pop in order as the bucket width adapts', () => {
  const rng = new Rng(5);
  const queue = new EventQueue(8, 1);
  // From a microsecond to days ahead: some land in the current bucket, most in the ring, many past it.
  againstList(queue, rng, 6000, 0.4, (now) => now + Math.exp(rng.uniform(-7, 18)));
  // Thousands within one bucket of width 1: the width narrows.
  againstList(queue, rng, 4000, 0.2, (now) => now + rng.random() * 1e-3);
  // All far past the window: the width widens.
  againstList(queue, rng, 3000, 0.3, (now) => now + 1e4 * rng.exponential(1e3));
});

test('infinite, huge, negative and earlier-than-popped times keep (time, push order)', () => {
  const rng = new Rng(6);
  const queue = new EventQueue(4);
  const odd = [Infinity, 1e300, 2 ** 60, -5, -1e6, 0];
  againstList(queue, rng, 3000, 0.45, (now) => (rng.random() < 0.1 ? odd[rng.int(odd.length)] : rng.random() < 0.1 ? now - rng.int(10) : now + rng.int(50) / 8));
  // Once only infinite times were left the queue held everything in one sorted array; it recovers.
  againstList(queue, rng, 2000, 0.45, (now) => now + rng.int(30));
  // Earlier events pushed while only huge times wait still pop first.
  queue.push(1e300, 0, 0, 0);
  queue.push(Infinity, 0, 1, 0);
  assert.equal(queue.pop(), true);
  queue.push(5, 0, 2, 0);
  queue.push(3, 0, 3, 0);
  queue.push(Infinity, 0, 4, 0);
  const order: number[] = [];
  while (queue.pop()) order.push(queue.a);
  assert.deepEqual(order, [3, 2, 1, 4]);
});

test('clear empties the queue and it works as new afterwards', () => {
  const queue = new EventQueue();
  for (let k = 0; k < 100; k++) queue.push(k % 7, 0, k, 0);
  queue.push(1e9, 0, 100, 0);
  assert.equal(queue.pop(), true);
  queue.clear();
  assert.equal(queue.size, 0);
  assert.equal(queue.pop(), false);
  againstList(queue, new Rng(7), 500, 0.5, (now) => now + 3);
});
