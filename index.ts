// edgegym: the package entry. Re-exports the public API and registers the built-in envs.

import './envs/index.js';

export { Env, Wrapper, type Info, type ResetArgs, type ResetResult, type StepResult, type EnvMetadata } from './src/env.js';
export { register, unregister, make, spec, registry, type EnvSpec, type EnvRegistration, type EnvCreator, type VectorEnvCreator, type Kwargs, type MakeOptions, type EnvTypes, type EnvOf } from './src/registry.js';
export { Rng, entropySeed, checkSeed, type Seed, type RngState } from './src/rng.js';
export * from './src/spaces/index.js';
export * from './src/wrappers/index.js';
export * from './src/vector/index.js';
export { checkEnv, EnvCheckError, type CheckEnvOptions } from './src/check-env.js';
export { CartPoleEnv, CartPoleVectorEnv, type CartPoleKwargs } from './envs/index.js';
