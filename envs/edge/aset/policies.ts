// ASET's static scheduling policies, as dispatchers. Each picks, for a new stream, an instance
// (a model variant on a device) among those that can take it: first among variants accurate
// enough for the application, else among any with room (served, but a QoS violation), else
// it rejects. Ties go to the lower instance index, so every choice is reproducible.
//
// A stream stays bound for its lifetime, so the policies that weigh load count the load already
// bound: `sim.boundLoad(i, f)`, the utilisation instance i would have with this stream's f
// queries/s added (see DispatchView.boundLoad), plus its queue as a fraction of the queue bound.
// The instantaneous queue alone is almost always empty between 30 Hz frames.

import type { Rng } from '../../../src/rng.js';
import { type DispatchRequest, type DispatchView, type Dispatcher, REJECT } from '../sim/dispatch.js';

/** A score to minimise for instance `i` (lower is better). */
type Score = (sim: DispatchView, request: DispatchRequest, i: number) => number;

/** Picks the lowest-score instance, preferring variants that meet the accuracy requirement. */
function argmin(sim: DispatchView, request: DispatchRequest, score: Score): number {
  const candidates = sim.candidates(request.application);
  const required = sim.scenario.applications[request.application].accuracy;
  for (const accurateOnly of [true, false]) {
    let best = REJECT;
    let bestScore = Infinity;
    for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k];
      if (accurateOnly && sim.scenario.variants[sim.instVariant[i]].accuracy < required) continue;
      if (!sim.hasRoom(i)) continue;
      const s = score(sim, request, i);
      if (s < bestScore || best === REJECT) {
        best = i;
        bestScore = s;
      }
    }
    if (best !== REJECT) return best;
  }
  return REJECT;
}

/** Draws an instance with probability proportional to `weight`, with the same preference order. */
function proportional(sim: DispatchView, request: DispatchRequest, rng: Rng, weight: Score): number {
  const candidates = sim.candidates(request.application);
  const required = sim.scenario.applications[request.application].accuracy;
  for (const accurateOnly of [true, false]) {
    let total = 0;
    for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k];
      if ((accurateOnly && sim.scenario.variants[sim.instVariant[i]].accuracy < required) || !sim.hasRoom(i)) continue;
      total += weight(sim, request, i);
    }
    if (total <= 0) continue;
    let u = rng.random() * total;
    let last = REJECT;
    for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k];
      if ((accurateOnly && sim.scenario.variants[sim.instVariant[i]].accuracy < required) || !sim.hasRoom(i)) continue;
      last = i;
      u -= weight(sim, request, i);
      if (u < 0) return i;
    }
    return last; // rounding left u a hair above 0
  }
  return REJECT;
}

const network: Score = (sim, r, i) => sim.networkDelayMs(r.antenna, r.application, i);
/** The stream's offered queries/s. */
const streamQps = (sim: DispatchView, r: DispatchRequest): number => 1000 / sim.scenario.applications[r.application].frameIntervalMs;
/** Bound load with the stream added, plus the queue as a fraction of its bound. */
const boundLoad: Score = (sim, r, i) => sim.boundLoad(i, streamQps(sim, r)) + sim.load(i) / sim.maxQueue(sim.instDevice[i]);
/**
 * Expected network + queueing + service time, ms: service s stretched by the expected
 * interference, the queries waiting now, and an M/D/1 wait s·ρ / 2(1 − ρ) at the bound load ρ
 * with the stream added; past ρ = 1 the wait has no bound, so overloaded instances rank last,
 * the least overloaded first.
 */
const impedance: Score = (sim, r, i) => {
  const extra = streamQps(sim, r);
  const rho = sim.boundLoad(i, extra);
  const s = (rho * 1000) / (sim.instOfferedQps[i] + extra); // batch-1 service with expected interference
  const wait = rho < 1 ? (s * rho) / (2 * (1 - rho)) : 1e9 * rho;
  return network(sim, r, i) + s * (1 + sim.load(i)) + wait;
};
const isCloud = (sim: DispatchView, i: number): boolean => sim.topology.nodes[sim.scenario.devices[sim.instDevice[i]].site].kind === 'cloud';

function dispatcher(name: string, choose: (sim: DispatchView, request: DispatchRequest, rng: Rng) => number): Dispatcher {
  return { name, granularity: 'stream', choose };
}

/** The static policies by name. */
export const STATIC_POLICIES: Readonly<Record<string, Dispatcher>> = Object.freeze({
  /** Lowest network latency (ties: faster variant). */
  closest: dispatcher('closest', (sim, r) => argmin(sim, r, (s, q, i) => network(s, q, i) + 1e-9 * s.serviceMs(i))),
  /** Lowest bound load with the stream added, plus queue / queue bound. */
  'load-balancing': dispatcher('load-balancing', (sim, r) => argmin(sim, r, boundLoad)),
  /** Closest among cloud data centres whenever one has room, else the closest (same tie-break). */
  'cloud-first': dispatcher('cloud-first', (sim, r) => argmin(sim, r, (s, q, i) => (isCloud(s, i) ? 0 : 1e12) + network(s, q, i) + 1e-9 * s.serviceMs(i))),
  /** Random, weighted by 1 / (network latency + service time). */
  'random-proportional-latency': dispatcher('random-proportional-latency', (sim, r, rng) => proportional(sim, r, rng, (s, q, i) => 1 / (network(s, q, i) + s.serviceMs(i)))),
  /** Random, weighted by 1 / (bound load with the stream added + queue / queue bound). */
  'random-proportional-load': dispatcher('random-proportional-load', (sim, r, rng) => proportional(sim, r, rng, (s, q, i) => 1 / boundLoad(s, q, i))),
  /** Lowest expected network + queueing + service time (see `impedance`). */
  'least-impedance': dispatcher('least-impedance', (sim, r) => argmin(sim, r, impedance)),
  /** The most accurate variant (ties: closest). */
  'highest-accuracy-first': dispatcher('highest-accuracy-first', (sim, r) => argmin(sim, r, (s, q, i) => -s.scenario.variants[s.instVariant[i]].accuracy * 1e12 + network(s, q, i))),
  /** Uniform among those that can take the stream. */
  random: dispatcher('random', (sim, r, rng) => proportional(sim, r, rng, () => 1)),
});

/** The named static policy; an unknown name lists the known ones. */
export function staticPolicy(name: string): Dispatcher {
  const found = STATIC_POLICIES[name];
  if (found === undefined) throw new Error(`unknown scheduling policy ${JSON.stringify(name)}; known: ${Object.keys(STATIC_POLICIES).join(', ')}`);
  return found;
}
