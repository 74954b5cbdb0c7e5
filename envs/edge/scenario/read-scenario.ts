// The whole scenario: each section read in the order references need them, then the checks
// that span sections (every antenna reaches a device).

import type { Device, Scenario } from '../model.js';
import { Checker, entry } from './checker.js';
import { readDevices, readDeviceTypes, readModels } from './read-devices.js';
import { type LoadedTopology, readTopology } from './read-topology.js';
import { type LoadedWorkload, readApplications, readServiceNoise, readWorkload } from './read-workload.js';

// ---------------------------------------------------------------------------------------------
// The scenario, section by section, in the order references need them.

const TOP_KEYS = ['name', 'description', 'sources', 'topology', 'models', 'deviceTypes', 'devices', 'applications', 'workload', 'serviceNoise'] as const;

export function readScenario(data: unknown, check: Checker, baseDir: string): Scenario | undefined {
  const root = check.object(data, '$', 'a scenario object with name, topology, models, deviceTypes, devices, applications and workload', TOP_KEYS);
  if (root === undefined) return undefined;
  const name = check.string(root.name, '$.name');
  const description = check.string(root.description, '$.description', 'a string', { optional: true, allowEmpty: true }) ?? '';
  for (const [key, text] of check.record(root.sources, '$.sources', 'an object of source notes by key', { optional: true }) ?? []) {
    check.string(text, entry('$.sources', key), 'a string', { allowEmpty: true });
  }

  const topology = readTopology(root.topology, check, baseDir);
  const models = readModels(root.models, check);
  const types = readDeviceTypes(root.deviceTypes, check, models);
  const devices = readDevices(root.devices, check, types, topology);
  const applications = readApplications(root.applications, check, models);
  const workload = readWorkload(root.workload, check, topology, applications, baseDir);
  const serviceNoise = readServiceNoise(root.serviceNoise, check);

  if (topology !== undefined && devices !== undefined && workload !== undefined) {
    checkReachable(topology, devices, workload, check);
  }
  if (name === undefined || topology === undefined || models === undefined || devices === undefined) return undefined;
  if (applications === undefined || workload === undefined || serviceNoise === undefined) return undefined;
  return {
    name,
    description,
    topology: topology.spec,
    variants: models.variants,
    devices,
    applications: applications.list,
    workload: workload.workload,
    serviceNoise,
  };
}

// --- whole-scenario checks -------------------------------------------------------------------

/** Every workload antenna must reach at least one device's site, or its streams could go nowhere. */
function checkReachable(topology: LoadedTopology, devices: Device[], workload: LoadedWorkload, check: Checker): void {
  const n = topology.spec.nodes.length;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const { from, to } of topology.spec.links) {
    neighbours[from].push(to);
    neighbours[to].push(from);
  }
  const sites = new Set(devices.map((d) => d.site));
  workload.workload.antennas.forEach((antenna, i) => {
    const seen = new Uint8Array(n);
    const stack = [antenna];
    seen[antenna] = 1;
    while (stack.length > 0) {
      const u = stack.pop() as number;
      if (sites.has(u)) return;
      for (const v of neighbours[u]) {
        if (seen[v] === 0) {
          seen[v] = 1;
          stack.push(v);
        }
      }
    }
    check.fail(
      workload.antennaPaths[i],
      'an antenna linked (through any number of links) to the site of at least one device',
      `antenna ${JSON.stringify(topology.spec.nodes[antenna].id)}, from which no device is reachable`,
    );
  });
}
