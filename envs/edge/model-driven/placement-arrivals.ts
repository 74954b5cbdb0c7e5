// How applications arrive on Placement-v0: a type drawn by the scenario's weights, or the
// episode's script (reset option `arrivals`), checked against the scenario before it runs.

import type { Application, Scenario } from '../model.js';

/** A scripted arrival (reset option `arrivals`). */
export interface ScriptedArrival {
  application: string | number;
  rateHz?: number;
  phaseMs?: number;
  /** Antenna node id; default drawn. */
  antenna?: string;
}

/** The application index a uniform draw `u` picks, by the applications' weights. */
export function drawWeighted(applications: readonly Application[], u: number): number {
  const total = applications.reduce((sum, a) => sum + a.weight, 0);
  let acc = 0;
  for (let k = 0; k < applications.length - 1; k++) {
    acc += applications[k].weight / total;
    if (u < acc) return k;
  }
  return applications.length - 1;
}

/** Validates reset options' `arrivals`, resolving application ids to indices. */
export function readScript(value: unknown, scenario: Scenario, maxApps: number): ScriptedArrival[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length === 0) throw new TypeError(`Placement.reset: options.arrivals must be a non-empty array of { application, rateHz?, phaseMs?, antenna? }, got ${JSON.stringify(value)}`);
  const ids = scenario.applications.map((a) => a.id);
  return value.slice(0, maxApps).map((raw: unknown, i): ScriptedArrival => {
    const where = `Placement.reset: options.arrivals[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new TypeError(`${where} must be an object { application, rateHz?, phaseMs?, antenna? }, got ${JSON.stringify(raw)}`);
    const a = raw as Record<string, unknown>;
    let type = typeof a.application === 'number' ? a.application : ids.indexOf(String(a.application));
    if (!(Number.isInteger(type) && type >= 0 && type < ids.length)) throw new RangeError(`${where}.application ${JSON.stringify(a.application)} is not an application of ${scenario.name} (${ids.join(', ')})`);
    type = type as number;
    const rateHz = a.rateHz;
    if (rateHz !== undefined && !(typeof rateHz === 'number' && rateHz > 0 && Number.isFinite(rateHz))) throw new RangeError(`${where}.rateHz must be a positive number, got ${JSON.stringify(rateHz)}`);
    const interval = 1000 / ((rateHz as number | undefined) ?? 1000 / scenario.applications[type].frameIntervalMs);
    const phaseMs = a.phaseMs;
    if (phaseMs !== undefined && !(typeof phaseMs === 'number' && phaseMs >= 0 && phaseMs < interval)) throw new RangeError(`${where}.phaseMs must be in [0, ${interval}) ms (one frame interval), got ${JSON.stringify(phaseMs)}`);
    const antenna = a.antenna;
    if (antenna !== undefined && !scenario.workload.antennas.some((n) => scenario.topology.nodes[n].id === antenna)) {
      throw new RangeError(`${where}.antenna ${JSON.stringify(antenna)} is not an antenna of ${scenario.name} (${scenario.workload.antennas.map((n) => scenario.topology.nodes[n].id).join(', ')})`);
    }
    return { application: type, rateHz: rateHz as number | undefined, phaseMs: phaseMs as number | undefined, antenna: antenna as string | undefined };
  });
}
