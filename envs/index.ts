// Registers the built-in environments. Importing this module (the package entry does) is what
// makes `make('CartPole-v1')` work, here and in AsyncVectorEnv's worker threads.

import { register } from '../src/registry.js';
import { CartPoleEnv, type CartPoleKwargs } from './classic/cartpole.js';
import { CartPoleVectorEnv } from './classic/cartpole-vector.js';
import { DispatchEnv, type DispatchKwargs } from './edge/ecsrl/dispatch-env.js';
import { PlacementEnv, type PlacementKwargs } from './edge/model-driven/placement-env.js';
import { PolicySelectEnv, type PolicySelectKwargs } from './edge/aset/policy-select-env.js';

declare module '../src/registry.js' {
  interface EnvTypes {
    'CartPole-v1': { observation: Float32Array; action: number };
    'EdgeSched/PolicySelect-v0': { observation: Float32Array; action: number };
    'EdgeSched/Placement-v0': { observation: Float32Array; action: number };
    'EdgeSched/Dispatch-v0': { observation: Float32Array; action: number };
  }
}

register({
  id: 'CartPole-v1',
  entryPoint: (kwargs) => new CartPoleEnv(kwargs as CartPoleKwargs),
  vectorEntryPoint: (numEnvs, kwargs, maxEpisodeSteps) => new CartPoleVectorEnv(numEnvs, kwargs as CartPoleKwargs, maxEpisodeSteps),
  maxEpisodeSteps: 500,
  rewardThreshold: 475,
  module: import.meta.url,
});

register({
  id: 'EdgeSched/PolicySelect-v0',
  entryPoint: (kwargs) => new PolicySelectEnv(kwargs as PolicySelectKwargs),
  module: import.meta.url,
});

register({
  id: 'EdgeSched/Dispatch-v0',
  entryPoint: (kwargs) => new DispatchEnv(kwargs as DispatchKwargs),
  module: import.meta.url,
});

register({
  id: 'EdgeSched/Placement-v0',
  entryPoint: (kwargs) => new PlacementEnv(kwargs as PlacementKwargs),
  module: import.meta.url,
});

export { PolicySelectEnv, type PolicySelectKwargs };
export { PlacementEnv, type PlacementKwargs };
export { DispatchEnv, type DispatchKwargs };
export { CartPoleEnv, CartPoleVectorEnv, type CartPoleKwargs };
