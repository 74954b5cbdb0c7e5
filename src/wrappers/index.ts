// The wrappers, in one import.
export { TimeLimit } from './time-limit.js';
export { OrderEnforcing } from './order-enforcing.js';
export { RecordEpisodeStatistics, type EpisodeStatistics } from './record-episode-statistics.js';
export { NormalizeObservation } from './normalize-observation.js';
export { NormalizeReward } from './normalize-reward.js';
export { FlattenObservation } from './flatten-observation.js';
export { ClipAction } from './clip-action.js';
export { TransformReward, TransformObservation } from './transform.js';
export { RunningMeanStd, type RunningMeanStdState } from './running-mean-std.js';
