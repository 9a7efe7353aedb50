// node tools/feature-imports.mjs [REPO] [MODULE]: the files outside apps/gateway/src/<MODULE>/ that its non-test files import, by top folder
// (feature modules vs infrastructure rooms). Used to measure how rooms meet (docs/architecture.md).
import fs from 'node:fs';
import path from 'node:path';
const repo = path.resolve(process.argv[2] ?? '.');
const mod = process.argv[3] ?? 'deposit';
const src = path.join(repo, 'apps/gateway/src');
const root = path.join(src, mod);
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const seen = new Map();
for (const f of walk(root).filter((f) => f.endsWith('.ts') && !/\.spec\.ts$/.test(f))) {
  for (const [, spec] of fs.readFileSync(f, 'utf8').matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
    const b = path.resolve(path.dirname(f), spec);
    const t = [b + '.ts', path.join(b, 'index.ts'), b].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (t && !t.startsWith(root + path.sep)) seen.set(path.relative(src, t), true);
  }
}
const infra = new Set(['common', 'config', 'database', 'http', 'money', 'idempotency', 'observability']); // 'common' existed before the redesign
const byTop = {};
for (const f of seen.keys()) {
  const top = f.split(path.sep)[0];
  (byTop[top] ??= []).push(f);
}
let features = 0;
for (const [top, list] of Object.entries(byTop).sort()) {
  const isInfra = infra.has(top);
  if (!isInfra) features += list.length;
  console.log(`${isInfra ? 'infra  ' : 'feature'} ${top}: ${list.length}  ${list.join(' ')}`);
}
console.log(`files imported from other feature modules: ${features}`);
