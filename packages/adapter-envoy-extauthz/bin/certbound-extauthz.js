#!/usr/bin/env node
import { runExtAuthzCli } from '../dist/cli.js';

runExtAuthzCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`certbound-extauthz: ${error?.stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
