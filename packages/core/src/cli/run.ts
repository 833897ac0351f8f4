import { runCli } from './main.js';

// The process entry of the `certbound` binary (bin/certbound.js imports it); `runCli` itself
// takes an injected CliIo and never touches process state, so tests call it directly.
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`certbound: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
