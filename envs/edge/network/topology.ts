// The network as the simulator queries it: a validated TopologySpec with every pair's
// shortest-latency route worked out once at construction and kept in flat typed arrays.

import type { NetworkLink, NetworkNode, NodeKind, TopologySpec } from '../model.js';

const NODE_KINDS: readonly NodeKind[] = ['antenna', 'edge', 'metro', 'cloud', 'router'];

/**
 * Routes between every pair of nodes, for the simulator's hot loop.
 *
 * Routing: the route from a to b minimises total propagation latency; among routes of equal
 * latency (compared exactly, as doubles) it has the fewest hops; among those, the route whose
 * node before the far end is the lowest-indexed, applied hop by hop. So a route never depends
 * on the order links were listed in. Links are bidirectional and so are routes: the b → a route
 * is the a → b route reversed (both are read from the shortest-path tree of min(a, b)), so
 * latency, hops and bottleneck are symmetric. Parallel links between the same two nodes are
 * not aggregated: the route uses the one with the lowest latency, then the highest bandwidth.
 *
 * Why all pairs, by Dijkstra from every node: the simulator asks for antenna → site, site →
 * cloud and site → site routes alike, so every node is a source. ISP graphs (Topology Zoo:
 * up to ~750 nodes, about 1.3 links per node) are sparse, so n binary-heap Dijkstras cost
 * O(n · m log n), far below Floyd–Warshall's O(n³) (10⁹ steps at n = 1000). The tables take
 * 24 bytes per pair: 24 MB at 1000 nodes, which is what buys allocation-free O(1) queries.
 *
 * Queries take node indices as given and do not bounds-check them (the scenario loader has
 * already resolved and checked every index); an index outside 0 … size − 1 reads undefined.
 */
export class Topology {
  /** Number of nodes. */
  readonly size: number;
  readonly nodes: readonly Readonly<NetworkNode>[];
  readonly links: readonly Readonly<NetworkLink>[];

  /** Row-major n × n tables; entry from · n + to. */
  private readonly latencyTable: Float64Array;
  private readonly bottleneckTable: Float64Array;
  /** −1 where unreachable. */
  private readonly hopTable: Int32Array;
  /** Row s: each node's predecessor in the shortest-path tree rooted at s (−1 at s, or unreached). */
  private readonly predecessorTable: Int32Array;
  private readonly indexById: Map<string, number>;
  private readonly byKind: Map<NodeKind, readonly number[]>;

  constructor(spec: TopologySpec) {
    validate(spec);
    const n = spec.nodes.length;
    this.size = n;
    this.nodes = spec.nodes.map((node) => Object.freeze({ ...node }));
    this.links = spec.links.map((link) => Object.freeze({ ...link }));
    this.indexById = new Map(spec.nodes.map((node, i) => [node.id, i]));
    this.byKind = new Map(NODE_KINDS.map((kind) => [kind, Object.freeze(indicesOfKind(spec.nodes, kind))]));

    this.latencyTable = new Float64Array(n * n).fill(Infinity);
    this.bottleneckTable = new Float64Array(n * n); // 0 where unreachable
    this.hopTable = new Int32Array(n * n).fill(-1);
    this.predecessorTable = new Int32Array(n * n).fill(-1);
    allPairsRoutes(n, buildAdjacency(n, spec.links), {
      latency: this.latencyTable,
      bottleneck: this.bottleneckTable,
      hops: this.hopTable,
      predecessor: this.predecessorTable,
    });
  }

  /** One-way propagation latency along the route, ms: 0 from a node to itself, Infinity if unreachable. */
  latencyMs(from: number, to: number): number {
    return this.latencyTable[from * this.size + to];
  }

  /** Smallest link bandwidth along the route, bits/s: Infinity from a node to itself, 0 if unreachable. */
  bottleneckBps(from: number, to: number): number {
    return this.bottleneckTable[from * this.size + to];
  }

  /** Links on the route: 0 from a node to itself, Infinity if unreachable. */
  hops(from: number, to: number): number {
    const h = this.hopTable[from * this.size + to];
    return h < 0 ? Infinity : h;
  }

  reachable(from: number, to: number): boolean {
    return this.hopTable[from * this.size + to] >= 0;
  }

