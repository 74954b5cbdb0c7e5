// What a scenario fixes before anything is simulated: how its model instances are numbered and
// how long a query takes to reach each device. Pure functions of the scenario, shared by the
// simulator, the envs and the query log, so no one builds a simulator just to ask.

import type { Scenario, TopologySpec } from '../model.js';
import { Topology } from '../network/topology.js';

/**
 * The model instances of a scenario: one per (device, variant with a profile there, replica),
 * numbered device by device, each device's variants by index, replicas in a row. Instance i runs
 * `variant[i]` on `device[i]` as its `replica[i]`-th copy (0 for the first).
 */
export interface InstanceLayout {
  readonly count: number;
  readonly device: Int32Array;
  readonly variant: Int32Array;
  readonly replica: Int32Array;
}

/** The scenario's instances, numbered as the simulator numbers them (see InstanceLayout). */
export function instanceLayout(scenario: Scenario): InstanceLayout {
  const device: number[] = [];
  const variant: number[] = [];
  const replica: number[] = [];
  scenario.devices.forEach((dev, d) => {
    for (const v of [...dev.profiles.keys()].sort((x, y) => x - y)) {
      const copies = dev.profiles.get(v)!.replicas ?? 1;
      for (let r = 0; r < copies; r++) {
        device.push(d);
        variant.push(v);
        replica.push(r);
      }
    }
  });
  return { count: device.length, device: Int32Array.from(device), variant: Int32Array.from(variant), replica: Int32Array.from(replica) };
}

// Routing tables cost O(nodes²) to build: build them once per topology and share them between
// simulators (a vector of envs over one scenario makes one).
const topologies = new WeakMap<TopologySpec, Topology>();

/** The routed topology of a scenario's network, built once per topology object. */
export function topologyOf(spec: TopologySpec): Topology {
  let topology = topologies.get(spec);
  if (topology === undefined) {
    topology = new Topology(spec);
    topologies.set(spec, topology);
  }
  return topology;
}

/** Each node's position in `workload.antennas` (its antenna slot), −1 for nodes that are no antenna. */
export function antennaSlots(scenario: Scenario): Int32Array {
  const slots = new Int32Array(scenario.topology.nodes.length).fill(-1);
  scenario.workload.antennas.forEach((node, slot) => (slots[node] = slot));
  return slots;
}

/**
 * How long a query of each application takes from each antenna to each device, ms: its input
 * over the antenna's radio uplink, then over the shortest-latency route to the device's site.
 * Entry [(antenna slot · applications + application) · devices + device].
 */
export function networkDelays(scenario: Scenario): Float64Array {
  const topology = topologyOf(scenario.topology);
  const { devices, applications } = scenario;
  const nd = devices.length;
  const delayMs = new Float64Array(scenario.workload.antennas.length * applications.length * nd);
  scenario.workload.antennas.forEach((node, a) => {
    const uplink = scenario.topology.nodes[node].uplinkBps ?? Infinity;
    applications.forEach((app, k) => {
      devices.forEach((dev, d) => {
        const radio = (app.inputBytes * 8 * 1000) / uplink;
        delayMs[(a * applications.length + k) * nd + d] = radio + topology.transferMs(node, dev.site, app.inputBytes);
      });
    });
  });
  return delayMs;
}
