// Topology: shortest-latency routes worked out by hand, tie-breaking, bottlenecks, transfer
// times, unreachable pairs, validation errors, and a seeded random graph against brute force.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NetworkLink, NetworkNode, NodeKind, TopologySpec } from '../../envs/edge/model.js';
import { Topology } from '../../envs/edge/network/topology.js';
import { Rng } from '../../src/rng.js';

const Mbps = 1e6;
const Gbps = 1e9;

function nodes(...kinds: NodeKind[]): NetworkNode[] {
  return kinds.map((kind, i) => ({ id: `n${i}`, kind }));
}

function link(from: number, to: number, latencyMs: number, bandwidthBps = Gbps): NetworkLink {
  return { from, to, latencyMs, bandwidthBps };
}

/**
 * antenna 0 ── 30 ms, 1 Gb/s ──────────── cloud 3
 *     └─ 2 ms, 100 Mb/s ─ edge 1 ─ 10 ms, 10 Gb/s ─┘
 * metro 2 hangs off the edge site: 1 ─ 4 ms, 1 Gb/s ─ 2.
 */
const triangle: TopologySpec = {
  nodes: [{ id: 'antenna', kind: 'antenna', uplinkBps: 50 * Mbps }, { id: 'edge', kind: 'edge' }, { id: 'metro', kind: 'metro' }, { id: 'cloud', kind: 'cloud' }],
  links: [link(0, 3, 30, 1 * Gbps), link(0, 1, 2, 100 * Mbps), link(1, 3, 10, 10 * Gbps), link(1, 2, 4, 1 * Gbps)],
};

