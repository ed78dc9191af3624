#!/usr/bin/env node
// Entry of the `pulmo` command: runs the built CLI (npm run build writes dist/).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(`pulmo: ${cli} is missing; run \`npm run build\` first.\n`);
  process.exit(2);
}
require(cli)
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; }, (err) => { process.stderr.write(`pulmo: ${err && err.stack || err}\n`); process.exitCode = 1; });
