// `edgegym serve`: host a registered env (or a vector of them) for one client, e.g. the Python
// client in python/edgegym, over stdio or a loopback/Unix socket (protocol: serve/protocol.ts).

import type { Argv, CommandModule } from 'yargs';
import { isLoopback, serve } from '../../serve/index.js';
import { type ArgsOf } from '../cli-args.js';
import { formatExamples } from '../command-line.js';
import { UsageError } from '../errors.js';

function builder(y: Argv) {
  return y
    .option('port', { type: 'number', describe: 'listen on this loopback TCP port instead of stdio (0 picks a free one, printed on stdout)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'loopback address for --port (127.0.0.1, ::1 or localhost); other addresses are refused' })
    .option('socket', { type: 'string', describe: 'listen on this Unix socket path instead of stdio' })
    .option('require', { type: 'string', array: true, default: [] as string[], describe: 'import this module first (a file or package that registers envs); repeatable' })
    .epilog(
      formatExamples([
        ['edgegym serve', 'serve one client on stdin/stdout (what python/edgegym starts)'],
        ['edgegym serve --port 0 --require ./my-envs.js', "serve a user's envs on a free loopback port"],
      ]),
    );
}

type Args = ArgsOf<typeof builder>;

export const serveCommand: CommandModule<object, Args> = {
  command: 'serve',
  describe: 'serve registered envs to one client (the Python client) over stdio or a loopback socket',
  builder,
  handler: async (argv) => {
    if (argv.port !== undefined && argv.socket !== undefined) throw new UsageError('--port and --socket: give one of them (or neither, for stdio)');
    if (argv.port !== undefined && !(Number.isInteger(argv.port) && argv.port >= 0 && argv.port < 65536)) throw new UsageError(`--port must be an integer in 0…65535, got ${argv.port}`);
    if (!isLoopback(argv.host)) throw new UsageError(`--host ${argv.host}: edgegym serve listens only on loopback addresses (127.0.0.1, ::1, localhost); a hosted env runs arbitrary code, so it is not exposed to the network`);
    const address = argv.port !== undefined ? { port: argv.port, host: argv.host } : argv.socket !== undefined ? { path: argv.socket } : undefined;
    await serve({ address, modules: argv.require });
    // Worker threads or a user's timers must not keep a server alive once its client is gone.
    process.exit(process.exitCode ?? 0);
  },
};