describe('Topology routing', () => {
  test('takes the two-hop route when it beats the slow direct link', () => {
    const topology = new Topology(triangle);
    // Direct: 30 ms. Via the edge site: 2 + 10 = 12 ms.
    assert.equal(topology.latencyMs(0, 3), 12);
    assert.equal(topology.hops(0, 3), 2);
    assert.deepEqual(topology.path(0, 3), [0, 1, 3]);
    // The route's slowest link is the 100 Mb/s access link, not the direct link's 1 Gb/s.
    assert.equal(topology.bottleneckBps(0, 3), 100 * Mbps);
    // Antenna → metro: 2 + 4 = 6 ms over 2 hops; cloud → metro: 10 + 4 = 14 ms.
    assert.equal(topology.latencyMs(0, 2), 6);
    assert.equal(topology.latencyMs(3, 2), 14);
    assert.deepEqual(topology.path(3, 2), [3, 1, 2]);
    assert.equal(topology.bottleneckBps(3, 2), 1 * Gbps);
  });

  test('a node to itself: no latency, no hops, unlimited bandwidth, no transfer time', () => {
    const topology = new Topology(triangle);
    assert.equal(topology.latencyMs(2, 2), 0);
    assert.equal(topology.hops(2, 2), 0);
    assert.equal(topology.bottleneckBps(2, 2), Infinity);
    assert.equal(topology.transferMs(2, 2, 1e9), 0);
    assert.deepEqual(topology.path(2, 2), [2]);
    assert.equal(topology.reachable(2, 2), true);
  });

  test('transferMs = latency + bytes · 8 / bottleneck · 1000, by hand', () => {
    const topology = new Topology(triangle);
    // 1 MB from antenna to cloud: 12 ms + 8·10⁶ bit / 10⁸ bit/s = 12 ms + 80 ms.
    assert.equal(topology.transferMs(0, 3, 1e6), 92);
    // 150 kB from cloud to metro: 14 ms + 1.2·10⁶ bit / 10⁹ bit/s = 14 ms + 1.2 ms.
    assert.ok(Math.abs(topology.transferMs(3, 2, 150e3) - 15.2) < 1e-12);
    assert.equal(topology.transferMs(0, 3, 0), 12);
  });

  test('routes are symmetric: the reverse route is the same links backwards', () => {
    const topology = new Topology(triangle);
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        assert.equal(topology.latencyMs(a, b), topology.latencyMs(b, a));
        assert.equal(topology.bottleneckBps(a, b), topology.bottleneckBps(b, a));
        assert.equal(topology.hops(a, b), topology.hops(b, a));
        assert.deepEqual(topology.path(a, b), topology.path(b, a).reverse());
      }
    }
  });

  test('equal latency: fewest hops wins, then the lowest-indexed node before the end', () => {
    // 0 → 5 in 2 ms three ways: via 2 (2 hops), via 1 (2 hops), via 3 → 4 (3 hops). The via-2
    // route is listed first and is faster in bandwidth; the via-1 route still wins on index.
    const spec: TopologySpec = {
      nodes: nodes('antenna', 'router', 'router', 'router', 'router', 'cloud'),
      links: [link(0, 2, 1, 10 * Gbps), link(2, 5, 1, 10 * Gbps), link(0, 3, 1), link(3, 4, 0.5), link(4, 5, 0.5), link(0, 1, 1, 10 * Mbps), link(1, 5, 1, 10 * Mbps)],
    };
    const topology = new Topology(spec);
    assert.equal(topology.latencyMs(0, 5), 2);
    assert.equal(topology.hops(0, 5), 2);
    assert.deepEqual(topology.path(0, 5), [0, 1, 5]);
    assert.deepEqual(topology.path(5, 0), [5, 1, 0]);
    // The bottleneck is the chosen route's, in both directions.
    assert.equal(topology.bottleneckBps(0, 5), 10 * Mbps);
    assert.equal(topology.bottleneckBps(5, 0), 10 * Mbps);
    // Listing the links in reverse changes nothing.
    const reversed = new Topology({ nodes: spec.nodes, links: [...spec.links].reverse() });
    assert.deepEqual(reversed.path(0, 5), [0, 1, 5]);
    assert.equal(reversed.bottleneckBps(0, 5), 10 * Mbps);
  });

  test('zero-latency links still count hops', () => {
    const topology = new Topology({ nodes: nodes('antenna', 'router', 'edge'), links: [link(0, 1, 0), link(1, 2, 0), link(0, 2, 0)] });
    assert.equal(topology.latencyMs(0, 2), 0);
    assert.equal(topology.hops(0, 2), 1);
    assert.deepEqual(topology.path(0, 2), [0, 2]);
  });

  test('parallel links: the route uses the faster one, then the wider one', () => {
    const topology = new Topology({ nodes: nodes('edge', 'cloud'), links: [link(0, 1, 10, 100 * Gbps), link(1, 0, 5, 1 * Gbps), link(0, 1, 5, 2 * Gbps)] });
    assert.equal(topology.latencyMs(0, 1), 5);
    assert.equal(topology.bottleneckBps(0, 1), 2 * Gbps);
    assert.equal(topology.hops(0, 1), 1);
  });

  test('unreachable pairs: Infinity latency and hops, no bandwidth, and path says why', () => {
    const topology = new Topology({ nodes: nodes('antenna', 'edge', 'cloud'), links: [link(0, 1, 3)] });
    assert.equal(topology.reachable(0, 2), false);
    assert.equal(topology.reachable(2, 0), false);
    assert.equal(topology.latencyMs(0, 2), Infinity);
    assert.equal(topology.hops(2, 0), Infinity);
    assert.equal(topology.bottleneckBps(0, 2), 0);
    assert.equal(topology.transferMs(0, 2, 1000), Infinity);
    assert.equal(topology.transferMs(0, 2, 0), Infinity);
    assert.throws(() => topology.path(0, 2), /no route from node 0 \("n0"\) to node 2 \("n2"\).*add a link/);
    assert.equal(topology.reachable(0, 1), true);
    assert.throws(() => topology.path(0, 3), /to must be a node index in 0 … 2, got 3/);
  });

  test('nodesOfKind and indexOf', () => {
    const topology = new Topology({ nodes: nodes('antenna', 'edge', 'antenna', 'cloud', 'router'), links: [] });
    assert.deepEqual(topology.nodesOfKind('antenna'), [0, 2]);
    assert.deepEqual(topology.nodesOfKind('metro'), []);
    assert.equal(topology.nodesOfKind('antenna'), topology.nodesOfKind('antenna'), 'the same array each call');
    assert.equal(topology.indexOf('n3'), 3);
    assert.throws(() => topology.indexOf('nowhere'), /no node has id "nowhere"/);
    assert.throws(() => topology.nodesOfKind('satellite' as NodeKind), /unknown kind "satellite"/);
  });
});

