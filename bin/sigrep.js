#!/usr/bin/env node
'use strict';
// The bundle (dist/bundle/cli.js, made by `npm run build`) starts faster than tsc's tree of modules. It is
// used only when it is at least as new as tsc's output, so a bare `tsc` never leaves this running stale code.
const fs = require('node:fs');
const path = require('node:path');

function entry() {
  const dist = path.join(__dirname, '..', 'dist');
  const tree = path.join(dist, 'src', 'cli', 'main.js');
  const bundle = path.join(dist, 'bundle', 'cli.js');
  try {
    if (fs.statSync(bundle).mtimeMs >= fs.statSync(tree).mtimeMs) return bundle;
  } catch {
    // No bundle (or no tree): the tree, whose absence require reports.
  }
  return tree;
}

require(entry())
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
