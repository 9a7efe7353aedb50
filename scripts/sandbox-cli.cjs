#!/usr/bin/env node
/**
 * `npm run sandbox -- <command>`: start the sandbox CLI without building the project. The CLI is one
 * file with no local imports (apps/netzme-sandbox/src/cli.ts): dist's copy runs when it is at least
 * as new as the source; otherwise that one file is compiled with swc (milliseconds) into dist first.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS launcher, run before any build */
const { existsSync, mkdirSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..');
const source = join(root, 'apps', 'netzme-sandbox', 'src', 'cli.ts');
const compiled = join(root, 'dist', 'apps', 'netzme-sandbox', 'src', 'cli.js');

const stale = !existsSync(compiled) || (existsSync(source) && statSync(compiled).mtimeMs < statSync(source).mtimeMs);
if (stale) {
  let transformFileSync;
  try {
    ({ transformFileSync } = require('@swc/core'));
  } catch {
    process.stderr.write(`${compiled} is missing or older than ${source}, and @swc/core (a development dependency) is not installed: run npm run build\n`);
    process.exit(1);
  }
  const { code } = transformFileSync(source, { swcrc: false, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  mkdirSync(dirname(compiled), { recursive: true });
  writeFileSync(compiled, code);
}
require(compiled);
