// edgegym/agents: training (PPO, A2C), tensor backends, checkpoints (save, load, resume) and
// export to ONNX and TensorFlow.js. A separate entry, so that `import 'edgegym'` never loads tfjs.

export { trainPPO, PPOTrainer, PPO_DEFAULTS, ppoLoss, type PPOConfig, type PPOLossStats } from './ppo.js';
export { trainA2C, A2CTrainer, A2C_DEFAULTS, a2cLoss, type A2CConfig, type A2CLossStats } from './a2c.js';
export type { TrainedAgent, Trainer, TrainerOptions, TrainHooks, TrainingState, UpdateStats, CommonConfig } from './training.js';
export {
  selectBackend, loadBackendPackage, checkBackendRequest, BackendUnavailableError, BACKEND_REQUESTS, AUTO_ORDER,
  type BackendRequest, type BackendName, type BackendSelection, type SelectBackendOptions,
} from './backend.js';
export { ActorCritic } from './actor-critic.js';
export { PolicyNetwork, type NetworkConfig } from './policy-network.js';
export { loadPolicy, SavedPolicy, type LoadPolicyOptions } from './policy-io.js';
export {
  loadCheckpoint, CheckpointError, POLICY_FORMAT, POLICY_FORMAT_VERSION, PACKAGE_VERSION,
  type Checkpoint, type CheckpointExpectations, type CheckpointMeta, type PolicyFile,
} from './checkpoint.js';
export { saveCheckpoint, savePolicy, checkpointFiles } from './checkpoint-save.js';
export { checkpointDir, listCheckpoints, pruneCheckpoints, resolveCheckpoint, writeFolderAtomically, CHECKPOINTS } from './checkpoint-folder.js';
export { exportOnnx, exportTfjs, onnxBytes, type ExportResult, type ExportSource } from './export.js';
export type { OnnxSignature } from './onnx/graph.js';
export { ObsNormalizer, type ObsNormState } from './obs-norm.js';
export { Adam, RMSprop, type Optimizer, type OptimizerState } from './optim.js';
