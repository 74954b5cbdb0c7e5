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
