// Internet Topology Zoo GraphML → TopologySpec: node kinds by label or id, link latency from the
// great-circle distance between the endpoints' coordinates (light in fibre, 5 µs/km).
//
// The XML is read by the small parser at the end of this file rather than a dependency: GraphML
// as the Zoo writes it is plain elements, attributes and text (no DTDs, namespaces we need to
// resolve, or mixed content), so ~150 lines cover it, check well-formedness with line:column
// errors, and keep the package's dependency list unchanged.

import type { NetworkLink, NetworkNode, NodeKind, TopologySpec } from '../model.js';

export interface GraphMLOptions {
  /** The file's path as the user wrote it, for error messages. */
  file: string;
  /** Bandwidth of every link, bits/s. */
  linkBandwidthBps: number;
  /** Latency of links whose endpoints lack coordinates, ms; without it such links are an error. */
  linkLatencyMs?: number;
  /** Node kinds by GraphML node label or node id; unlisted nodes are routers. */
  kinds: Record<string, NodeKind>;
  /** Radio uplink of every antenna, bits/s. */
  uplinkBps: number;
}

/** Mean Earth radius, km (IUGG). */
export const EARTH_RADIUS_KM = 6371;
/** One-way propagation delay in optical fibre (refractive index ≈ 1.5, so ~2/3 c), ms per km. */
export const FIBRE_MS_PER_KM = 0.005;

const NODE_KINDS: readonly NodeKind[] = ['antenna', 'edge', 'metro', 'cloud', 'router'];

/** Great-circle distance between two points given in degrees, km (haversine formula). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Reads a Topology Zoo GraphML file. Nodes keep the file's order; a node's id is its label
 * when the label is unique in the file, `label [graphml-id]` when several nodes share the label,
 * and the GraphML id when it has no label. Edges are undirected: parallel edges (the Zoo has
 * them) and both directions of a pair become one link; self-loops are dropped. Every link gets
 * `linkBandwidthBps`; its latency is the endpoints' great-circle distance × 5 µs/km when both
 * have Latitude and Longitude, else `linkLatencyMs`, else an error naming the edge.
 */