  /**
   * Time to deliver `bytes` over the route, ms: propagation latency plus serialisation at the
   * bottleneck (bytes · 8 / bottleneck · 1000). A store-and-forward-free, uncontended model: the
   * message is pipelined through the route at its slowest link. Infinity if unreachable.
   */
  transferMs(from: number, to: number, bytes: number): number {
    const i = from * this.size + to;
    const latency = this.latencyTable[i];
    if (latency === Infinity) return Infinity; // also keeps 0 bytes / 0 bps from giving NaN
    return latency + ((bytes * 8) / this.bottleneckTable[i]) * 1000;
  }

  /** Node indices from `from` to `to`, both included. Allocates: not for the hot loop. */
  path(from: number, to: number): number[] {
    this.checkIndex(from, 'from');
    this.checkIndex(to, 'to');
    if (!this.reachable(from, to)) {
      throw new Error(
        `Topology.path: no route from node ${from} ("${this.nodes[from].id}") to node ${to} ("${this.nodes[to].id}"); ` +
          'they are in different connected components: add a link between them',
      );
    }
    // Routes are read from the tree of the lower index, so both directions give the same route.
    const root = Math.min(from, to);
    const leaf = Math.max(from, to);
    const row = root * this.size;
    const nodes: number[] = [leaf];
    for (let v = leaf; v !== root; ) {
      v = this.predecessorTable[row + v];
      nodes.push(v);
    }
    // Walking the tree gives leaf … root.
    return from === leaf ? nodes : nodes.reverse();
  }

  /** Indices of the nodes of one kind, ascending. The same frozen array every call. */
  nodesOfKind(kind: NodeKind): readonly number[] {
    const found = this.byKind.get(kind);
    if (found === undefined) {
      throw new RangeError(`Topology.nodesOfKind: unknown kind "${String(kind)}"; expected one of ${NODE_KINDS.join(', ')}`);
    }
    return found;
  }

  /** Index of the node with this id; throws if there is none. */
  indexOf(id: string): number {
    const index = this.indexById.get(id);
    if (index === undefined) throw new RangeError(`Topology.indexOf: no node has id "${id}"`);
    return index;
  }

  private checkIndex(index: number, what: string): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`Topology.path: ${what} must be a node index in 0 … ${this.size - 1}, got ${index}`);
    }
  }
}

function indicesOfKind(nodes: readonly NetworkNode[], kind: NodeKind): number[] {
  const indices: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (nodes[i].kind === kind) indices.push(i);
  return indices;
}

/** Throws on the first problem, naming the node or link index and what was expected. */
function validate(spec: TopologySpec): void {
  if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.nodes) || !Array.isArray(spec.links)) {
    throw new TypeError('topology: expected { nodes: NetworkNode[], links: NetworkLink[] }');
  }
  const n = spec.nodes.length;
  const seen = new Map<string, number>();
  spec.nodes.forEach((node, i) => {
    const where = `topology: node ${i}`;
    if (typeof node.id !== 'string' || node.id === '') throw new Error(`${where}: id must be a non-empty string, got ${JSON.stringify(node.id)}`);
    const earlier = seen.get(node.id);
    if (earlier !== undefined) throw new Error(`${where}: id "${node.id}" is already used by node ${earlier}; ids must be unique`);
    seen.set(node.id, i);
    if (!NODE_KINDS.includes(node.kind)) {
      throw new Error(`${where} ("${node.id}"): kind must be one of ${NODE_KINDS.join(', ')}, got ${JSON.stringify(node.kind)}`);
    }
    if (node.uplinkBps !== undefined && !(node.uplinkBps > 0 && Number.isFinite(node.uplinkBps))) {
      throw new Error(`${where} ("${node.id}"): uplinkBps must be a positive finite number of bits/s, got ${node.uplinkBps}`);
    }
  });
  spec.links.forEach((link, i) => {
    const where = `topology: link ${i} (from ${link.from} to ${link.to})`;
    for (const end of ['from', 'to'] as const) {
      const index = link[end];
      if (!Number.isInteger(index) || index < 0 || index >= n) {
        throw new Error(`${where}: '${end}' must be a node index in 0 … ${n - 1}, got ${index}`);
      }
    }
    if (link.from === link.to) throw new Error(`${where}: a link must join two different nodes, this one loops on node ${link.from}`);
    if (!(link.bandwidthBps > 0 && Number.isFinite(link.bandwidthBps))) {
      throw new Error(`${where}: bandwidthBps must be a positive finite number of bits/s, got ${link.bandwidthBps}`);
    }
    if (!(link.latencyMs >= 0 && Number.isFinite(link.latencyMs))) {
      throw new Error(`${where}: latencyMs must be a finite number ≥ 0, got ${link.latencyMs}`);
    }
  });
}

