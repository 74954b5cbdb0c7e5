// One client's session: turns each request frame into its reply frame (see protocol.ts), holding
// the hosted env and one reply buffer that step results are written into in place.

import type { Info } from '../src/env.js';
import { registry } from '../src/registry.js';
import type { Seed } from '../src/rng.js';
import { flattenSpace } from '../src/spaces/flatten.js';
import type { VectorizationMode } from '../src/vector/make-vec.js';
import type { VectorStepBuffers } from '../src/vector/vector-env.js';
import { type HostedEnv, type HostRequest, hostEnv } from './host.js';
import {
  BadRequest, FLAG_FINAL_INFOS, FLAG_FINALS, FLAG_INFOS, FLAG_MASKS, HEADER_BYTES, MSG, MSG_ERROR, PROTOCOL_VERSION,
  REPLY_BIT, type StepLayout, align8, messageName, stepLayout, toWireJSON, writeHeader,
} from './protocol.js';

const MAKE_FIELDS = ['id', 'kwargs', 'numEnvs', 'vector', 'vectorizationMode', 'maxEpisodeSteps'];
const VECTORIZATION_MODES: readonly VectorizationMode[] = ['vector-entry-point', 'sync', 'async'];
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class ServeSession {
  /** True once CLOSE was answered: the transport stops reading. */
  closed = false;
  private host: HostedEnv | null = null;
  private hostId = '';
  private bytes = new Uint8Array(new ArrayBuffer(1 << 16));
  private view = new DataView(this.bytes.buffer);
  private layout: StepLayout = stepLayout(0, 0);
  private buffers: VectorStepBuffers | null = null;
  private actions = new Float64Array(0);

  /**
   * The reply to one request frame (header included). The reply is a view of the session's own
   * buffer, valid until the next call: write it out before handling the next request.
   */
  handle(frame: Uint8Array): Uint8Array {
    const header = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const type = frame.byteLength > 4 ? frame[4] : 0;
    try {
      if (frame.byteLength < HEADER_BYTES) throw new BadRequest(`a frame is at least ${HEADER_BYTES} header bytes, got ${frame.byteLength}`);
      if (header.getUint32(0, true) !== frame.byteLength - HEADER_BYTES) {
        throw new BadRequest(`the frame's length field says ${header.getUint32(0, true)} body bytes, the frame has ${frame.byteLength - HEADER_BYTES}`);
      }
      const version = header.getUint8(5);
      if (version !== PROTOCOL_VERSION) throw new BadRequest(`protocol version ${version} requested; this server speaks version ${PROTOCOL_VERSION} (update the Python client or the edgegym package so they match)`);
      const body = frame.subarray(HEADER_BYTES);
      switch (type) {
        case MSG.LIST: return this.jsonReply(type, { protocol: PROTOCOL_VERSION, envs: [...registry.values()].map((s) => ({ id: s.id, maxEpisodeSteps: s.maxEpisodeSteps, rewardThreshold: s.rewardThreshold, nondeterministic: s.nondeterministic, vector: s.vectorEntryPoint !== null })) });
        case MSG.MAKE: return this.make(type, parseBody(body, 'MAKE'));
        case MSG.SPACES: return this.spaces(type);
        case MSG.RESET: return this.reset(parseBody(body, 'RESET'));
        case MSG.STEP: return this.step(body);
        case MSG.CLOSE: return this.close(type);
        default: throw new BadRequest(`unknown message type ${messageName(type)}; expected one of ${Object.entries(MSG).map(([k, v]) => `${k} (${v})`).join(', ')}`);
      }
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      return this.jsonReply(MSG_ERROR, { error: `${messageName(type)}: ${e.message}`, name: e.name, request: messageName(type) }, true);
    }
  }

  /** Ends the session as if CLOSE had come (the client went away). */
  shutdown(): void {
    if (this.host !== null) this.host.close();
    this.host = null;
    this.closed = true;
  }

  private make(type: number, request: Record<string, unknown>): Uint8Array {
    if (this.host !== null) throw new BadRequest(`this server already hosts ${this.hostId}; start one server per env (or vector env)`);
    const host = hostEnv(checkMake(request));
    this.host = host;
    this.hostId = String(request.id);
    const n = host.numEnvs;
    const d = host.obsDim;
    this.layout = stepLayout(n, d);
    this.actions = new Float64Array(n * host.actionWidth);
    this.reserve(this.layout.endWithFinals + n * host.maskLength + 8);
    const spec = host.spec;
    return this.jsonReply(type, {
      id: this.hostId, numEnvs: n, obsDim: d, actionWidth: host.actionWidth, maskLength: host.maskLength, autoresetMode: host.autoresetMode,
      renderModes: host.renderModes,
      spec: spec === null ? null : { maxEpisodeSteps: spec.maxEpisodeSteps, rewardThreshold: spec.rewardThreshold, nondeterministic: spec.nondeterministic, kwargs: spec.kwargs },
    });
  }

  private spaces(type: number): Uint8Array {
    const host = this.requireHost('SPACES');
    return this.jsonReply(type, { observation: host.observationSpace.toJSON(), action: host.actionSpace.toJSON(), flatObservation: flattenSpace(host.observationSpace).toJSON() });
  }

  private reset(request: Record<string, unknown>): Uint8Array {
    const host = this.requireHost('RESET');
    for (const k of Object.keys(request)) if (k !== 'seeds' && k !== 'options') throw new BadRequest(`unknown field ${JSON.stringify(k)}; expected seeds, options`);
    const n = host.numEnvs;
    const seeds = request.seeds ?? new Array<null>(n).fill(null);
    if (!Array.isArray(seeds) || seeds.length !== n) throw new BadRequest(`seeds must be a list of ${n} (one per sub-env, each an integer or null), got ${toWireJSON(seeds)}`);
    const options = request.options ?? undefined;
    if (options !== undefined && (typeof options !== 'object' || Array.isArray(options))) throw new BadRequest(`options must be an object or null, got ${toWireJSON(options)}`);
    const d = host.obsDim;
    const observations = new Float32Array(this.bytes.buffer, HEADER_BYTES, n * d);
    const infos = host.reset(seeds.map((s: unknown) => (s === null ? undefined : (s as Seed))), options as Record<string, unknown> | undefined, observations);
    return this.finish(MSG.RESET | REPLY_BIT, align8(HEADER_BYTES + 4 * n * d), infos, null);
  }

  private step(body: Uint8Array): Uint8Array {
    const host = this.requireHost('STEP');
    const count = host.numEnvs * host.actionWidth;
    if (body.byteLength !== 8 * count) throw new BadRequest(`got ${body.byteLength} bytes of actions, expected ${host.numEnvs} envs × ${host.actionWidth} action values × 8 bytes (float64) = ${8 * count}`);
    // A body at an 8-aligned offset is viewed in place; otherwise copied into an aligned array.
    let actions: Float64Array;
    if (body.byteOffset % 8 === 0) actions = new Float64Array(body.buffer, body.byteOffset, count);
    else {
      new Uint8Array(this.actions.buffer).set(body);
      actions = this.actions;
    }
    const buffers = this.buffers!;
    const r = host.step(actions, buffers);
    const finished = r.finalInfos !== null;
    return this.finish(MSG.STEP | REPLY_BIT, finished ? this.layout.endWithFinals : this.layout.endWithoutFinals, r.infos, r.finalInfos, finished ? FLAG_FINALS : 0);
  }

  private close(type: number): Uint8Array {
    this.shutdown();
    writeHeader(this.view, type | REPLY_BIT, 0, 0);
    return this.bytes.subarray(0, HEADER_BYTES);
  }

  /** Writes the masks and JSON sections from `at`, then the header; returns the frame. */
  private finish(type: number, at: number, infos: readonly Info[], finalInfos: readonly (Info | null)[] | null, flags = 0): Uint8Array {
    const host = this.host!;
    const n = host.numEnvs;
    const m = host.maskLength;
    let cursor = at;
    let rest: (Info | null)[] | null = null;
    if (m > 0) {
      let masks: Uint8Array | null = null;
      for (let i = 0; i < n; i++) {
        const mask = infos[i].actionMask;
        if (mask === undefined) continue;
        if (masks === null) {
          masks = this.bytes.subarray(cursor, cursor + n * m);
          masks.fill(1); // sub-envs without a mask this step allow every action
        }
        if (!(mask instanceof Uint8Array || Array.isArray(mask)) || mask.length !== m) {
          throw new Error(`sub-env ${i}'s info.actionMask must be a Uint8Array of ${m} entries (one per action), got ${toWireJSON(mask)}`);
        }
        masks.set(mask, i * m);
      }
      if (masks !== null) {
        flags |= FLAG_MASKS;
        cursor = align8(cursor + n * m);
      }
    }
    for (let i = 0; i < n; i++) {
      if (!hasKeysBesideMask(infos[i])) continue;
      rest ??= new Array<Info | null>(n).fill(null);
      const { actionMask: _mask, ...others } = infos[i];
      rest[i] = others;
    }
    const finalsNonEmpty = finalInfos !== null && finalInfos.some((f) => f !== null && hasKeys(f));
    if (rest !== null || finalsNonEmpty) {
      const parts: string[] = [];
      if (rest !== null) {
        flags |= FLAG_INFOS;
        parts.push(`"infos":${toWireJSON(rest.map((x) => x ?? {}))}`);
      }
      if (finalsNonEmpty) {
        flags |= FLAG_FINAL_INFOS;
        parts.push(`"finalInfos":${toWireJSON(finalInfos)}`);
      }
      cursor = this.writeJSON(cursor, `{${parts.join(',')}}`);
    }
    writeHeader(this.view, type, flags, cursor - HEADER_BYTES);
    return this.bytes.subarray(0, cursor);
  }

  private jsonReply(type: number, value: unknown, isError = false): Uint8Array {
    const end = this.writeJSON(HEADER_BYTES, toWireJSON(value));
    writeHeader(this.view, isError ? MSG_ERROR : type | REPLY_BIT, 0, end - HEADER_BYTES);
    return this.bytes.subarray(0, end);
  }

  /** A u32 length and the UTF-8 text at `at`; returns the offset after it. */
  private writeJSON(at: number, text: string): number {
    this.reserve(at + 4 + 3 * text.length);
    const { written } = encoder.encodeInto(text, this.bytes.subarray(at + 4));
    this.view.setUint32(at, written, true);
    return at + 4 + written;
  }

  /** Grows the reply buffer to hold `size` bytes, keeping its contents and the step views on it. */
  private reserve(size: number): void {
    if (size > this.bytes.byteLength) {
      const grown = new Uint8Array(new ArrayBuffer(Math.max(size, 2 * this.bytes.byteLength)));
      grown.set(this.bytes);
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    if (this.host !== null && (this.buffers === null || this.buffers.rewards.buffer !== this.bytes.buffer)) {
      const n = this.host.numEnvs;
      const d = this.host.obsDim;
      const buf = this.bytes.buffer;
      const l = this.layout;
      this.buffers = {
        rewards: new Float64Array(buf, l.rewards, n),
        terminations: new Uint8Array(buf, l.terminations, n),
        truncations: new Uint8Array(buf, l.truncations, n),
        observations: new Float32Array(buf, l.observations, n * d),
        finalObservations: new Float32Array(buf, l.finals, n * d),
      };
    }
  }

  private requireHost(request: string): HostedEnv {
    if (this.host === null) throw new BadRequest(`${request} before MAKE: send MAKE (env id, kwargs, numEnvs) first`);
    return this.host;
  }
}

function hasKeys(info: Info): boolean {
  for (const _ in info) return true;
  return false;
}

function hasKeysBesideMask(info: Info): boolean {
  for (const k in info) if (k !== 'actionMask') return true;
  return false;
}

function parseBody(body: Uint8Array, request: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = body.byteLength === 0 ? {} : JSON.parse(decoder.decode(body));
  } catch (err) {
    throw new BadRequest(`the body is not UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest(`${request}'s body must be a JSON object, got ${toWireJSON(value)}`);
  return value as Record<string, unknown>;
}

function checkMake(r: Record<string, unknown>): HostRequest {
  for (const k of Object.keys(r)) if (!MAKE_FIELDS.includes(k)) throw new BadRequest(`unknown field ${JSON.stringify(k)}; expected ${MAKE_FIELDS.join(', ')}`);
  if (typeof r.id !== 'string') throw new BadRequest(`"id" must be a registered env id (a string), got ${toWireJSON(r.id)}`);
  const kwargs = r.kwargs ?? {};
  if (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs)) throw new BadRequest(`"kwargs" must be an object, got ${toWireJSON(kwargs)}`);
  const numEnvs = r.numEnvs ?? 1;
  if (typeof numEnvs !== 'number' || !Number.isInteger(numEnvs) || numEnvs < 1) throw new BadRequest(`"numEnvs" must be a positive integer, got ${toWireJSON(numEnvs)}`);
  const vector = r.vector ?? false;
  if (typeof vector !== 'boolean') throw new BadRequest(`"vector" must be true or false, got ${toWireJSON(vector)}`);
  const mode = r.vectorizationMode ?? undefined;
  if (mode !== undefined && !VECTORIZATION_MODES.includes(mode as VectorizationMode)) throw new BadRequest(`"vectorizationMode" must be one of ${VECTORIZATION_MODES.join(', ')}, got ${toWireJSON(mode)}`);
  const max = r.maxEpisodeSteps ?? undefined;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 0)) throw new BadRequest(`"maxEpisodeSteps" must be a non-negative integer (0: no limit), got ${toWireJSON(max)}`);
  return { id: r.id, kwargs: kwargs as Record<string, unknown>, numEnvs, vector, vectorizationMode: mode as VectorizationMode | undefined, maxEpisodeSteps: max as number | undefined };
}
