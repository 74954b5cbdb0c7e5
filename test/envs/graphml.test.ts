// Topology Zoo GraphML import: great-circle latencies checked by hand, node kinds, duplicate
// edges, the missing-coordinate error and its linkLatency fix, and malformed files.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { topologyFromGraphML } from '../../envs/edge/network/graphml.js';
import type { NodeKind } from '../../envs/edge/model.js';
import { Topology } from '../../envs/edge/network/topology.js';

// Compiled tests run from dist*/test/envs/; the fixtures stay in the source tree.
const fixtures = new URL('../../../test/fixtures/topologies/', import.meta.url);
const readFixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');

const base = { linkBandwidthBps: 10e9, uplinkBps: 100e6, kinds: {} as Record<string, NodeKind> };

/**
 * Great-circle distance written out independently of the code under test:
 * d = 2R · asin √( sin²(Δφ/2) + cos φ₁ · cos φ₂ · sin²(Δλ/2) ), R = 6371 km, angles in radians.
 */
function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;
  const phi1 = toRadians(lat1);
  const phi2 = toRadians(lat2);
  const halfDeltaPhi = (phi2 - phi1) / 2;
  const halfDeltaLambda = toRadians(lon2 - lon1) / 2;
  const h = Math.sin(halfDeltaPhi) * Math.sin(halfDeltaPhi) + Math.cos(phi1) * Math.cos(phi2) * Math.sin(halfDeltaLambda) * Math.sin(halfDeltaLambda);
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
/** 5 µs per km of fibre, in ms. */
const fibreMs = (km: number): number => (km * 5) / 1000;

/** A small file in the Zoo's layout, for one-off cases. */
function zoo(nodes: { id: string; label?: string; lat?: number; lon?: number }[], edges: [string, string][]): string {
  const data = (key: string, value: string | number | undefined): string => (value === undefined ? '' : `<data key="${key}">${value}</data>`);
  return [
    '<?xml version="1.0" encoding="utf-8"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '<key attr.name="label" attr.type="string" for="graph" id="d0" />',
    '<key attr.name="Longitude" attr.type="double" for="node" id="d30" />',
    '<key attr.name="Latitude" attr.type="double" for="node" id="d32" />',
    '<key attr.name="label" attr.type="string" for="node" id="d33" />',
    '<graph edgedefault="undirected"><data key="d0">Inline</data>',
    ...nodes.map((n) => `<node id="${n.id}">${data('d30', n.lon)}${data('d32', n.lat)}${data('d33', n.label)}</node>`),
    ...edges.map(([s, t]) => `<edge source="${s}" target="${t}" />`),
    '</graph></graphml>',
  ].join('\n');
}

