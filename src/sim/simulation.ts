// The discrete-event loop: one clock in milliseconds, one event queue, handlers by event kind.
// The domain registers handlers and schedules events through this narrow interface only.

import { EventQueue } from './event-queue.js';

/** Handles one event; `a` and `b` are the integer payloads it was scheduled with. */
export type EventHandler = (a: number, b: number) => void;

export class Simulation {
  /** Simulated time, ms. */
  now = 0;
  /** Events handled so far. */
  eventsHandled = 0;
  private readonly queue = new EventQueue();
  private readonly handlers: EventHandler[] = [];
  private stopRequested = false;

  /** Registers the handler for events of `kind` (a small non-negative integer). */
  on(kind: number, handler: EventHandler): void {
    this.handlers[kind] = handler;
  }

  /** Schedules an event at absolute time `time` (not before now). */
  at(time: number, kind: number, a = 0, b = 0): void {
    if (!(time >= this.now)) throw new RangeError(`Simulation.at: time ${time} ms is before now (${this.now} ms)`);
    this.queue.push(time, kind, a, b);
  }

  /**
   * Like `at`, for a caller that schedules a series of events mostly in time order (a periodic
   * source): FIFO lane `lane` holds them at O(1) each. Same order of events as `at`.
   */
  atInLane(lane: number, time: number, kind: number, a = 0, b = 0): void {
    if (!(time >= this.now)) throw new RangeError(`Simulation.atInLane: time ${time} ms is before now (${this.now} ms)`);
    this.queue.pushLane(lane, time, kind, a, b);
  }

  /** Schedules an event `delay` ms from now. */
  after(delay: number, kind: number, a = 0, b = 0): void {
    this.at(this.now + delay, kind, a, b);
  }

  /** Asks `run` to return after the event being handled. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Pending events. */
  get pending(): number {
    return this.queue.size;
  }

  /**
   * Handles events in time order up to and including `until`, then sets the clock to `until`.
   * Returns early (clock at the last event) if a handler called `stop()`; returns whether it did.
   */
  run(until: number): boolean {
    const queue = this.queue;
    const handlers = this.handlers;
    this.stopRequested = false;
    while (queue.popUntil(until)) {
      this.now = queue.time;
      this.eventsHandled++;
      handlers[queue.kind](queue.a, queue.b);
      if (this.stopRequested) return true;
    }
    if (until > this.now && until !== Infinity) this.now = until;
    return false;
  }
}