describe('Topology validation', () => {
  const three = nodes('antenna', 'edge', 'cloud');
  const build = (links: NetworkLink[], ns = three): Topology => new Topology({ nodes: ns, links });

  test('link endpoints must be node indices', () => {
    assert.throws(() => build([link(0, 1, 1), link(1, 5, 1)]), { message: "topology: link 1 (from 1 to 5): 'to' must be a node index in 0 … 2, got 5" });
    assert.throws(() => build([link(-1, 1, 1)]), /link 0 .*'from' must be a node index in 0 … 2, got -1/);
    assert.throws(() => build([link(0.5, 1, 1)]), /link 0 .*'from' must be a node index/);
  });

  test('no self-loops', () => {
    assert.throws(() => build([link(0, 1, 1), link(0, 2, 1), link(2, 2, 1)]), /link 2 \(from 2 to 2\): a link must join two different nodes/);
  });

  test('bandwidth must be positive and finite', () => {
    assert.throws(() => build([link(0, 1, 1, 0)]), /link 0 .*bandwidthBps must be a positive finite number of bits\/s, got 0/);
    assert.throws(() => build([link(0, 1, 1, Infinity)]), /link 0 .*bandwidthBps .* got Infinity/);
    assert.throws(() => build([link(0, 1, 1, NaN)]), /link 0 .*bandwidthBps .* got NaN/);
  });

  test('latency must be finite and non-negative', () => {
    assert.throws(() => build([link(0, 1, 1), link(1, 2, -0.5)]), /link 1 \(from 1 to 2\): latencyMs must be a finite number ≥ 0, got -0.5/);
    assert.throws(() => build([link(0, 1, Infinity)]), /link 0 .*latencyMs .* got Infinity/);
  });

  test('node ids are unique and uplinks positive', () => {
    const twins: NetworkNode[] = [{ id: 'a', kind: 'edge' }, { id: 'b', kind: 'edge' }, { id: 'a', kind: 'cloud' }];
    assert.throws(() => build([], twins), /node 2: id "a" is already used by node 0/);
    assert.throws(() => build([], [{ id: 'ap', kind: 'antenna', uplinkBps: -1 }]), /node 0 \("ap"\): uplinkBps must be a positive/);
  });
});

describe('Topology on a seeded random graph', () => {
  test('matches Floyd–Warshall, and each route adds up', () => {
    const n = 40;
    const rng = new Rng(7, 'topology-test');
    const links: NetworkLink[] = [];
    // A tree over nodes 0 … 34 plus random chords; nodes 35 … 39 form their own island.
    for (let v = 1; v < 35; v++) links.push(link(rng.int(v), v, 0.5 + rng.int(20) / 4, (1 + rng.int(10)) * Gbps));
    for (let k = 0; k < 30; k++) {
      const a = rng.int(35);
      const b = rng.int(35);
      if (a !== b) links.push(link(a, b, 0.5 + rng.int(20) / 4, (1 + rng.int(10)) * Gbps));
    }
    links.push(link(35, 36, 1), link(36, 37, 1), link(37, 38, 1), link(38, 39, 1));
    const topology = new Topology({ nodes: nodes(...Array.from({ length: n }, (): NodeKind => 'router')), links });

    const reference = new Float64Array(n * n).fill(Infinity);
    for (let v = 0; v < n; v++) reference[v * n + v] = 0;
    for (const l of links) {
      reference[l.from * n + l.to] = Math.min(reference[l.from * n + l.to], l.latencyMs);
      reference[l.to * n + l.from] = Math.min(reference[l.to * n + l.from], l.latencyMs);
    }
    for (let k = 0; k < n; k++)
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) reference[i * n + j] = Math.min(reference[i * n + j], reference[i * n + k] + reference[k * n + j]);

    const linkBetween = (a: number, b: number): NetworkLink => {
      const candidates = links.filter((l) => (l.from === a && l.to === b) || (l.from === b && l.to === a));
      candidates.sort((x, y) => x.latencyMs - y.latencyMs || y.bandwidthBps - x.bandwidthBps);
      return candidates[0];
    };
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const expected = reference[a * n + b];
        assert.equal(topology.reachable(a, b), expected < Infinity, `reachable ${a} → ${b}`);
        if (expected === Infinity) {
          assert.equal(topology.latencyMs(a, b), Infinity);
          continue;
        }
        assert.ok(Math.abs(topology.latencyMs(a, b) - expected) < 1e-9, `latency ${a} → ${b}`);
        const route = topology.path(a, b);
        assert.equal(route[0], a);
        assert.equal(route[route.length - 1], b);
        assert.equal(route.length - 1, topology.hops(a, b));
        let latency = 0;
        let bottleneck = Infinity;
        for (let h = 0; h + 1 < route.length; h++) {
          const l = linkBetween(route[h], route[h + 1]);
          latency += l.latencyMs;
          bottleneck = Math.min(bottleneck, l.bandwidthBps);
        }
        assert.ok(Math.abs(latency - topology.latencyMs(a, b)) < 1e-9, `route latency ${a} → ${b}`);
        assert.equal(topology.bottleneckBps(a, b), bottleneck, `bottleneck ${a} → ${b}`);
      }
    }
  });
});
