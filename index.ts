// edgegym: the package entry. Re-exports the public API and registers the built-in envs.

import './envs/index.js';

export { Env, Wrapper, type Info, type ResetArgs, type ResetResult, type StepResult, type EnvMetadata, type WindowMetrics } from './src/env.js';
export { register, unregister, make, spec, registry, type EnvSpec, type EnvRegistration, type EnvCreator, type VectorEnvCreator, type Kwargs, type MakeOptions, type EnvTypes, type EnvOf } from './src/registry.js';
export { Rng, entropySeed, checkSeed, type Seed, type RngState } from './src/rng.js';
export * from './src/spaces/index.js';
export * from './src/wrappers/index.js';
export * from './src/vector/index.js';
export { checkEnv, EnvCheckError, type CheckEnvOptions } from './src/check-env.js';
export { checkKwargs, KwargError, type KwargSpec, type KwargSpecs } from './src/kwargs.js';
export { CartPoleEnv, CartPoleVectorEnv, type CartPoleKwargs } from './envs/index.js';

// The edge-cloud simulator: scenarios, the discrete-event kernel and the static policies.
export { Simulation, type EventHandler, type EventSwitch } from './src/sim/simulation.js';
export { EventQueue } from './src/sim/event-queue.js';
export { LogHistogram } from './src/sim/histogram.js';
export { parseQuantity, parseFraction, parsePerMinute, UnitError, type QuantityKind } from './src/sim/units.js';
export { loadScenario, ScenarioError, type LoadScenarioOptions, type ScenarioIssue } from './envs/edge/scenario/load.js';
export type { ScenarioFile } from './envs/edge/scenario/scenario-json.js';
export type * from './envs/edge/model.js';
export { Topology } from './envs/edge/network/topology.js';
export { topologyFromGraphML, haversineKm } from './envs/edge/network/graphml.js';
export { EdgeSimulator, type SimulatorOptions, type QueryObserver } from './envs/edge/sim/simulator.js';
export { type QueryRecorder, type RecordingEnv, isRecordingEnv } from './envs/edge/sim/query-observer.js';
export { instanceLayout, networkDelays, antennaSlots, topologyOf, type InstanceLayout } from './envs/edge/sim/layout.js';
export { Outcome, type OutcomeCode, type OutcomeReport, type OutcomeCounts, type DeviceReport } from './envs/edge/sim/metrics.js';
export { REJECT, DEFER, type Dispatcher, type DispatchRequest, type DispatchView } from './envs/edge/sim/dispatch.js';
export { STATIC_POLICIES, staticPolicy } from './envs/edge/aset/policies.js';
export { BUILTIN_SCENARIOS, builtinScenarioPath, resolveScenario, scenarioNamed, type BuiltinScenario } from './envs/edge/scenario/builtin.js';
export type { Policy } from './src/policy.js';

// Replay logs in Apache Arrow: step logs, their reader, the Minari export, and the query log.
export { ReplayLogger, type ReplayLoggerOptions, numericInfoKeys, maskSizeOf } from './src/replay/step-log.js';
export { RecordReplay, RecordReplayVector, type ReplayTarget, type PolicyOutputSink, isPolicyOutputSink } from './src/replay/record-replay.js';
export { readStepLog, StepLogReader, LogFiles, numberColumn, boolColumn, float32ListColumn, type StepRow, type EpisodeRecord, type ReadStepLogOptions, type SegmentInfo } from './src/replay/reader.js';
export { ReplayFormatError, STEP_LOG_FORMAT, type StepLogSpec, gymnasiumSpace, encodeSpace, decodeSpace } from './src/replay/schema.js';
export { ReplayWriteError } from './src/replay/segments.js';
export { exportMinari, type MinariExportOptions, type MinariExportResult } from './src/replay/minari.js';
export { QueryLog, logQueries, queryLogSetup, OUTCOME_NAMES, QUERY_LOG_FORMAT, QUERY_LOG_PREFIX, type QueryLogOptions } from './envs/edge/sim/query-log.js';

// The papers' environments and their baselines.
export { PolicySelectEnv, type PolicySelectKwargs, DispatchEnv, type DispatchKwargs, PlacementEnv, type PlacementKwargs } from './envs/index.js';
export type { Baseline } from './envs/edge/baseline.js';
export { POLICY_SELECT_BASELINES, FixedPolicySelection } from './envs/edge/aset/policy-select-baselines.js';
export { DISPATCH_BASELINES } from './envs/edge/ecsrl/dispatch-baselines.js';
export { PLACEMENT_BASELINES } from './envs/edge/model-driven/placement-baselines.js';
export { evaluate, type EvaluateOptions, type EvaluateResult, type PolicyResolver } from './envs/evaluate.js';
export { baselineByName, baselineNames, baselineCatalogue } from './envs/baselines.js';
