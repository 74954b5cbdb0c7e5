# The wire protocol of `edgegym serve`, client side: frame header, message types, the binary
# layout of reset and step replies. serve/protocol.ts is the same protocol, server side.
"""Protocol version 1. Every frame, either way, is an 8-byte header and a body:

====== ======= ==================================================================
bytes  type    meaning
====== ======= ==================================================================
0-3    u32 LE  body length (bytes after the header)
4      u8      message type (table below)
5      u8      protocol version (1); a request of another version gets an ERROR
6-7    u16 LE  flags: which optional sections a RESET/STEP reply holds (FLAG_*)
====== ======= ==================================================================

All numbers are little-endian; every array section starts at a multiple of 8 bytes from
the frame's start, so it can be viewed in place.

==== ======= ================================================ =====================================
type request request body                                     reply (type)
==== ======= ================================================ =====================================
0x01 LIST    empty                                            LISTED 0x81: JSON {protocol, envs}
0x02 MAKE    JSON {id, kwargs, numEnvs, vector,               MADE 0x82: JSON {id, numEnvs, obsDim,
             vectorizationMode?, maxEpisodeSteps?}            actionWidth, maskLength, autoresetMode,
                                                              renderModes, spec}
0x03 SPACES  empty                                            SPACES 0x83: JSON {observation, action,
                                                              flatObservation} (space JSON)
0x04 RESET   JSON {seeds: [int or null] * n, options}         RESET 0x84: binary, below
0x05 STEP    f64[n * actionWidth], the actions                STEP 0x85: binary, below
0x06 CLOSE   empty                                            CLOSED 0x86: empty; the server exits
—    —       —                                                ERROR 0xFF: JSON {error, name, request}
==== ======= ================================================ =====================================

RESET reply (n = numEnvs, d = obsDim, m = maskLength):
    f32[n*d] observations at 8 | u8[n*m] masks (FLAG_MASKS) | JSON (FLAG_INFOS)
STEP reply:
    f64[n] rewards at 8 | u8[n] terminations | u8[n] truncations | f32[n*d] observations |
    f32[n*d] final observations (FLAG_FINALS; only rows of finished sub-envs are meaningful) |
    u8[n*m] masks (FLAG_MASKS) | JSON (FLAG_INFOS or FLAG_FINAL_INFOS)
A JSON section is a u32 byte length and UTF-8 text {"infos"?: [info] * n, "finalInfos"?: [info or
null] * n}; `actionMask` is taken out of "infos" (it is the masks section) and left in "finalInfos".
"""

from __future__ import annotations

import json
import struct
from typing import Any, NamedTuple

PROTOCOL_VERSION = 1
HEADER_BYTES = 8

LIST = 0x01
MAKE = 0x02
SPACES = 0x03
RESET = 0x04
STEP = 0x05
CLOSE = 0x06
REPLY_BIT = 0x80
ERROR = 0xFF

FLAG_MASKS = 1
FLAG_INFOS = 2
FLAG_FINALS = 4
FLAG_FINAL_INFOS = 8

NAMES = {LIST: "LIST", MAKE: "MAKE", SPACES: "SPACES", RESET: "RESET", STEP: "STEP", CLOSE: "CLOSE"}

HEADER = struct.Struct("<IBBH")
U32 = struct.Struct("<I")


def align8(x: int) -> int:
    return (x + 7) & ~7


def header(message_type: int, body_length: int, flags: int = 0) -> bytes:
    return HEADER.pack(body_length, message_type, PROTOCOL_VERSION, flags)


def _plain(value: Any) -> Any:
    """numpy scalars and arrays in kwargs, seeds and options, as JSON takes them."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"edgegym: {type(value).__name__} {value!r} cannot be sent to the server; use numbers, strings, lists and dicts")


def json_frame(message_type: int, value: Any) -> bytes:
    body = json.dumps(value, separators=(",", ":"), allow_nan=True, default=_plain).encode("utf-8")
    return header(message_type, len(body)) + body


class StepLayout(NamedTuple):
    """Byte offsets of a STEP reply's fixed sections, for n sub-envs with d observation values."""

    rewards: int
    terminations: int
    truncations: int
    observations: int
    finals: int
    end_without_finals: int
    end_with_finals: int


def step_layout(n: int, d: int) -> StepLayout:
    rewards = HEADER_BYTES
    terminations = rewards + 8 * n
    truncations = terminations + n
    observations = align8(truncations + n)
    finals = align8(observations + 4 * n * d)
    return StepLayout(rewards, terminations, truncations, observations, finals, finals, align8(finals + 4 * n * d))


def read_json(buffer: bytes | bytearray | memoryview, at: int) -> Any:
    """The JSON section at byte `at`: a u32 length and UTF-8 text."""
    (length,) = U32.unpack_from(buffer, at)
    return json.loads(bytes(buffer[at + 4 : at + 4 + length]).decode("utf-8"))
