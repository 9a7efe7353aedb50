import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The gateway's version: APP_VERSION if the image sets one (e.g. a git tag), otherwise package.json's
 * `version`, found by walking up from this file (it sits at different depths in the sources and in dist/).
 */
export function gatewayVersion(env: Record<string, string | undefined> = process.env): string {
  if (env.APP_VERSION) {
    return env.APP_VERSION;
  }
  if (cached === undefined) {
    cached = 'unknown';
    for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'netzme-gateway' && pkg.version) {
          cached = pkg.version;
          break;
        }
      }
    }
  }
  return cached;
}
