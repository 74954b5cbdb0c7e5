// Scenario readers for `topology`: inline nodes and links, or an Internet Topology Zoo GraphML
// file whose coordinates become propagation delays.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NetworkLink, NetworkNode, NodeKind, TopologySpec } from '../model.js';
import { topologyFromGraphML } from '../network/graphml.js';
import { at, Checker, describe, entry, field, isPlainObject, listIds, messageOf, MISSING } from './checker.js';
import { displayPath } from './locations.js';

// --- topology --------------------------------------------------------------------------------

const NODE_KINDS: readonly NodeKind[] = ['antenna', 'edge', 'metro', 'cloud', 'router'];
const GRAPHML_KINDS = ['antenna', 'edge', 'metro', 'cloud'] as const;
const INLINE_TOPOLOGY_KEYS = ['nodes', 'links'] as const;
const GRAPHML_TOPOLOGY_KEYS = ['graphml', 'linkBandwidth', 'linkLatency', 'kinds', 'uplink'] as const;
const NODE_KEYS = ['id', 'kind', 'uplink', 'latitude', 'longitude'] as const;
const LINK_KEYS = ['from', 'to', 'latency', 'bandwidth'] as const;

export interface LoadedTopology {
  spec: TopologySpec;
  index: Map<string, number>;
  /** Where each node came from, for errors about a node. */
  nodePaths: string[];
}

export function readTopology(value: unknown, check: Checker, baseDir: string): LoadedTopology | undefined {
  const path = '$.topology';
  const what = 'a topology: { "nodes": [...], "links": [...] } or { "graphml": "file.graphml", "linkBandwidth", "kinds", "uplink" }';
  const isGraphML = isPlainObject(value) && Object.hasOwn(value, 'graphml');
  const topo = check.object(value, path, what, isGraphML ? GRAPHML_TOPOLOGY_KEYS : INLINE_TOPOLOGY_KEYS);
  if (topo === undefined) return undefined;
  return isGraphML ? readGraphMLTopology(topo, check, baseDir) : readInlineTopology(topo, check);
}

function readInlineTopology(topo: Record<string, unknown>, check: Checker): LoadedTopology | undefined {
  const before = check.count;
  const nodes: NetworkNode[] = [];
  const index = new Map<string, number>();
  const nodePaths: string[] = [];
  const seen = new Map<string, string>();
  const nodesPath = '$.topology.nodes';
  const nodeList = check.array(topo.nodes, nodesPath, 'an array of nodes { "id", "kind", … }', { nonEmpty: true }) ?? [];
  nodeList.forEach((raw, i) => {
    const path = at(nodesPath, i);
    const node = check.object(raw, path, 'a node { "id", "kind", "uplink"? }', NODE_KEYS);
    if (node === undefined) return;
    const id = check.string(node.id, field(path, 'id'), 'a non-empty node id');
    const kind = check.oneOf(node.kind, field(path, 'kind'), NODE_KINDS);
    const out: NetworkNode = { id: id ?? '', kind: kind ?? 'router' };
    if (kind === 'antenna') {
      const uplink = check.quantity(node.uplink, field(path, 'uplink'), 'bandwidth', 'positive', { why: 'every antenna needs its radio uplink' });
      if (uplink !== undefined) out.uplinkBps = uplink;
    } else if (node.uplink !== undefined && kind !== undefined) {
      check.fail(field(path, 'uplink'), `no uplink: only antennas have one, this node is ${JSON.stringify(kind)}`, describe(node.uplink));
    }
    const latitude = check.number(node.latitude, field(path, 'latitude'), { min: -90, max: 90 }, { optional: true });
    const longitude = check.number(node.longitude, field(path, 'longitude'), { min: -180, max: 180 }, { optional: true });
    if ((node.latitude === undefined) !== (node.longitude === undefined)) {
      const missing = node.latitude === undefined ? 'latitude' : 'longitude';
      check.fail(field(path, missing), `a ${missing} in degrees too: latitude and longitude go together`, MISSING);
    }
    if (latitude !== undefined && longitude !== undefined) {
      out.latitude = latitude;
      out.longitude = longitude;
    }
    if (id !== undefined && check.unique(seen, id, field(path, 'id'), 'a node id')) index.set(id, nodes.length);
    nodes.push(out);
    nodePaths.push(path);
  });

  const links: NetworkLink[] = [];
  const linksPath = '$.topology.links';
  const linkList = check.array(topo.links, linksPath, 'an array of links { "from", "to", "latency", "bandwidth" }') ?? [];
  linkList.forEach((raw, i) => {
    const path = at(linksPath, i);
    const link = check.object(raw, path, 'a link { "from", "to", "latency", "bandwidth" }', LINK_KEYS);
    if (link === undefined) return;
    const ends = (['from', 'to'] as const).map((end) => {
      const id = check.string(link[end], field(path, end), 'a node id from $.topology.nodes');
      if (id === undefined || nodeList.length === 0) return undefined;
      const node = index.get(id);
      if (node === undefined) return check.fail(field(path, end), `a node id from $.topology.nodes (${listIds(index.keys())})`, `${JSON.stringify(id)}, which is no node`);
      return node;
    });
    const [from, to] = ends;
    if (from !== undefined && to !== undefined && from === to) {
      check.fail(field(path, 'to'), 'a node other than "from": a link joins two different nodes', JSON.stringify(link.to));
    }
    const latencyMs = check.quantity(link.latency, field(path, 'latency'), 'time', 'non-negative', { why: 'links in an inline topology need their latency' });
    const bandwidthBps = check.quantity(link.bandwidth, field(path, 'bandwidth'), 'bandwidth', 'positive');
    links.push({ from: from ?? -1, to: to ?? -1, latencyMs: latencyMs ?? NaN, bandwidthBps: bandwidthBps ?? NaN });
  });
  return check.count > before ? undefined : { spec: { nodes, links }, index, nodePaths };
}

