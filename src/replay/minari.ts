// Exports a step log as a Minari dataset (its Arrow format): `data/metadata.json`, and per
// episode `data/<id>/part-0.arrow` (one record batch) with `data/<id>/metadata.json`.

import fs from 'node:fs';
import path from 'node:path';
import { Bool, Field, Float64, makeData, RecordBatch, Schema, Struct, Table, tableToIPC } from 'apache-arrow';
import { spec as registeredSpec } from '../registry.js';
import { readStepLog, type EpisodeRecord } from './reader.js';
import { encodeSpace, gymnasiumSpace, pythonJSON, spaceType, spaceWidth, type StepLogSpec } from './schema.js';
import { makeDirs } from '../make-dirs.js';

/** The Minari storage format version the export follows (its `minari_version` field). */
export const MINARI_FORMAT_VERSION = '0.5.3';

export interface MinariExportOptions {
  /** `(namespace/)name-v(version)`; default `edgegym/<env id>/replay-v0`. */
  datasetId?: string;
  author?: string;
  authorEmail?: string;
  codePermalink?: string;
}

export interface MinariExportResult {
  dir: string;
  datasetId: string;
  episodes: number;
  steps: number;
  /** Episodes the log ends inside of (no final row): left out, as Minari holds whole episodes. */
  skippedEpisodes: number;
}

/** True for an id Minari parses: `(namespace/)name-v<version>`, e.g. `edgegym/cartpole/replay-v0`. */
export function isDatasetId(id: string): boolean {
  return /^(?:[-_\w][-_\w/]*[-_\w]+\/)?[-_\w]+?-v\d+$/.test(id);
}

/**
 * Writes the complete episodes of the step log in `logDir` as a Minari dataset in `outDir`, so
 * `minari.load_dataset` opens it once `outDir` sits at `$MINARI_DATASETS_PATH/<dataset id>`.
 * As in Minari's arrow storage, an episode of T steps has T + 1 rows: observations include the
 * final one; actions, rewards and flags are padded with zeros on the last row; `infos` (the
 * numeric `info.*` columns) are aligned with the observations.
 */
export function exportMinari(logDir: string, outDir: string, options: MinariExportOptions = {}): MinariExportResult {
  const reader = readStepLog(logDir);
  const spec = reader.spec!;
  const dataDir = path.join(path.resolve(outDir), 'data');
  if (fs.existsSync(path.join(dataDir, 'metadata.json'))) throw new Error(`${dataDir} already holds a Minari dataset; choose another directory or delete it`);
  const datasetId = options.datasetId ?? `edgegym/${spec.envId}/replay-v0`;
  if (!isDatasetId(datasetId)) throw new RangeError(`dataset id ${JSON.stringify(datasetId)} must look like (namespace/)name-v<version>, as Minari parses it`);
  makeDirs(dataDir);

  let episodes = 0;
  let steps = 0;
  let skipped = 0;
  for (const episode of reader.episodes()) {
    if (!episode.complete) {
      skipped++;
      continue;
    }
    const id = episodes++;
    steps += episode.rewards.length;
    const dir = path.join(dataDir, String(id));
    makeDirs(dir);
    fs.writeFileSync(path.join(dir, 'part-0.arrow'), tableToIPC(new Table([episodeBatch(spec, episode)]), 'file'));
    fs.writeFileSync(path.join(dir, 'metadata.json'), pythonJSON(episodeMetadata(id, episode)));
  }
  const metadata = {
    dataset_id: datasetId,
    total_episodes: episodes,
    total_steps: steps,
    data_format: 'arrow',
    jpeg_encoding: false,
    observation_space: pythonJSON(gymnasiumSpace(spec.observationSpace)),
    action_space: pythonJSON(gymnasiumSpace(spec.actionSpace)),
    env_spec: JSON.stringify(envSpec(spec)),
    minari_version: MINARI_FORMAT_VERSION,
    algorithm_name: spec.writer,
    ...(options.author === undefined ? {} : { author: [options.author] }),
    ...(options.authorEmail === undefined ? {} : { author_email: [options.authorEmail] }),
    ...(options.codePermalink === undefined ? {} : { code_permalink: options.codePermalink }),
    requirements: [],
    dataset_size: Math.round(directoryBytes(dataDir) / 1e5) / 10,
    edgegym: { env_id: spec.envId, env_kwargs: spec.kwargs, seed: spec.seed, version: spec.version, start_time: spec.startTime, source: path.resolve(logDir) },
  };
  fs.writeFileSync(path.join(dataDir, 'metadata.json'), pythonJSON(metadata));
  return { dir: path.resolve(outDir), datasetId, episodes, steps, skippedEpisodes: skipped };
}

