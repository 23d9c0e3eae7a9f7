#!/usr/bin/env node
// The `brainweave` command: the built CLI (npm run build makes dist/; in a checkout, `npm run cli -- ...` runs the sources).
'use strict';
try {
  require('../dist/cjs/src/node/cli/bin.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('cli/bin.js')) {
    process.stderr.write('brainweave: dist/ is missing: run `npm run build` first (or `npm run cli -- <args>` in a checkout)\n');
    process.exit(1);
  }
  throw e;
}
