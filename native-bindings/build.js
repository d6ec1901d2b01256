#!/usr/bin/env node
/*
 * Builds the native line prefilter from source with node-gyp, against the headers of the running Node
 * (no downloads). A failed build is a warning, not an error: sigrep then runs its pure-JS prefilter.
 * `--strict` (or SIGREP_REQUIRE_NATIVE=1) makes a failed build fail the command.
 *
 *   node native-bindings/build.js [--strict]
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const strict = process.argv.includes('--strict') || process.env.SIGREP_REQUIRE_NATIVE === '1';
const here = __dirname;

/** Headers of this Node: npm's nodedir setting, else the install prefix of the running binary. */
function nodedir() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..')];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

/** node-gyp as npm runs it for scripts, else the copy bundled with the npm beside this Node. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.resolve(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package; the bundled copy will do
  }
  return candidates.find((file) => file && fs.existsSync(file));
}

function fail(reason) {
  const message = `sigrep: native line prefilter not built (${reason}); the pure-JS prefilter will be used`;
  if (strict) {
    console.error(message);
    process.exit(1);
  }
  console.warn(`warning: ${message}`);
  process.exit(0);
}

const dir = nodedir();
if (!dir) fail('Node headers (include/node/node_api.h) not found; set npm_config_nodedir');
const gyp = nodeGyp();
if (!gyp) fail('node-gyp not found');
const result = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`], { cwd: here, stdio: 'inherit' });
if (result.status !== 0) fail(result.error ? result.error.message : `node-gyp exited with ${result.status}`);
console.log(`sigrep: native line prefilter built in ${path.join(here, 'build', 'Release')}`);