export function topologyFromGraphML(
  xml: string,
  options: { file: string; linkBandwidthBps: number; linkLatencyMs?: number; kinds: Record<string, NodeKind>; uplinkBps: number },
): TopologySpec {
  const { file } = options;
  checkOptions(options);
  const root = parseXml(xml, file);
  if (localName(root.name) !== 'graphml') throw new Error(`${file}: not a GraphML file: the root element is <${root.name}>, expected <graphml>`);

  // Data keys by attribute name; the Zoo's ids (d29, d33, …) differ from file to file.
  const keys = new Map<string, { name: string; default?: string }>();
  for (const key of childrenNamed(root, 'key')) {
    const id = key.attributes.get('id');
    const forWhat = key.attributes.get('for') ?? 'all';
    if (id === undefined || (forWhat !== 'node' && forWhat !== 'all')) continue;
    const defaultElement = childrenNamed(key, 'default')[0];
    keys.set(id, { name: (key.attributes.get('attr.name') ?? id).toLowerCase(), default: defaultElement?.text.trim() });
  }

  const graphs = childrenNamed(root, 'graph');
  if (graphs.length !== 1) throw new Error(`${file}: expected one <graph> in <graphml>, found ${graphs.length}`);
  const graph = graphs[0];

  interface RawNode {
    graphmlId: string;
    label?: string;
    latitude?: number;
    longitude?: number;
  }
  const raw: RawNode[] = [];
  const indexByGraphmlId = new Map<string, number>();
  for (const element of childrenNamed(graph, 'node')) {
    const graphmlId = element.attributes.get('id');
    if (graphmlId === undefined) throw new Error(`${file}:${element.line}: <node> without an id attribute`);
    if (indexByGraphmlId.has(graphmlId)) throw new Error(`${file}:${element.line}: node id "${graphmlId}" appears twice`);
    const data = nodeData(element, keys);
    const node: RawNode = { graphmlId };
    const label = data.get('label');
    if (label !== undefined && label !== '') node.label = label;
    const where = `${file}:${element.line}: node "${graphmlId}"${node.label === undefined ? '' : ` (${node.label})`}`;
    node.latitude = coordinate(data.get('latitude'), 90, `${where}: Latitude`);
    node.longitude = coordinate(data.get('longitude'), 180, `${where}: Longitude`);
    indexByGraphmlId.set(graphmlId, raw.length);
    raw.push(node);
  }
  if (raw.length === 0) throw new Error(`${file}: the graph has no nodes`);

  const kindOf = resolveKinds(raw, options.kinds, file);
  const nodes: NetworkNode[] = raw.map((r, i) => {
    const node: NetworkNode = { id: '', kind: kindOf[i] };
    if (node.kind === 'antenna') node.uplinkBps = options.uplinkBps;
    if (r.latitude !== undefined && r.longitude !== undefined) {
      node.latitude = r.latitude;
      node.longitude = r.longitude;
    }
    return node;
  });
  assignIds(raw, nodes, file);

  const links: NetworkLink[] = [];
  const seenPairs = new Set<number>();
  const name = (i: number): string => `"${raw[i].label ?? raw[i].graphmlId}"`;
  let missing: { edge: string; count: number } | undefined;
  for (const element of childrenNamed(graph, 'edge')) {
    const ends = (['source', 'target'] as const).map((end) => {
      const id = element.attributes.get(end);
      if (id === undefined) throw new Error(`${file}:${element.line}: <edge> without a ${end} attribute`);
      const index = indexByGraphmlId.get(id);
      if (index === undefined) throw new Error(`${file}:${element.line}: edge ${end}="${id}" names no <node> in the graph`);
      return index;
    });
    const [a, b] = ends;
    if (a === b) continue;
    const pair = Math.min(a, b) * raw.length + Math.max(a, b);
    if (seenPairs.has(pair)) continue;
    seenPairs.add(pair);

    const na = nodes[a];
    const nb = nodes[b];
    let latencyMs: number;
    if (na.latitude !== undefined && na.longitude !== undefined && nb.latitude !== undefined && nb.longitude !== undefined) {
      latencyMs = haversineKm(na.latitude, na.longitude, nb.latitude, nb.longitude) * FIBRE_MS_PER_KM;
    } else if (options.linkLatencyMs !== undefined) {
      latencyMs = options.linkLatencyMs;
    } else {
      const without = [a, b].filter((i) => nodes[i].latitude === undefined).map(name);
      missing ??= {
        edge: `edge ${name(a)} – ${name(b)} (line ${element.line}, source="${raw[a].graphmlId}" target="${raw[b].graphmlId}"): ${without.join(' and ')} ${without.length > 1 ? 'have' : 'has'} no Latitude/Longitude`,
        count: 0,
      };
      missing.count++;
      continue;
    }
    links.push({ from: a, to: b, latencyMs, bandwidthBps: options.linkBandwidthBps });
  }
  if (missing !== undefined) {
    const more = missing.count > 1 ? ` (and ${missing.count - 1} more edge${missing.count > 2 ? 's' : ''} like it)` : '';
    throw new Error(
      `${file}: ${missing.edge}${more}, so the link's propagation latency is unknown; ` +
        'give linkLatency in the scenario (e.g. "linkLatency": "2 ms") to use for such links',
    );
  }
  return { nodes, links };
}

function checkOptions(options: GraphMLOptions): void {
  const where = `${options.file}: topology options`;
  if (!(options.linkBandwidthBps > 0 && Number.isFinite(options.linkBandwidthBps))) {
    throw new Error(`${where}: linkBandwidthBps must be a positive finite number of bits/s, got ${options.linkBandwidthBps}`);
  }
  if (!(options.uplinkBps > 0 && Number.isFinite(options.uplinkBps))) {
    throw new Error(`${where}: uplinkBps must be a positive finite number of bits/s, got ${options.uplinkBps}`);
  }
  if (options.linkLatencyMs !== undefined && !(options.linkLatencyMs >= 0 && Number.isFinite(options.linkLatencyMs))) {
    throw new Error(`${where}: linkLatencyMs must be a finite number ≥ 0, got ${options.linkLatencyMs}`);
  }
}

