#!/usr/bin/env node
/**
 * Keeps package-lock.json usable by `npm ci` when the npm registry we install from does not serve
 * every platform build of a native package (here, e.g. @swc/core-darwin-arm64 answers 404). npm
 * then writes no lock entry for those optional packages, and `npm ci` refuses the lock as "Missing
 * ... from lock file". This adds a stub entry (version, optional, os/cpu/libc) for each optional
 * dependency that has none, so `npm ci` accepts the lock and skips them on other platforms, as it
 * would with full entries.
 *
 * Run after changing dependencies:  npm install && node tools/lock-platform-stubs.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

function platformOf(name) {
  const match = /(darwin|win32|linux|android|freebsd|openharmony|sunos|aix)-([a-z0-9]+)(?:-(gnu|musl|msvc|gnueabihf|musleabihf|eabi))?$/.exec(
    name.split('/').pop(),
  );
  if (!match) {
    return null;
  }
  const [, os, cpu, abi] = match;
  const entry = { os: [os], cpu: [cpu] };
  if (abi === 'gnu' || abi === 'gnueabihf') entry.libc = ['glibc'];
  if (abi === 'musl' || abi === 'musleabihf') entry.libc = ['musl'];
  return entry;
}

let added = 0;
for (const [at, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const platform = platformOf(name);
    if (packages[key] || !platform) {
      continue;
    }
    packages[key] = { version, optional: true, ...(meta.dev ? { dev: true } : {}), ...platform };
    added++;
    console.log(`stub ${name}@${version} (needed by ${at || 'the root'})`);
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${added} stub entries added`);
