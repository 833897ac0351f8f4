#!/usr/bin/env node
// `pnpm demo`: certificate-bound access tokens (RFC 8705) enforced for real on 127.0.0.1.
import { runDemo } from './run-demo.js';

runDemo().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`certbound demo failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
