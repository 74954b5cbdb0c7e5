// Rebuilds any space from its JSON form, with errors that name the path of the bad entry.

import { Box } from './box.js';
import { Dict } from './dict.js';
import { Discrete } from './discrete.js';
import { MultiBinary } from './multi-binary.js';
import { MultiDiscrete } from './multi-discrete.js';
import type { Space, SpaceJSON } from './space.js';
import { Tuple } from './tuple.js';

/** The space a `toJSON()` result describes. `where` names the value in error messages. */
export function spaceFromJSON(json: unknown, where = 'space'): Space<unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TypeError(`${where}: expected a space object with a "type", got ${JSON.stringify(json)}`);
  }
  const j = json as SpaceJSON;
  try {
    switch (j.type) {
      case 'Discrete':
        return new Discrete(j.n as number, (j.start as number | undefined) ?? 0);
      case 'Box':
        return Box.fromJSON(j, where);
      case 'MultiDiscrete':
        return new MultiDiscrete(j.nvec as number[], j.start as number[] | undefined);
      case 'MultiBinary':
        return new MultiBinary(j.shape as number[]);
      case 'Dict': {
        const spaces = j.spaces;
        if (typeof spaces !== 'object' || spaces === null) throw new TypeError('"spaces" must be an object');
        const built: Record<string, Space<unknown>> = {};
        for (const [k, v] of Object.entries(spaces)) built[k] = spaceFromJSON(v, `${where}.spaces.${k}`);
        return new Dict(built);
      }
      case 'Tuple': {
        if (!Array.isArray(j.spaces)) throw new TypeError('"spaces" must be an array');
        return new Tuple((j.spaces as unknown[]).map((v, i) => spaceFromJSON(v, `${where}.spaces[${i}]`)));
      }
      default:
        throw new TypeError(`unknown space type ${JSON.stringify(j.type)}; expected Discrete, Box, MultiDiscrete, MultiBinary, Dict or Tuple`);
    }
  } catch (err) {
    const message = (err as Error).message;
    if (message.startsWith(where)) throw err;
    throw new TypeError(`${where}: ${message}`);
  }
}
