#!/usr/bin/env node
// The installed `certbound` command: the compiled process entry (src/cli/run.ts).
import '../dist/cli/run.js';