describe('topologyFromGraphML on a Topology Zoo file', () => {
  const spec = topologyFromGraphML(readFixture('europe5.graphml'), {
    ...base,
    file: 'europe5.graphml',
    kinds: { London: 'antenna', Paris: 'edge', '4': 'cloud' },
  });

  test('nodes keep file order, labels become ids, coordinates are kept', () => {
    assert.deepEqual(
      spec.nodes.map((n) => n.id),
      ['London', 'Paris', 'Brussels', 'Amsterdam', 'Frankfurt'],
    );
    assert.equal(spec.nodes[0].latitude, 51.5074);
    assert.equal(spec.nodes[0].longitude, -0.1278);
  });

  test('kinds by label or by node id; unlisted nodes are routers; antennas get the uplink', () => {
    assert.deepEqual(
      spec.nodes.map((n) => n.kind),
      ['antenna', 'edge', 'router', 'router', 'cloud'],
    );
    assert.equal(spec.nodes[0].uplinkBps, 100e6);
    assert.equal(spec.nodes[1].uplinkBps, undefined);
  });

  test('London–Paris latency is the great-circle distance at 5 µs/km', () => {
    const km = greatCircleKm(51.5074, -0.1278, 48.8566, 2.3522);
    assert.ok(Math.abs(km - 343.5) < 0.5, `London–Paris is about 343.5 km, got ${km}`);
    const londonParis = spec.links.find((l) => l.from === 0 && l.to === 1);
    assert.ok(londonParis !== undefined);
    assert.ok(Math.abs(londonParis.latencyMs - fibreMs(km)) < 1e-12, `${londonParis.latencyMs} vs ${fibreMs(km)}`);
    assert.ok(Math.abs(londonParis.latencyMs - 1.7175) < 0.0025);
    assert.equal(londonParis.bandwidthBps, 10e9);
  });

  test('parallel and reversed duplicate edges collapse to one link each', () => {
    // The file has 8 edges: London–Paris twice and Amsterdam–Frankfurt once each way.
    assert.equal(spec.links.length, 6);
    const pairs = spec.links.map((l) => [Math.min(l.from, l.to), Math.max(l.from, l.to)].join('-'));
    assert.deepEqual(pairs, ['0-1', '0-3', '1-2', '2-3', '3-4', '1-4']);
  });

  test('routes over it: London → Frankfurt goes via Amsterdam, not Paris', () => {
    const topology = new Topology(spec);
    const viaAmsterdam = greatCircleKm(51.5074, -0.1278, 52.3676, 4.9041) + greatCircleKm(52.3676, 4.9041, 50.1109, 8.6821);
    const viaParis = greatCircleKm(51.5074, -0.1278, 48.8566, 2.3522) + greatCircleKm(48.8566, 2.3522, 50.1109, 8.6821);
    assert.ok(viaAmsterdam < viaParis); // 721 km against 821 km
    assert.deepEqual(topology.path(topology.indexOf('London'), topology.indexOf('Frankfurt')), [0, 3, 4]);
    assert.ok(Math.abs(topology.latencyMs(0, 4) - fibreMs(viaAmsterdam)) < 1e-12);
  });
});

describe('topologyFromGraphML without coordinates', () => {
  const xml = readFixture('no-coordinates.graphml');

  test('is an error naming the file, the edge and the fix', () => {
    assert.throws(
      () => topologyFromGraphML(xml, { ...base, file: 'scenarios/no-coordinates.graphml' }),
      (error: Error) => {
        assert.match(error.message, /^scenarios\/no-coordinates\.graphml: /);
        assert.match(error.message, /edge "Core1" – "Core2" \(line \d+, source="0" target="1"\): "Core1" and "Core2" have no Latitude\/Longitude/);
        assert.match(error.message, /and 3 more edges like it/);
        assert.match(error.message, /give linkLatency in the scenario/);
        return true;
      },
    );
  });

  test('linkLatencyMs fills in for every such link', () => {
    const spec = topologyFromGraphML(xml, { ...base, file: 'no-coordinates.graphml', linkLatencyMs: 2, kinds: { Access1: 'antenna', Core2: 'cloud' } });
    assert.equal(spec.links.length, 4);
    assert.ok(spec.links.every((l) => l.latencyMs === 2 && l.bandwidthBps === 10e9));
    assert.deepEqual(
      spec.nodes.map((n) => `${n.id}:${n.kind}`),
      ['Core1:router', 'Core2:cloud', 'Access1:antenna', 'Access2:router'],
    );
    assert.equal(spec.nodes[0].latitude, undefined);
    // Access1 → Core2 is two hops either way round the ring (4 ms); the tie goes through Core1 (index 0).
    assert.deepEqual(new Topology(spec).path(2, 1), [2, 0, 1]);
  });

  test('with some coordinates, only links missing them take linkLatencyMs', () => {
    const xml = zoo(
      [
        { id: 'a', label: 'London', lat: 51.5074, lon: -0.1278 },
        { id: 'b', label: 'Paris', lat: 48.8566, lon: 2.3522 },
        { id: 'c', label: 'Customer' },
      ],
      [
        ['a', 'b'],
        ['b', 'c'],
      ],
    );
    assert.throws(() => topologyFromGraphML(xml, { ...base, file: 'mixed.graphml' }), /mixed\.graphml: edge "Paris" – "Customer" .*: "Customer" has no Latitude\/Longitude, .*give linkLatency/);
    const spec = topologyFromGraphML(xml, { ...base, file: 'mixed.graphml', linkLatencyMs: 0.25 });
    assert.ok(Math.abs(spec.links[0].latencyMs - fibreMs(greatCircleKm(51.5074, -0.1278, 48.8566, 2.3522))) < 1e-12);
    assert.equal(spec.links[1].latencyMs, 0.25);
  });
});

