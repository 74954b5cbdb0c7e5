// The discrete-event loop: one clock in milliseconds, one event queue, handlers by event kind.
// The domain registers handlers and schedules events through this narrow interface only.

import { EventQueue } from './event-queue.js';

/** Handles one event; `a` and `b` are the integer payloads it was scheduled with. */
export type EventHandler = (a: number, b: number) => void;

/**
 * Handles every kind of event in one method, for a domain with a hot loop: the loop then makes
 * one call whose target never changes, which the JIT inlines, where a table of handlers makes
 * a call through a different closure for each kind.
 */
export interface EventSwitch {
  handleEvent(kind: number, a: number, b: number): void;
}

// Bucket width of the calendar queue, ms: a busy edge simulation handles tens of events per
// millisecond and schedules most of them 1–50 ms ahead (the queue adapts the width anyway).
const BUCKET_MS = 0.125;

export class Simulation {
  /** Simulated time, ms. */
  now = 0;
  /** Events handled so far. */
  eventsHandled = 0;
  private readonly queue = new EventQueue(1024, BUCKET_MS);
  private readonly handlers: EventHandler[] = [];
  private readonly target: EventSwitch | null;
  private stopRequested = false;

  /** `target`, when given, handles every event, and `on` must not be used. */
  constructor(target: EventSwitch | null = null) {
    this.target = target;
  }

  /** Registers the handler for events of `kind` (a small non-negative integer). */
  on(kind: number, handler: EventHandler): void {
    if (this.target !== null) throw new Error('Simulation.on: this simulation sends every event to its EventSwitch');
    this.handlers[kind] = handler;
  }

  /** Schedules an event at absolute time `time` (not before now). */
  at(time: number, kind: number, a = 0, b = 0): void {
    if (!(time >= this.now)) throw beforeNow('at', time, this.now);
    this.queue.push(time, kind, a, b);
  }

  /**
   * The same as `at`. Kept from the heap the queue replaced, where lane `lane` held a periodic
   * source's events at O(1) each; the calendar queue files every event at O(1).
   */
  atInLane(_lane: number, time: number, kind: number, a = 0, b = 0): void {
    if (!(time >= this.now)) throw beforeNow('atInLane', time, this.now);
    this.queue.push(time, kind, a, b);
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
    const target = this.target;
    this.stopRequested = false;
    if (target !== null) {
      while (queue.popUntil(until)) {
        this.now = queue.time;
        this.eventsHandled++;
        target.handleEvent(queue.kind, queue.a, queue.b);
        if (this.stopRequested) return true;
      }
    } else {
      while (queue.popUntil(until)) {
        this.now = queue.time;
        this.eventsHandled++;
        handlers[queue.kind](queue.a, queue.b);
        if (this.stopRequested) return true;
      }
    }
    if (until > this.now && until !== Infinity) this.now = until;
    return false;
  }
}

// Built out of line: with the message's template in it, `at` (and the queue's push it inlines)
// passes the size up to which the JIT inlines a call, and a handler's call to `at` that is not
// inlined boxes its time argument in a fresh heap number, once per event.
function beforeNow(method: string, time: number, now: number): RangeError {
  return new RangeError(`Simulation.${method}: time ${time} ms is before now (${now} ms)`);
}