function readGraphMLTopology(topo: Record<string, unknown>, check: Checker, baseDir: string): LoadedTopology | undefined {
  const before = check.count;
  const path = '$.topology';
  const graphml = check.string(topo.graphml, field(path, 'graphml'), 'the path of a GraphML file, relative to the scenario file');
  const linkBandwidthBps = check.quantity(topo.linkBandwidth, field(path, 'linkBandwidth'), 'bandwidth', 'positive');
  const linkLatencyMs = check.quantity(topo.linkLatency, field(path, 'linkLatency'), 'time', 'non-negative', { optional: true });
  const uplinkBps = check.quantity(topo.uplink, field(path, 'uplink'), 'bandwidth', 'positive', { why: 'the radio uplink of every antenna' });
  const kinds: Record<string, NodeKind> = {};
  const kindsPath = field(path, 'kinds');
  for (const [name, kind] of check.record(topo.kinds, kindsPath, 'an object of node kinds by GraphML label or id, e.g. { "Amsterdam": "cloud" }') ?? []) {
    const k = check.oneOf(kind, entry(kindsPath, name), GRAPHML_KINDS);
    if (k !== undefined) kinds[name] = k;
  }
  if (check.count > before || graphml === undefined || linkBandwidthBps === undefined || uplinkBps === undefined) return undefined;

  const filePath = resolve(baseDir, graphml);
  let xml: string;
  try {
    xml = readFileSync(filePath, 'utf8');
  } catch (error) {
    return check.fail(field(path, 'graphml'), 'a readable GraphML file, relative to the scenario file', `${JSON.stringify(graphml)} (${messageOf(error)})`);
  }
  let spec: TopologySpec;
  try {
    const options = { file: displayPath(filePath), linkBandwidthBps, kinds, uplinkBps };
    spec = topologyFromGraphML(xml, linkLatencyMs === undefined ? options : { ...options, linkLatencyMs });
  } catch (error) {
    return check.fail(field(path, 'graphml'), 'a Topology Zoo GraphML file matching "kinds" (and "linkLatency" for links without coordinates)', messageOf(error));
  }
  const index = new Map(spec.nodes.map((node, i) => [node.id, i]));
  return { spec, index, nodePaths: spec.nodes.map((node) => `${field(path, 'graphml')} (node ${JSON.stringify(node.id)})`) };
}
