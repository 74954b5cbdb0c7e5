// Routing-construction time for a seeded random ISP-like graph (not part of the test suite):
// node dist*/test/envs/topology.bench.js [nodes] [repeats]

import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { NetworkLink, NetworkNode } from '../../envs/edge/model.js';
import { Topology } from '../../envs/edge/network/topology.js';
import { Rng } from '../../src/rng.js';

/**
 * A connected random graph shaped like a Topology Zoo backbone: nodes scattered on a
 * 2000 km square, each joined to its nearest earlier node (a spanning tree) plus one chord to a
 * random node, so about two links per node; latency 5 µs/km, bandwidth 1–100 Gb/s.
 */
export function randomIspGraph(n: number, seed: number): { nodes: NetworkNode[]; links: NetworkLink[] } {
  const rng = new Rng(seed, 'topology-bench');
  const x = Array.from({ length: n }, () => rng.uniform(0, 2000));
  const y = Array.from({ length: n }, () => rng.uniform(0, 2000));
  const km = (a: number, b: number): number => Math.hypot(x[a] - x[b], y[a] - y[b]);
  const link = (a: number, b: number): NetworkLink => ({ from: a, to: b, latencyMs: km(a, b) * 0.005, bandwidthBps: [1e9, 10e9, 100e9][rng.int(3)] });
  const nodes: NetworkNode[] = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, kind: i % 10 === 0 ? 'antenna' : 'router' }));
  const links: NetworkLink[] = [];
  for (let v = 1; v < n; v++) {
    let nearest = 0;
    for (let u = 1; u < v; u++) if (km(u, v) < km(nearest, v)) nearest = u;
    links.push(link(nearest, v));
    const other = rng.int(n);
    if (other !== v) links.push(link(v, other));
  }
  return { nodes, links };
}

/** Milliseconds to construct a Topology (all-pairs routing) for an n-node graph: best and median of `repeats`. */
export function benchRouting(n = 1000, repeats = 5, seed = 0): { nodes: number; links: number; bestMs: number; medianMs: number } {
  const spec = randomIspGraph(n, seed);
  new Topology(spec); // warm-up: JIT
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    new Topology(spec);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { nodes: n, links: spec.links.length, bestMs: times[0], medianMs: times[Math.floor(times.length / 2)] };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 1000);
  const repeats = Number(process.argv[3] ?? 5);
  const result = benchRouting(n, repeats);
  console.log(`Topology construction, ${result.nodes} nodes, ${result.links} links: best ${result.bestMs.toFixed(1)} ms, median ${result.medianMs.toFixed(1)} ms over ${repeats} runs`);
}
