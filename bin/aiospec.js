#!/usr/bin/env node
// Entry point of the `aiospec` command; the CLI itself lives in conformance/cli.ts.
require('../dist/conformance/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 2; }
);
