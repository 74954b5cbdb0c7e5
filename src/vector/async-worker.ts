// The body of one AsyncVectorEnv worker thread: builds its slice of sub-envs, then serves
// commands synchronously from shared memory until told to close.

import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Env, Info } from '../env.js';
import { make } from '../registry.js';
import {
  SPIN_LIMIT, CMD_CLOSE, CMD_RESET, CMD_STEP, COMMAND, REQUEST, RESPONSE, STATUS, STATUS_ERROR, STATUS_OK, STATUS_REPLY,
  type ResetRequest, type WorkerData, type WorkerFailure, type WorkerReply,
} from './async-protocol.js';
import { resetSlice, stepSlice } from './autoreset.js';
import { importSetup, runSetup, type SubEnvResource } from './setup.js';

const data = workerData as WorkerData & { port: MessagePort };
const control = new Int32Array(data.control);
const port = data.port;

function finish(status: number, message?: WorkerReply | WorkerFailure): void {
  if (message !== undefined) port.postMessage(message);
  control[STATUS] = status;
  Atomics.add(control, RESPONSE, 1);
  Atomics.notify(control, RESPONSE);
}

function failure(err: unknown): WorkerFailure {
  const e = err instanceof Error ? err : new Error(String(err));
  return { error: e.message, stack: e.stack };
}

function isEmpty(info: Info | null): boolean {
  if (info === null) return true;
  for (const _ in info) return false;
  return true;
}

/**
 * Waits until control[index] !== value: spins for a few microseconds first, because rollouts
 * send commands back to back and a futex wake-up costs tens of microseconds on a VM.
 */
function awaitChange(control: Int32Array, index: number, value: number): void {
  for (let spin = 0; spin < SPIN_LIMIT; spin++) if (Atomics.load(control, index) !== value) return;
  while (Atomics.load(control, index) === value) Atomics.wait(control, index, value);
}

let envs: Env<unknown, unknown>[] = [];
let resource: SubEnvResource | null = null;
try {
  for (const module of data.modules) await import(module);
  envs = Array.from({ length: data.count }, () => make(data.id, data.kwargs, data.makeOptions));
  const setup = data.setup;
  if (setup !== null) resource = runSetup(await importSetup(setup.module, setup.name), envs, { first: data.first, worker: data.worker, options: setup.options });
  finish(STATUS_OK);
} catch (err) {
  finish(STATUS_ERROR, failure(err));
}

const buffers = {
  actions: new Float64Array(data.actions),
  observations: new Float32Array(data.observations),
  finalObservations: new Float32Array(data.finalObservations),
  rewards: new Float64Array(data.rewards),
  terminations: new Uint8Array(data.terminations),
  truncations: new Uint8Array(data.truncations),
};

// Serve commands synchronously: no event-loop turn per step, so a step costs one wake-up.
// `handled` counts from 0, not from the current REQUEST: a command sent between our ready
// signal and this loop must still be served, not slept through.
let handled = 0;
for (;;) {
  awaitChange(control, REQUEST, handled);
  handled += 1;
  const command = control[COMMAND];
  if (command === CMD_CLOSE) {
    try {
      try {
        for (const env of envs) env.close();
      } finally {
        resource?.close();
      }
      finish(STATUS_OK);
    } catch (err) {
      finish(STATUS_ERROR, failure(err));
    }
    break;
  }
  try {
    if (command === CMD_RESET) {
      const request = receiveMessageOnPort(port)?.message as ResetRequest | undefined;
      if (request === undefined) throw new Error('reset request message missing');
      const infos = resetSlice(envs, data.first, request.seeds, request.options, buffers.observations);
      if (infos.every(isEmpty)) finish(STATUS_OK);
      else finish(STATUS_REPLY, { infos, finalInfos: null });
    } else if (command === CMD_STEP) {
      const { infos, finalInfos, finished } = stepSlice(envs, data.first, buffers.actions, data.actionWidth, buffers);
      // Most steps carry empty infos; sending none saves a structured clone per step.
      if (infos.every(isEmpty) && finalInfos.every(isEmpty)) finish(STATUS_OK);
      else finish(STATUS_REPLY, { infos, finalInfos: finished > 0 ? finalInfos : null });
    } else {
      throw new Error(`unknown command ${command}`);
    }
  } catch (err) {
    finish(STATUS_ERROR, failure(err));
  }
}
port.close();