/** Compressed adjacency (CSR), one entry per direction, parallel links collapsed to the best. */
interface Adjacency {
  start: Int32Array; // neighbours of u are at start[u] … start[u + 1] − 1
  target: Int32Array;
  latency: Float64Array;
  bandwidth: Float64Array;
}

function buildAdjacency(n: number, links: readonly NetworkLink[]): Adjacency {
  // Best link per unordered pair: lowest latency, then highest bandwidth.
  const best = new Map<number, NetworkLink>();
  for (const link of links) {
    const key = Math.min(link.from, link.to) * n + Math.max(link.from, link.to);
    const kept = best.get(key);
    if (kept === undefined || link.latencyMs < kept.latencyMs || (link.latencyMs === kept.latencyMs && link.bandwidthBps > kept.bandwidthBps)) {
      best.set(key, link);
    }
  }
  const degree = new Int32Array(n + 1);
  for (const link of best.values()) {
    degree[link.from]++;
    degree[link.to]++;
  }
  const start = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) start[u + 1] = start[u] + degree[u];
  const fill = start.slice(0, n);
  const m = start[n];
  const adjacency: Adjacency = { start, target: new Int32Array(m), latency: new Float64Array(m), bandwidth: new Float64Array(m) };
  const add = (u: number, v: number, link: NetworkLink): void => {
    const k = fill[u]++;
    adjacency.target[k] = v;
    adjacency.latency[k] = link.latencyMs;
    adjacency.bandwidth[k] = link.bandwidthBps;
  };
  for (const link of best.values()) {
    add(link.from, link.to, link);
    add(link.to, link.from, link);
  }
  return adjacency;
}

/** The n × n route tables the constructor fills. */
interface RouteTables {
  latency: Float64Array;
  bottleneck: Float64Array;
  hops: Int32Array;
  predecessor: Int32Array;
}

/**
 * Dijkstra from every source s on the key (latency, hops), which every link increases strictly
 * (hops by one) even at zero latency. Hence a node's final predecessor has a strictly smaller key
 * and is settled first, so the hop count and bottleneck can be fixed when a node is settled. The
 * run from s fills pairs (s, t) and (t, s) for t ≥ s and stops once those are all settled.
 */
function allPairsRoutes(n: number, adjacency: Adjacency, tables: RouteTables): void {
  const scratch = new DijkstraScratch(n);
  for (let s = 0; s < n; s++) routesFrom(s, n, adjacency, scratch, tables);
}

/** Per-run arrays, reused across sources. */
class DijkstraScratch {
  readonly dist: Float64Array;
  readonly hops: Int32Array;
  readonly pred: Int32Array;
  /** Bandwidth of the link from pred[v] to v. */
  readonly predBandwidth: Float64Array;
  readonly bottleneck: Float64Array;
  readonly settled: Uint8Array;
  readonly heap: IndexedHeap;

  constructor(n: number) {
    this.dist = new Float64Array(n);
    this.hops = new Int32Array(n);
    this.pred = new Int32Array(n);
    this.predBandwidth = new Float64Array(n);
    this.bottleneck = new Float64Array(n);
    this.settled = new Uint8Array(n);
    this.heap = new IndexedHeap(n, this.dist, this.hops);
  }
}

