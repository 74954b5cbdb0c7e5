// How request frames reach a session: a blocking read loop on stdin/stdout (the default, with
// no event loop between a request and its reply), or one connection on a loopback or Unix socket.

import { readSync, writeSync } from 'node:fs';
import { createServer, isIP } from 'node:net';
import { HEADER_BYTES, MAX_REQUEST_BYTES, MSG_ERROR, toWireJSON, writeHeader } from './protocol.js';
import type { ServeSession } from './session.js';

/** Request bytes received but not yet handled, in an 8-aligned buffer so bodies can be viewed in place. */
class FrameReader {
  private bytes = new Uint8Array(new ArrayBuffer(1 << 16));
  private start = 0;
  private end = 0;

  /** Free space of at least `min` bytes after what is held (compacting or growing). */
  space(min = 1 << 12): Uint8Array {
    if (this.start === this.end) this.start = this.end = 0;
    if (this.bytes.byteLength - this.end < min) {
      const held = this.end - this.start;
      const size = Math.max(this.bytes.byteLength, held + min);
      const next = size > this.bytes.byteLength ? new Uint8Array(new ArrayBuffer(2 * size)) : this.bytes;
      next.set(this.bytes.subarray(this.start, this.end), 0);
      this.bytes = next;
      this.start = 0;
      this.end = held;
    }
    return this.bytes.subarray(this.end);
  }

  commit(n: number): void {
    this.end += n;
  }

  push(chunk: Uint8Array): void {
    this.space(chunk.byteLength).set(chunk);
    this.commit(chunk.byteLength);
  }

  /** Bytes still needed for the next whole frame (0: one is ready). Throws on an impossible length. */
  missing(): number {
    const held = this.end - this.start;
    if (held < HEADER_BYTES) return HEADER_BYTES - held;
    const length = new DataView(this.bytes.buffer, this.start, HEADER_BYTES).getUint32(0, true);
    if (length > MAX_REQUEST_BYTES) throw new Error(`a request announced ${length} body bytes, more than the ${MAX_REQUEST_BYTES} a request may hold; the stream is out of step`);
    return Math.max(0, HEADER_BYTES + length - held);
  }

  /** The next whole frame (call when `missing()` is 0); valid until the next read. */
  take(): Uint8Array {
    const length = new DataView(this.bytes.buffer, this.start, HEADER_BYTES).getUint32(0, true);
    const frame = this.bytes.subarray(this.start, this.start + HEADER_BYTES + length);
    this.start += HEADER_BYTES + length;
    return frame;
  }
}

/** An ERROR frame for a stream that cannot go on (the session is not consulted). */
function fatalReply(message: string): Uint8Array {
  const text = new TextEncoder().encode(toWireJSON({ error: message, name: 'ProtocolError', request: null }));
  const frame = new Uint8Array(HEADER_BYTES + 4 + text.byteLength);
  const view = new DataView(frame.buffer);
  writeHeader(view, MSG_ERROR, 0, 4 + text.byteLength);
  view.setUint32(HEADER_BYTES, text.byteLength, true);
  frame.set(text, HEADER_BYTES + 4);
  return frame;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Retries EAGAIN on a non-blocking descriptor, waiting 20 µs, then twice as long each time up to
 * 1 ms. Descriptors do end up non-blocking: creating process.stdout (yargs does) makes a pipe's
 * write end non-blocking, and when stdin and stdout are one socket, its reads too.
 */
function retrying<T>(call: () => T): T {
  let waitMs = 0.02;
  for (;;) {
    try {
      return call();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, waitMs);
      waitMs = Math.min(1, 2 * waitMs);
    }
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.byteLength) off += retrying(() => writeSync(fd, bytes, off, bytes.byteLength - off));
}

/**
 * Serves on stdin/stdout until CLOSE or end of input (the client went away). Blocking reads and
 * writes: a round trip costs two system calls on each side. Env code must not write to stdout;
 * console output goes to stderr while serving.
 */
export function serveStdio(session: ServeSession): void {
  for (const k of ['log', 'info', 'debug', 'dir', 'table'] as const) console[k] = console.error;
  const reader = new FrameReader();
  try {
    while (!session.closed) {
      let need: number;
      try {
        need = reader.missing();
      } catch (err) {
        writeAll(1, fatalReply((err as Error).message));
        break;
      }
      if (need > 0) {
        const space = reader.space(need);
        const got = retrying(() => readSync(0, space, 0, space.byteLength, null));
        if (got === 0) break; // end of input: the client closed its end or died
        reader.commit(got);
        continue;
      }
      writeAll(1, session.handle(reader.take()));
    }
  } catch (err) {
    // EPIPE: the client died while we wrote. Anything else is ours, and worth a line on stderr.
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') {
      console.error(`edgegym serve: ${(err as Error).stack ?? String(err)}`);
      process.exitCode = 1;
    }
  } finally {
    session.shutdown();
  }
}

/** Where a socket server listens: a loopback TCP port, or a Unix socket path. */
export type SocketAddress = { port: number; host: string } | { path: string };

/** True for addresses that only this machine reaches. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * Listens for one client, stops listening once it connects, serves it, and resolves when it
 * sends CLOSE or disconnects. `announce` gets the address actually bound (port 0 picks one).
 */
export function serveSocket(session: ServeSession, address: SocketAddress, announce: (where: string) => void): Promise<void> {
  if ('host' in address && !isLoopback(address.host)) {
    return Promise.reject(new Error(`edgegym serve listens only on loopback addresses (127.0.0.1, ::1, localhost), not ${address.host}: a hosted env runs arbitrary code`));
  }
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true }, (socket) => {
      server.close(); // one client per server
      const reader = new FrameReader();
      socket.on('data', (chunk: Buffer) => {
        reader.push(chunk);
        try {
          while (!session.closed && reader.missing() === 0) socket.write(Buffer.from(session.handle(reader.take())));
        } catch (err) {
          socket.end(Buffer.from(fatalReply((err as Error).message)));
          return;
        }
        if (session.closed) socket.end();
      });
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        session.shutdown();
        resolve();
      });
    });
    server.on('error', reject);
    const onListening = (): void => {
      const bound = server.address();
      announce(typeof bound === 'string' ? `unix:${bound}` : bound === null ? '?' : `tcp:${bound.address}:${bound.port}`);
    };
    if ('path' in address) server.listen(address.path, onListening);
    else server.listen(address.port, address.host, onListening);
  });
}
