// `edgegym serve` as a function: import the modules that register a user's envs, then serve one
// client over stdio or a loopback/Unix socket until it closes or goes away.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import '../envs/index.js';
import { ServeSession } from './session.js';
import { type SocketAddress, serveSocket, serveStdio } from './transport.js';

export { PROTOCOL_VERSION } from './protocol.js';
export { ServeSession } from './session.js';
export { isLoopback, type SocketAddress } from './transport.js';

export interface ServeOptions {
  /** Omitted: stdin/stdout. */
  address?: SocketAddress;
  /** Modules (files or package names) whose import registers envs, imported first. */
  modules?: readonly string[];
  /** Where a socket server says which address it bound (default: a line on stdout). */
  announce?: (where: string) => void;
}

/** Imports a file path (relative to the working directory) or a package name. */
export async function importModule(specifier: string): Promise<void> {
  const file = resolve(specifier);
  try {
    await import(existsSync(file) ? pathToFileURL(file).href : specifier);
  } catch (err) {
    throw new Error(`--require ${specifier}: could not import it (${(err as Error).message}); give a path to a .js module or an installed package name`);
  }
}

/** Serves until the client closes the session or disconnects. */
export async function serve(options: ServeOptions = {}): Promise<void> {
  for (const m of options.modules ?? []) await importModule(m);
  const session = new ServeSession();
  if (options.address === undefined) serveStdio(session);
  else await serveSocket(session, options.address, options.announce ?? ((where) => console.log(`edgegym serve: listening on ${where}`)));
}