/** Shortest-path tree from s; writes row s of `predecessor` and pairs (s, t), (t, s) for t ≥ s. */
function routesFrom(s: number, n: number, adjacency: Adjacency, scratch: DijkstraScratch, tables: RouteTables): void {
  const { dist, hops, pred, predBandwidth, bottleneck, settled, heap } = scratch;
  const { start, target, latency, bandwidth } = adjacency;
  dist.fill(Infinity);
  hops.fill(0x7fffffff);
  pred.fill(-1);
  settled.fill(0);
  heap.clear();
  dist[s] = 0;
  hops[s] = 0;
  heap.push(s);
  let remaining = n - s; // targets t ≥ s not yet settled
  const row = s * n;

  while (heap.length > 0 && remaining > 0) {
    const u = heap.pop();
    settled[u] = 1;
    const p = pred[u];
    bottleneck[u] = p < 0 ? Infinity : Math.min(bottleneck[p], predBandwidth[u]);
    tables.predecessor[row + u] = p;
    if (u >= s) {
      remaining--;
      const forward = row + u;
      const backward = u * n + s;
      tables.latency[forward] = tables.latency[backward] = dist[u];
      tables.bottleneck[forward] = tables.bottleneck[backward] = bottleneck[u];
      tables.hops[forward] = tables.hops[backward] = hops[u];
    }
    const du = dist[u];
    const hu = hops[u] + 1;
    for (let k = start[u], end = start[u + 1]; k < end; k++) {
      const v = target[k];
      if (settled[v] === 1) continue;
      const dv = du + latency[k];
      if (dv < dist[v] || (dv === dist[v] && (hu < hops[v] || (hu === hops[v] && u < pred[v])))) {
        const improved = dv < dist[v] || hu < hops[v];
        dist[v] = dv;
        hops[v] = hu;
        pred[v] = u;
        predBandwidth[v] = bandwidth[k];
        if (!heap.has(v)) heap.push(v);
        else if (improved) heap.decreased(v);
      }
    }
  }
}

/**
 * Binary min-heap of node indices keyed by (dist, hops, index), with decrease-key. Each slot
 * keeps its node's distance beside it, so sifting reads the heap's own array and looks up hops
 * only on exact ties.
 */
class IndexedHeap {
  length = 0;
  private readonly items: Int32Array;
  private readonly keys: Float64Array;
  /** Position of each node in `items`, −1 when absent. */
  private readonly position: Int32Array;

  constructor(
    n: number,
    private readonly dist: Float64Array,
    private readonly hops: Int32Array,
  ) {
    this.items = new Int32Array(n);
    this.keys = new Float64Array(n);
    this.position = new Int32Array(n).fill(-1);
  }

  clear(): void {
    for (let i = 0; i < this.length; i++) this.position[this.items[i]] = -1;
    this.length = 0;
  }

  has(v: number): boolean {
    return this.position[v] >= 0;
  }

  push(v: number): void {
    this.siftUp(this.length++, v);
  }

  pop(): number {
    const top = this.items[0];
    this.position[top] = -1;
    this.length--;
    if (this.length > 0) this.siftDown(this.items[this.length]);
    return top;
  }

  /** Call after v's key went down. */
  decreased(v: number): void {
    this.siftUp(this.position[v], v);
  }

  /** Whether node a (key ka) goes before node b (key kb). */
  private before(a: number, ka: number, b: number, kb: number): boolean {
    if (ka !== kb) return ka < kb;
    const ha = this.hops[a];
    const hb = this.hops[b];
    return ha !== hb ? ha < hb : a < b;
  }

  /** Places v, whose slot is at i or below, moving parents down past it. */
  private siftUp(i: number, v: number): void {
    const { items, keys, position } = this;
    const key = this.dist[v];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent];
      if (!this.before(v, key, p, keys[parent])) break;
      items[i] = p;
      keys[i] = keys[parent];
      position[p] = i;
      i = parent;
    }
    items[i] = v;
    keys[i] = key;
    position[v] = i;
  }

  /** Places v at the root's empty slot, moving smaller children up past it. */
  private siftDown(v: number): void {
    const { items, keys, position } = this;
    const key = this.dist[v];
    const length = this.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= length) break;
      if (child + 1 < length && this.before(items[child + 1], keys[child + 1], items[child], keys[child])) child++;
      const c = items[child];
      if (!this.before(c, keys[child], v, key)) break;
      items[i] = c;
      keys[i] = keys[child];
      position[c] = i;
      i = child;
    }
    items[i] = v;
    keys[i] = key;
    position[v] = i;
  }
}
