#!/usr/bin/env node
// The `klachtflow` command (`npx klachtflow …` from a checkout): runs the TypeScript CLI
// through tsx, or the compiled one in an image built with `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'dist', 'cli', 'main.js');
let cli;
if (process.env.NODE_ENV === 'production' && existsSync(compiled)) {
  cli = require(compiled);
} else {
  require('tsx/cjs');
  cli = require(join(__dirname, '..', 'cli', 'main.ts'));
}
cli.run(process.argv.slice(2));
