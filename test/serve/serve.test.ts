// `edgegym serve`'s session, driven frame by frame without a client: the reply layouts the
// Python side reads, error replies, and the JSON Python's json module must parse.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/index.js';
import { FLAG_FINALS, FLAG_INFOS, FLAG_MASKS, HEADER_BYTES, MSG, MSG_ERROR, PROTOCOL_VERSION, REPLY_BIT, align8, stepLayout, toWireJSON } from '../../serve/protocol.js';
import { ServeSession } from '../../serve/session.js';
import { makeVec } from '../../src/vector/make-vec.js';

function frame(type: number, body: Uint8Array = new Uint8Array(0), version = PROTOCOL_VERSION): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(align8(HEADER_BYTES + body.byteLength)), 0, HEADER_BYTES + body.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.byteLength, true);
  view.setUint8(4, type);
  view.setUint8(5, version);
  out.set(body, HEADER_BYTES);
  return out;
}

const json = (type: number, value: unknown): Uint8Array => frame(type, new TextEncoder().encode(JSON.stringify(value)));

function reply(bytes: Uint8Array): { type: number; flags: number; view: DataView; body: unknown } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(view.getUint32(0, true), bytes.byteLength - HEADER_BYTES);
  const type = view.getUint8(4);
  const isJSON = type === MSG_ERROR || type === (MSG.MAKE | REPLY_BIT) || type === (MSG.LIST | REPLY_BIT) || type === (MSG.SPACES | REPLY_BIT);
  const body = isJSON ? JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_BYTES + 4, HEADER_BYTES + 4 + view.getUint32(HEADER_BYTES, true)))) : null;
  return { type, flags: view.getUint16(6, true), view, body };
}

test('a CartPole vector: step replies hold rewards, flags and observations where stepLayout says, and final rows when episodes end', () => {
  const session = new ServeSession();
  const made = reply(session.handle(json(MSG.MAKE, { id: 'CartPole-v1', numEnvs: 2, vector: true, maxEpisodeSteps: 3 })));
  assert.deepEqual([made.type, (made.body as { obsDim: number }).obsDim, (made.body as { autoresetMode: string }).autoresetMode], [MSG.MAKE | REPLY_BIT, 4, 'same-step']);
  const reference = makeVec('CartPole-v1', { numEnvs: 2, makeOptions: { maxEpisodeSteps: 3 } });
  const expected = reference.reset({ seed: 10 }).observations;
  const reset = reply(session.handle(json(MSG.RESET, { seeds: [10, 11] })));
  assert.deepEqual(Array.from({ length: 8 }, (_, k) => reset.view.getFloat32(HEADER_BYTES + 4 * k, true)), Array.from(expected));
  const layout = stepLayout(2, 4);
  const actions = frame(MSG.STEP, new Uint8Array(new Float64Array([1, 0]).buffer));
  for (let t = 1; t <= 3; t++) {
    const r = session.handle(actions);
    const s = reference.step([1, 0]);
    const { view, flags } = reply(r);
    assert.equal(view.getFloat64(layout.rewards, true), s.rewards[0]);
    assert.deepEqual([r[layout.truncations], r[layout.truncations + 1]], Array.from(s.truncations));
    assert.deepEqual(Array.from({ length: 8 }, (_, k) => view.getFloat32(layout.observations + 4 * k, true)), Array.from(s.observations));
    assert.equal(flags & FLAG_FINALS, t === 3 ? FLAG_FINALS : 0);
    if (t === 3) assert.deepEqual(Array.from({ length: 8 }, (_, k) => view.getFloat32(layout.finals + 4 * k, true)), Array.from(s.finalObservations!));
    assert.equal(r.byteLength, t === 3 ? layout.endWithFinals : layout.endWithoutFinals, 'CartPole has no infos: nothing past the fixed sections');
  }
  assert.equal(reply(session.handle(frame(MSG.CLOSE))).type, MSG.CLOSE | REPLY_BIT);
  assert.ok(session.closed);
});

test('Dispatch: masks always cross as a section, other info keys only when present, as JSON', () => {
  const session = new ServeSession();
  reply(session.handle(json(MSG.MAKE, { id: 'EdgeSched/Dispatch-v0', kwargs: { horizon: '1 s' } })));
  const r = reply(session.handle(json(MSG.RESET, { seeds: [1] })));
  assert.equal(r.flags, FLAG_MASKS | FLAG_INFOS, 'the reset info has simSeed beside the mask');
  const step = reply(session.handle(frame(MSG.STEP, new Uint8Array(new Float64Array([0]).buffer))));
  assert.equal(step.flags & FLAG_MASKS, FLAG_MASKS);
  session.shutdown();
});

test('bad requests get error replies that say what was wrong, and the session goes on', () => {
  const session = new ServeSession();
  const errors = [
    [frame(0x33), /unknown message type 0x33; expected one of LIST \(1\), MAKE \(2\)/],
    [frame(MSG.LIST, new Uint8Array(0), 7), /protocol version 7 requested; this server speaks version 1/],
    [frame(MSG.STEP, new Uint8Array(8)), /STEP before MAKE/],
    [json(MSG.MAKE, { id: 'CartPole-v1', vector: 'yes' }), /"vector" must be true or false, got "yes"/],
    [json(MSG.MAKE, { id: 'CartPol-v1' }), /No env registered with id "CartPol-v1". Did you mean "CartPole-v1"/],
  ] as const;
  for (const [request, message] of errors) {
    const r = reply(session.handle(request));
    assert.equal(r.type, MSG_ERROR);
    assert.match((r.body as { error: string }).error, message);
  }
  assert.equal(reply(session.handle(frame(MSG.LIST))).type, MSG.LIST | REPLY_BIT);
});

test('toWireJSON writes what JSON.stringify cannot: non-finite numbers and typed arrays', () => {
  assert.equal(toWireJSON({ a: NaN, b: [Infinity, -Infinity], m: new Uint8Array([1, 0]), u: undefined, n: null }), '{"a":NaN,"b":[Infinity,-Infinity],"m":[1,0],"n":null}');
  assert.equal(toWireJSON('say "hi"'), '"say \\"hi\\""');
});
