// Vector envs, in one import.
export { VectorEnv, AUTORESET_MODE, isRestorable, type RestorableVectorEnv, type VectorEnvState, type VectorResetArgs, type VectorResetResult, type VectorStepResult } from './vector-env.js';
export { SyncVectorEnv } from './sync-vector-env.js';
export { AsyncVectorEnv, type AsyncVectorEnvOptions } from './async-vector-env.js';
export { makeVec, type MakeVecOptions, type VectorizationMode } from './make-vec.js';
export { type SubEnvSetup, type SubEnvSetupFn, type SubEnvContext, type SubEnvResource } from './setup.js';
export { actionWidth, batchActionSpace, decodeAction } from './batching.js';