function episodeBatch(spec: StepLogSpec, e: EpisodeRecord): RecordBatch {
  const d = spec.observationSpace.flatDim;
  const rows = e.observations.length / d;
  const observations = Array.from({ length: rows }, (_, r) => spec.observationSpace.unflatten(e.observations, r * d));
  const width = spaceWidth(spec.actionSpace)!;
  const actions = new Float64Array(rows * width); // the last row stays zero, Minari's padding
  e.actions.forEach((a, t) => {
    if (typeof a === 'number') actions[t] = a;
    else for (let k = 0; k < width; k++) actions[t * width + k] = (a as ArrayLike<number>)[k];
  });
  const rewards = new Float64Array(rows);
  rewards.set(e.rewards);
  const children = [
    encodeSpace(spec.observationSpace, observations, rows),
    encodeSpace(spec.actionSpace, actions, rows),
    makeData({ type: new Float64(), length: rows, data: rewards }),
    boolData(e.terminations, rows),
    boolData(e.truncations, rows),
  ];
  const fields = [
    new Field('observations', spaceType(spec.observationSpace), false),
    new Field('actions', spaceType(spec.actionSpace), false),
    new Field('rewards', new Float64(), false),
    new Field('terminations', new Bool(), false),
    new Field('truncations', new Bool(), false),
  ];
  if (spec.infoKeys.length > 0) {
    const infoFields = spec.infoKeys.map((k) => new Field(k, new Float64(), false));
    const infoChildren = spec.infoKeys.map((k) => makeData({ type: new Float64(), length: rows, data: e.infos[k] }));
    fields.push(new Field('infos', new Struct(infoFields), false));
    children.push(makeData({ type: new Struct(infoFields), length: rows, children: infoChildren }));
  }
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: rows, children }));
}

function boolData(flags: Uint8Array, rows: number) {
  const bits = new Uint8Array(Math.ceil(rows / 8));
  flags.forEach((f, i) => {
    if (f !== 0) bits[i >> 3] |= 1 << (i & 7);
  });
  return makeData({ type: new Bool(), length: rows, data: bits });
}

/** Minari's episode metadata: id, total_steps, seed, and the reward statistics its callback adds. */
function episodeMetadata(id: number, e: EpisodeRecord): Record<string, unknown> {
  const r = e.rewards;
  const n = r.length;
  const sum = r.reduce((a, b) => a + b, 0);
  const mean = n === 0 ? 0 : sum / n;
  const std = n === 0 ? 0 : Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / n); // numpy's default (population) std
  return {
    id, total_steps: n, ...(e.seed === null ? {} : { seed: e.seed }),
    rewards_max: n === 0 ? 0 : Math.max(...r), rewards_min: n === 0 ? 0 : Math.min(...r), rewards_mean: mean, rewards_std: std, rewards_sum: sum,
    edgegym_episode_id: e.id,
  };
}

/** Gymnasium's EnvSpec JSON (`EnvSpec.to_json`) for the env the log came from. */
function envSpec(spec: StepLogSpec): Record<string, unknown> {
  let maxEpisodeSteps: number | null = null;
  let rewardThreshold: number | null = null;
  try {
    const s = registeredSpec(spec.envId);
    maxEpisodeSteps = s.maxEpisodeSteps;
    rewardThreshold = s.rewardThreshold ?? null;
  } catch {
    // Not registered in this process: the fields stay null.
  }
  return {
    id: spec.envId, entry_point: null, reward_threshold: rewardThreshold, nondeterministic: false, max_episode_steps: maxEpisodeSteps,
    disable_env_checker: false, kwargs: spec.kwargs, additional_wrappers: [], vector_entry_point: null,
  };
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(p) : fs.statSync(p).size;
  }
  return total;
}