describe('topologyFromGraphML details', () => {
  test('shared labels get the GraphML id appended; unlabelled nodes use the GraphML id', () => {
    const spec = topologyFromGraphML(
      zoo([{ id: '0', label: 'Node' }, { id: '1', label: 'Node' }, { id: '2' }, { id: '3', label: 'AT&amp;T PoP' }], [['0', '1'], ['1', '2'], ['2', '3'], ['3', '3']]),
      { ...base, file: 'names.graphml', linkLatencyMs: 1, kinds: { 'AT&T PoP': 'edge' } },
    );
    assert.deepEqual(
      spec.nodes.map((n) => n.id),
      ['Node [0]', 'Node [1]', '2', 'AT&T PoP'],
    );
    assert.equal(spec.nodes[3].kind, 'edge');
    assert.equal(spec.links.length, 3, 'the self-loop 3–3 is dropped');
  });

  test('kinds must name nodes that exist, with known kinds', () => {
    const xml = zoo([{ id: '0', label: 'A' }, { id: '1', label: 'B' }], [['0', '1']]);
    const options = { ...base, file: 'k.graphml', linkLatencyMs: 1 };
    assert.throws(() => topologyFromGraphML(xml, { ...options, kinds: { C: 'edge' } }), /k\.graphml: kinds names "C", which is neither a node label nor a node id/);
    assert.throws(() => topologyFromGraphML(xml, { ...options, kinds: { A: 'fog' as NodeKind } }), /kinds\["A"\] must be one of antenna, edge, metro, cloud, router, got "fog"/);
    assert.throws(() => topologyFromGraphML(xml, { ...options, kinds: { A: 'edge', '0': 'cloud' } }), /two kinds: "edge" by label and "cloud" by id/);
  });

  test('edges must name nodes; coordinates must be degrees', () => {
    assert.throws(
      () => topologyFromGraphML(zoo([{ id: '0' }], [['0', '9']]), { ...base, file: 'e.graphml', linkLatencyMs: 1 }),
      /e\.graphml:\d+: edge target="9" names no <node> in the graph/,
    );
    assert.throws(
      () => topologyFromGraphML(zoo([{ id: '0', label: 'X', lat: 123, lon: 0 }], []), { ...base, file: 'c.graphml' }),
      /c\.graphml:\d+: node "0" \(X\): Latitude must be a number of degrees in −90 … 90, got "123"/,
    );
  });

  test('malformed XML is an error naming the file and where', () => {
    const options = { ...base, file: 'broken.graphml', linkLatencyMs: 1 };
    const cases: [string, RegExp][] = [
      ['<graphml><graph><node id="0"></graph></graphml>', /^broken\.graphml:1:\d+: malformed XML: <\/graph> does not match <node> opened on line 1$/],
      ['<graphml>\n<graph>\n<node id="0">', /^broken\.graphml:3:\d+: malformed XML: the file ends inside <node> opened on line 3$/],
      ['<graphml><graph><node id=0/></graph></graphml>', /^broken\.graphml:1:\d+: malformed XML: the value of id in <node> must be quoted$/],
      ['<graphml><graph><data key="d0">R&D</data></graph></graphml>', /^broken\.graphml:1:\d+: malformed XML: "&" must start an entity/],
      ['<graphml/><graphml/>', /malformed XML: a second root element <graphml>/],
      ['', /^broken\.graphml:1:1: malformed XML: no root element/],
      ['not xml at all', /^broken\.graphml:1:1: malformed XML: text outside the root element/],
    ];
    for (const [xml, message] of cases) assert.throws(() => topologyFromGraphML(xml, options), { message }, JSON.stringify(xml));
  });

  test('a well-formed file that is not GraphML', () => {
    assert.throws(() => topologyFromGraphML('<svg></svg>', { ...base, file: 'x.svg' }), /x\.svg: not a GraphML file: the root element is <svg>, expected <graphml>/);
  });
});
