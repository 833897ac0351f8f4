#!/usr/bin/env node
import { runCli } from '../dist/cli/main.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`certbound: ${error?.stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
