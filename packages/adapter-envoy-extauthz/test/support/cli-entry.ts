// bin/certbound-extauthz.js, but on the TypeScript sources (tests never run a stale dist/).
import { runExtAuthzCli } from '../../src/cli.js';

runExtAuthzCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Keep-alive sockets (e.g. to a JWKS endpoint) must not hold a stopped server up; give
    // stdout a moment to drain first.
    setTimeout(() => process.exit(code), 500).unref();
  },
  (error) => {
    process.stderr.write(`certbound-extauthz: ${error?.stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
