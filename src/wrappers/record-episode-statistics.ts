// RecordEpisodeStatistics: at the end of each episode adds `info.episode = { r, l, t }`
// (return, length, wall-clock seconds) and keeps the last `bufferLength` of each.

import { type Env, type ResetArgs, type ResetResult, type StepResult, Wrapper } from '../env.js';

/** The statistics of one finished episode. */
export interface EpisodeStatistics {
  /** Undiscounted return. */
  r: number;
  /** Length in steps. */
  l: number;
  /** Wall-clock seconds since the episode's reset. */
  t: number;
}

export class RecordEpisodeStatistics<Obs, Act> extends Wrapper<Obs, Act> {
  readonly bufferLength: number;
  /** Returns, lengths and times of the most recent episodes, oldest first. */
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  readonly timeQueue: number[] = [];
  episodeCount = 0;
  private episodeReturn = 0;
  private episodeLength = 0;
  private episodeStart = 0;

  constructor(env: Env<Obs, Act>, bufferLength = 100) {
    super(env);
    this.bufferLength = bufferLength;
  }

  override reset(args?: ResetArgs): ResetResult<Obs> {
    const result = this.env.reset(args);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.episodeStart = performance.now();
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    this.episodeReturn += result.reward;
    this.episodeLength += 1;
    if (result.terminated || result.truncated) {
      const episode: EpisodeStatistics = {
        r: this.episodeReturn,
        l: this.episodeLength,
        t: Math.round(performance.now() - this.episodeStart) / 1000,
      };
      result.info = { ...result.info, episode };
      this.episodeCount += 1;
      push(this.returnQueue, episode.r, this.bufferLength);
      push(this.lengthQueue, episode.l, this.bufferLength);
      push(this.timeQueue, episode.t, this.bufferLength);
    }
    return result;
  }
}

function push(queue: number[], value: number, limit: number): void {
  queue.push(value);
  if (queue.length > limit) queue.shift();
}
