// The wire protocol of `edgegym serve`, server side: frame header, message types, the binary
// layout of reset and step replies. python/edgegym/protocol.py is the same protocol, client side.
//
// Protocol version 1. Every frame, either way, is an 8-byte header and a body:
//   bytes 0–3  u32 LE  body length (bytes after the header)
//   byte  4    u8      message type (table below)
//   byte  5    u8      protocol version (1); a request of another version gets an ERROR reply
//   bytes 6–7  u16 LE  flags: which optional sections a RESET/STEP reply holds (FLAG_*)
// All numbers are little-endian; every array section starts at a multiple of 8 bytes from the
// frame's start (zero padding before it), so both sides can view it in place.
//
// | type | request   | request body                              | reply (type)                         |
// | ---- | --------- | ----------------------------------------- | ------------------------------------ |
// | 0x01 | LIST      | empty                                     | LISTED 0x81: JSON { version, envs }  |
// | 0x02 | MAKE      | JSON { id, kwargs, numEnvs, vector, vectorizationMode?, maxEpisodeSteps? } | MADE 0x82: JSON { id, numEnvs, obsDim, actionWidth, maskLength, autoresetMode, renderModes, spec } |
// | 0x03 | SPACES    | empty                                     | SPACES 0x83: JSON { observation, action, flatObservation } (space JSON) |
// | 0x04 | RESET     | JSON { seeds: (int or null)[], options }  | RESET 0x84: binary, below            |
// | 0x05 | STEP      | f64[numEnvs × actionWidth], the actions   | STEP 0x85: binary, below             |
// | 0x06 | CLOSE     | empty                                     | CLOSED 0x86: empty; the server exits |
// | —    | —         | —                                         | ERROR 0xFF: JSON { error, name, request } |
//
// RESET reply, n = numEnvs, d = obsDim, m = maskLength:
//   f32[n·d] observations at 8 │ u8[n·m] masks (FLAG_MASKS) │ JSON (FLAG_INFOS)
// STEP reply:
//   f64[n] rewards at 8 │ u8[n] terminations │ u8[n] truncations │ f32[n·d] observations │
//   f32[n·d] final observations (FLAG_FINALS: some sub-env finished; rows of the others are
//   garbage) │ u8[n·m] masks (FLAG_MASKS) │ JSON (FLAG_INFOS or FLAG_FINAL_INFOS)
// A JSON section is a u32 byte length and UTF-8 text: { infos?: Info[n], finalInfos?: (Info|null)[n] }
// with `actionMask` taken out of `infos` (it is the masks section) and left in `finalInfos`.
// JSON numbers may be NaN, Infinity and -Infinity (Python's json reads them).
// Observations are the flat float32 encodings TypeScript vector envs use (Dict and Tuple
// observations arrive flattened). Infos cross only when some sub-env's info is non-empty.

/** Bumped whenever a frame's meaning changes; both sides refuse a frame of another version. */
export const PROTOCOL_VERSION = 1;

export const HEADER_BYTES = 8;

/** A request longer than this is taken as a broken stream, not a request (1 GiB). */
export const MAX_REQUEST_BYTES = 1 << 30;

export const MSG = {
  LIST: 0x01,
  MAKE: 0x02,
  SPACES: 0x03,
  RESET: 0x04,
  STEP: 0x05,
  CLOSE: 0x06,
} as const;

/** A reply's type is its request's | REPLY_BIT. */
export const REPLY_BIT = 0x80;
export const MSG_ERROR = 0xff;

export const FLAG_MASKS = 1;
export const FLAG_INFOS = 2;
export const FLAG_FINALS = 4;
export const FLAG_FINAL_INFOS = 8;

/** The request's name for messages, e.g. "STEP", or its number when unknown. */
export function messageName(type: number): string {
  for (const [name, code] of Object.entries(MSG)) if (code === type) return name;
  return `0x${type.toString(16).padStart(2, '0')}`;
}

/** A request the server cannot act on: it replies ERROR with this message and goes on serving. */
export class BadRequest extends Error {
  override name = 'BadRequest';
}

/** `x` rounded up to a multiple of 8. */
export function align8(x: number): number {
  return (x + 7) & ~7;
}

/** Byte offsets of a STEP reply's fixed sections, for n sub-envs with d observation values. */
export interface StepLayout {
  rewards: number;
  terminations: number;
  truncations: number;
  observations: number;
  finals: number;
  /** Where the optional sections start when no sub-env finished, and when some did. */
  endWithoutFinals: number;
  endWithFinals: number;
}

export function stepLayout(n: number, d: number): StepLayout {
  const rewards = HEADER_BYTES;
  const terminations = rewards + 8 * n;
  const truncations = terminations + n;
  const observations = align8(truncations + n);
  const finals = align8(observations + 4 * n * d);
  return { rewards, terminations, truncations, observations, finals, endWithoutFinals: finals, endWithFinals: align8(finals + 4 * n * d) };
}

/** Writes a frame header into `bytes` at 0. */
export function writeHeader(view: DataView, type: number, flags: number, bodyLength: number): void {
  view.setUint32(0, bodyLength, true);
  view.setUint8(4, type);
  view.setUint8(5, PROTOCOL_VERSION);
  view.setUint16(6, flags, true);
}

/**
 * JSON text of plain data as Python's json module reads it: typed arrays become lists, and
 * non-finite numbers stay NaN/Infinity/-Infinity (JSON.stringify would turn them into null).
 */
export function toWireJSON(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return JSON.stringify(String(value));
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `[${Array.from(value as unknown as ArrayLike<number>, toWireJSON).join(',')}]`;
  }
  if (Array.isArray(value)) return `[${value.map(toWireJSON).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toWireJSON(v)}`);
  }
  return `{${parts.join(',')}}`;
}
