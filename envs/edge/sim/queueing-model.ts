// The analytic queueing model of an accelerator that Placement-v0 uses for its observation hints
// and the model-analytic baseline: M/D/1 queues with interference or weight-swap costs.

import type { Device, NestedFactors, Scenario } from '../model.js';

/**
 * The analytic performance model of one accelerator (the model-driven paper's idea, simplified),
 * given the request rate per variant (per ms). Fills `latencyMs[v]` with the modelled compute
 * latency (service, interference or weight swaps, and queueing) of each variant with load and
 * returns the utilisation (Σ offered load × modelled service time).
 * Concurrent (GPU): each variant is an M/D/1 queue whose service time is stretched by the
 * interference of the others, each busy with probability min(1, its own load). Time-shared
 * (Edge TPU): one M/D/1 queue over all variants; when the deployed variants do not fit on chip,
 * a query pays a weight reload with the probability that the previous query was another variant.
 */
export function modelAccelerator(dev: Device, scenario: Scenario, ratePerMs: Float64Array, latencyMs: Float64Array): number {
  const V = ratePerMs.length;
  latencyMs.fill(0);
  const exec = dev.execution;
  if (exec.kind === 'time-shared') {
    let total = 0;
    let bytes = 0;
    for (let v = 0; v < V; v++) {
      if (ratePerMs[v] <= 0) continue;
      total += ratePerMs[v];
      bytes += scenario.variants[v].memoryBytes;
    }
    if (total === 0) return 0;
    const swapping = bytes > exec.onChipBytes;
    let meanService = 0;
    for (let v = 0; v < V; v++) {
      if (ratePerMs[v] <= 0) continue;
      const p = ratePerMs[v] / total;
      const swap = swapping ? (1 - p) * (scenario.variants[v].memoryBytes / exec.swapBytesPerMs) : 0;
      latencyMs[v] = dev.profiles.get(v)!.latencyMs + swap;
      meanService += p * latencyMs[v];
    }
    const rho = total * meanService;
    const wait = rho >= 1 ? Infinity : (rho * meanService) / (2 * (1 - rho));
    for (let v = 0; v < V; v++) if (ratePerMs[v] > 0) latencyMs[v] += wait;
    return rho;
  }
  let utilisation = 0;
  for (let v = 0; v < V; v++) {
    if (ratePerMs[v] <= 0) continue;
    const service = dev.profiles.get(v)!.latencyMs * interferenceFactor(dev, ratePerMs, v);
    const rho = ratePerMs[v] * service;
    utilisation += rho;
    latencyMs[v] = rho >= 1 ? Infinity : service + (rho * service) / (2 * (1 - rho));
  }
  return utilisation;
}

/** Expected slowdown of variant v's batches from the other variants deployed with load on dev. */
function interferenceFactor(dev: Device, ratePerMs: Float64Array, v: number): number {
  const model = dev.interference;
  if (model.kind === 'none') return 1;
  if (model.kind === 'linear') {
    let busy = 0;
    for (let w = 0; w < ratePerMs.length; w++) if (w !== v && ratePerMs[w] > 0) busy += Math.min(1, ratePerMs[w] * dev.profiles.get(w)!.latencyMs);
    return 1 + model.slope * busy;
  }
  // Matrix: the cell where each other loaded variant has one batch running (pessimistic).
  let cell: NestedFactors | undefined = model.factors.get(v);
  if (cell === undefined) return 1;
  for (const other of model.variants) {
    if (typeof cell === 'number') break;
    cell = cell[other !== v && ratePerMs[other] > 0 ? 1 : 0];
    if (cell === undefined) return Infinity;
  }
  return typeof cell === 'number' ? cell : Infinity;
}