/** A node's <data> values by lower-cased key name, defaults filled in. */
function nodeData(element: XmlElement, keys: Map<string, { name: string; default?: string }>): Map<string, string> {
  const data = new Map<string, string>();
  for (const key of keys.values()) if (key.default !== undefined) data.set(key.name, key.default);
  for (const d of childrenNamed(element, 'data')) {
    const key = keys.get(d.attributes.get('key') ?? '');
    if (key !== undefined) data.set(key.name, d.text.trim());
  }
  return data;
}

function coordinate(text: string | undefined, limit: number, where: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) > limit) {
    throw new Error(`${where} must be a number of degrees in −${limit} … ${limit}, got "${text}"`);
  }
  return value;
}

/** Kind per node; every key of `kinds` must name some node, by label or GraphML id. */
function resolveKinds(raw: readonly { graphmlId: string; label?: string }[], kinds: Record<string, NodeKind>, file: string): NodeKind[] {
  const used = new Set<string>();
  const result = raw.map((node) => {
    const byLabel = node.label !== undefined && Object.hasOwn(kinds, node.label) ? kinds[node.label] : undefined;
    const byId = Object.hasOwn(kinds, node.graphmlId) ? kinds[node.graphmlId] : undefined;
    if (byLabel !== undefined) used.add(node.label as string);
    if (byId !== undefined) used.add(node.graphmlId);
    if (byLabel !== undefined && byId !== undefined && byLabel !== byId) {
      throw new Error(`${file}: kinds gives node "${node.graphmlId}" (${node.label}) two kinds: "${byLabel}" by label and "${byId}" by id; keep one`);
    }
    return byLabel ?? byId ?? 'router';
  });
  for (const [key, kind] of Object.entries(kinds)) {
    if (!NODE_KINDS.includes(kind)) throw new Error(`${file}: kinds["${key}"] must be one of ${NODE_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
    if (!used.has(key)) throw new Error(`${file}: kinds names "${key}", which is neither a node label nor a node id in the file`);
  }
  return result;
}

function assignIds(raw: readonly { graphmlId: string; label?: string }[], nodes: NetworkNode[], file: string): void {
  const labelCount = new Map<string, number>();
  for (const r of raw) if (r.label !== undefined) labelCount.set(r.label, (labelCount.get(r.label) ?? 0) + 1);
  const taken = new Map<string, number>();
  raw.forEach((r, i) => {
    const id = r.label === undefined ? r.graphmlId : labelCount.get(r.label) === 1 ? r.label : `${r.label} [${r.graphmlId}]`;
    const other = taken.get(id);
    if (other !== undefined) {
      throw new Error(`${file}: nodes "${raw[other].graphmlId}" and "${r.graphmlId}" would both be called "${id}"; rename a label`);
    }
    taken.set(id, i);
    nodes[i].id = id;
  });
}

// --- A minimal XML reader for GraphML --------------------------------------------------------

interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  /** Character data directly inside the element (entities and CDATA decoded). */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
}

/** Child elements by local name (any namespace prefix). */
function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => localName(child.name) === name);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

const NAME = /[A-Za-z_:][-\w.:]*/y;
const SPACE = /\s*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Parses a well-formed XML document into elements. Skips the declaration, processing
 * instructions, comments and a DOCTYPE without an internal subset; rejects anything else that
 * is not well-formed with "file:line:column: what".
 */
function parseXml(xml: string, file: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  // Lines are counted forward from the last position asked about, so a pass costs O(length).
  let countedTo = 0;
  let countedLine = 1;
  const lineAt = (at: number): number => {
    if (at < countedTo) {
      countedTo = 0;
      countedLine = 1;
    }
    for (; countedTo < at && countedTo < xml.length; countedTo++) if (xml.charCodeAt(countedTo) === 10) countedLine++;
    return countedLine;
  };
  const fail = (at: number, what: string): never => {
    const line = lineAt(at);
    const column = at - xml.lastIndexOf('\n', at - 1);
    throw new Error(`${file}:${line}:${column}: malformed XML: ${what}`);
  };
  const decode = (text: string, at: number): string =>
    text.replace(/&([^;&\s]*);?/g, (match: string, entity: string, offset: number) => {
      if (!match.endsWith(';')) fail(at + offset, `"&" must start an entity such as &amp; (found "${match.slice(0, 12)}")`);
      if (entity.startsWith('#x')) return codePoint(parseInt(entity.slice(2), 16), match, at + offset);
      if (entity.startsWith('#')) return codePoint(Number(entity.slice(1)), match, at + offset);
      const known = ENTITIES[entity];
      return known ?? fail(at + offset, `unknown entity ${match}`);
    });
  const codePoint = (code: number, match: string, at: number): string =>
    Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fail(at, `bad character reference ${match}`);
  const skipPast = (terminator: string, what: string): void => {
    const end = xml.indexOf(terminator, i);
    if (end < 0) fail(i, `${what} is never closed with "${terminator}"`);
    i = end + terminator.length;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const match = NAME.exec(xml);
    if (match === null) return fail(i, `expected a name, found ${JSON.stringify(xml.slice(i, i + 10))}`);
    i = NAME.lastIndex;
    return match[0];
  };
  const skipSpace = (): void => {
    SPACE.lastIndex = i;
    SPACE.exec(xml);
    i = SPACE.lastIndex;
  };
  const addText = (text: string, at: number): void => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += text;
    else if (text.trim() !== '') fail(at, 'text outside the root element');
  };

  if (xml.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      addText(decode(xml.slice(i), i), i);
      break;
    }
    if (lt > i) addText(decode(xml.slice(i, lt), i), i);
    i = lt;
    if (xml.startsWith('<!--', i)) skipPast('-->', 'a comment');
    else if (xml.startsWith('<?', i)) skipPast('?>', 'a processing instruction');
    else if (xml.startsWith('<![CDATA[', i)) {
      const start = i + 9;
      skipPast(']]>', 'a CDATA section');
      addText(xml.slice(start, i - 3), start);
    } else if (xml.startsWith('<!DOCTYPE', i)) {
      const close = xml.indexOf('>', i);
      if (close >= 0 && xml.slice(i, close).includes('[')) fail(i, 'DOCTYPE internal subsets are not supported in GraphML files');
      skipPast('>', 'a DOCTYPE');
    } else if (xml.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipSpace();
      if (xml[i] !== '>') fail(i, `expected ">" to end </${name}`);
      const open = stack.pop();
      if (open === undefined) fail(lt, `</${name}> closes nothing`);
      else if (open.name !== name) fail(lt, `</${name}> does not match <${open.name}> opened on line ${open.line}`);
      i++;
    } else {
      i++;
      const element: XmlElement = { name: readName(), attributes: new Map(), children: [], text: '', line: lineAt(lt) };
      if (stack.length === 0 && root !== undefined) fail(lt, `a second root element <${element.name}> after </${root.name}>`);
      for (;;) {
        const before = i;
        skipSpace();
        if (xml.startsWith('/>', i) || xml[i] === '>') break;
        if (i === xml.length) fail(lt, `<${element.name} is never closed with ">"`);
        if (i === before) fail(i, `expected whitespace before an attribute in <${element.name}>`);
        const attribute = readName();
        skipSpace();
        if (xml[i] !== '=') fail(i, `attribute ${attribute} in <${element.name}> needs ="value"`);
        i++;
        skipSpace();
        const quote = xml[i];
        if (quote !== '"' && quote !== "'") fail(i, `the value of ${attribute} in <${element.name}> must be quoted`);
        const close = xml.indexOf(quote, i + 1);
        if (close < 0) fail(i, `the value of ${attribute} in <${element.name}> is never closed`);
        const raw = xml.slice(i + 1, close);
        if (raw.includes('<')) fail(i + 1 + raw.indexOf('<'), `"<" inside the value of ${attribute} in <${element.name}>`);
        if (element.attributes.has(attribute)) fail(i, `attribute ${attribute} appears twice in <${element.name}>`);
        element.attributes.set(attribute, decode(raw, i + 1));
        i = close + 1;
      }
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.children.push(element);
      else root = element;
      if (xml[i] === '/') {
        i += 2;
      } else {
        i++;
        stack.push(element);
      }
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    fail(xml.length, `the file ends inside <${open.name}> opened on line ${open.line}`);
  }
  if (root === undefined) fail(0, 'no root element (is the file empty?)');
  return root as XmlElement;
}
