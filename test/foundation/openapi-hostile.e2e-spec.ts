import { randomUUID } from 'node:crypto';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { ADMIN_KEY, CHECKOUT_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { routeCallbacksTo, sandboxEnv, startTestSandbox } from '../support/sandbox';

/**
 * The whole API document, attacked: every operation in /docs-json gets a set of hostile inputs in
 * its body, query and path (deep nesting, NUL characters, huge numbers, impossible dates, wrong
 * types, 1 MB strings), with an admin key and with a checkout key. No answer may be a 5xx.
 * The Netzme callback receivers (/callbacks/netzme/*) get everything but NUL-in-body, whose rule
 * there is "store safely and acknowledge" (the callback module's own tests), sent with and
 * without Netzme's callback token.
 */

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  example?: unknown;
  items?: Schema;
  enum?: unknown[];
}
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema; examples?: Record<string, { value: unknown }> }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Attack {
  name: string;
  /** Value for every path parameter (already URL-encoded). */
  path: string;
  /** Query string values per declared query parameter (URL-encoded by the walker), or raw query text. */
  query: (param: string) => string | string[];
  /** Raw JSON body, from the operation's field names (undefined: none). */
  body: (fields: string[]) => string | undefined;
  /** Not sent to the Netzme callback receivers (NUL in bodies). */
  skipCallbackReceiver?: boolean;
}

const MB = 'x'.repeat(1024 * 1024);
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const objectOf = (fields: string[], value: string) => `{${(fields.length > 0 ? fields : ['field']).map((f) => `${JSON.stringify(f)}:${value}`).join(',')}}`;

const ATTACKS: Attack[] = [
  {
    name: 'deep nesting',
    path: randomUUID(),
    query: () => '1',
    body: (fields) => `{${JSON.stringify(fields[0] ?? 'a')}:${nested(5000)}}`,
  },
  {
    name: 'deep nesting (arrays, 100k)',
    path: randomUUID(),
    query: () => '[[[[[[[[[[[[[[[[[[[[',
    body: () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  },
  {
    name: 'NUL characters',
    path: '%00',
    query: () => 'a\u0000b',
    body: (fields) => objectOf(fields, JSON.stringify('a\u0000b')),
    skipCallbackReceiver: true,
  },
  {
    name: 'NUL in query and path only',
    path: `${randomUUID()}%00`,
    query: () => '\u0000',
    body: () => undefined,
  },
  {
    name: 'huge numbers',
    path: '99999999999999999999',
    query: () => '99999999999999999999',
    body: (fields) => objectOf(fields, '1e400'),
  },
  {
    name: 'huge numbers as strings',
    path: '-1',
    query: () => '-99999999999999999999.99',
    body: (fields) => objectOf(fields, JSON.stringify('99999999999999999999999999999999.99')),
  },
  {
    name: 'invalid dates',
    path: '2026-02-30',
    query: () => '2026-13-45',
    body: (fields) => objectOf(fields, JSON.stringify('2026-02-30')),
  },
  {
    name: 'invalid date-times',
    path: '2026-02-30T25:61:61Z',
    query: () => '2026-W01',
    body: (fields) => objectOf(fields, JSON.stringify('0000-00-00T00:00:00Z')),
  },
  {
    name: 'wrong types (objects)',
    path: randomUUID(),
    query: () => ['1', '2'],
    body: (fields) => objectOf(fields, '{"$gt":"","__proto__":{"x":1}}'),
  },
  {
    name: 'wrong types (arrays, booleans, null)',
    path: 'true',
    query: () => '',
    body: (fields) => objectOf(fields, '[true,null,{}]'),
  },
  {
    name: 'wrong top-level types',
    path: randomUUID(),
    query: () => 'null',
    body: () => '[1,"a",null]',
  },
  {
    name: 'top-level string body',
    path: randomUUID(),
    query: () => 'undefined',
    body: () => '"just a string"',
  },
  {
    name: '1 MB strings',
    path: 'x'.repeat(2000),
    query: () => 'q'.repeat(8 * 1024),
    body: (fields) => objectOf(fields, JSON.stringify(MB)),
  },
];

/** Hostile values for one query parameter at a time (the others left out, so none of them fails first). */
const QUERY_VALUES: Array<[string, string | string[]]> = [
  ['NUL', 'a\u0000b'],
  ['huge number', '99999999999999999999'],
  ['impossible date', '2026-02-30'],
  ['week date', '2026-W01'],
  ['negative', '-1'],
  ['repeated (array)', ['1', '2']],
  ['4 KB string', 'q'.repeat(4096)],
];

/** Hostile values (raw JSON) for one body field at a time, the other fields taken from the document's examples. */
const FIELD_VALUES: Array<[string, string, boolean?]> = [
  ['NUL', JSON.stringify('a\u0000b'), true],
  ['1e400', '1e400'],
  ['huge decimal string', JSON.stringify('99999999999999999999999.99')],
  ['impossible date', JSON.stringify('2026-02-30')],
  ['object', '{"$gt":"","constructor":{"prototype":{}}}'],
  ['array', '[1,[2],{"a":3}]'],
  ['boolean', 'true'],
  ['null', 'null'],
  ['64 KB string', JSON.stringify('y'.repeat(64 * 1024))],
  ['33 levels deep', nested(33)],
];

describe('Every operation of the OpenAPI document under hostile input: never a 5xx', () => {
  let sandbox: StartedSandbox;
  let gw: TestGateway;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    gw = await startTestGateway({ netzme: sandboxEnv(sandbox), env: { JOBS_ENABLED: 'false' } });
    await routeCallbacksTo(sandbox, gw.url);
  });

  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('walks /docs-json and sends every operation every attack with both keys: 0 answers >= 500', async () => {
    const doc = (await (await fetch(`${gw.url}/docs-json`)).json()) as OpenApiDocument;
    const schemas = doc.components?.schemas ?? {};
    const resolve = (schema: Schema | undefined): Schema | undefined => (schema?.$ref ? schemas[schema.$ref.split('/').pop()!] : schema);

    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(40);

    interface Planned {
      label: string;
      url: string;
      method: string;
      headers: Record<string, string>;
      body?: string;
    }
    const planned: Planned[] = [];
    for (const { path, method, op } of operations) {
      const receiver = path.startsWith('/callbacks/netzme/');
      const params = op.parameters ?? [];
      const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name);
      const bodySchema = resolve(op.requestBody?.content?.['application/json']?.schema);
      const fields = Object.keys(bodySchema?.properties ?? {});
      const hasBody = op.requestBody !== undefined || method !== 'GET';
      for (const attack of ATTACKS) {
        if (receiver && attack.skipCallbackReceiver) {
          continue;
        }
        const url = new URL(`${gw.url}${path.replace(/\{[^}]+\}/g, attack.path)}`);
        // Undeclared parameters too: a route that reads one it does not declare must not fail.
        for (const name of queryParams.length > 0 ? queryParams : ['page']) {
          const value = attack.query(name);
          for (const v of Array.isArray(value) ? value : [value]) {
            url.searchParams.append(name, v);
          }
        }
        const body = hasBody ? attack.body(fields) : undefined;
        // Admin and checkout keys on API routes; Netzme's token and none on the receivers.
        const credentials: Array<[string, Record<string, string>]> = receiver
          ? [
              ['callback token', { 'x-callback-token': sandbox.credentials.callbackToken }],
              ['no credentials', {}],
            ]
          : [
              ['admin key', { authorization: `Bearer ${ADMIN_KEY}` }],
              ['checkout key', { authorization: `Bearer ${CHECKOUT_KEY}` }],
            ];
        for (const [who, auth] of credentials) {
          planned.push({
            label: `${method} ${path} [${attack.name}, ${who}]`,
            url: url.toString(),
            method,
            headers: { ...auth, 'idempotency-key': randomUUID(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            body,
          });
        }
      }
    }

    // One parameter / one field at a time, with the admin key (which may call every route), so that
    // a hostile value is not hidden behind another parameter's validation error.
    for (const { path, method, op } of operations) {
      const receiver = path.startsWith('/callbacks/netzme/');
      const concretePath = path.replace(/\{[^}]+\}/g, () => randomUUID());
      const auth: Record<string, string> = receiver ? { 'x-callback-token': sandbox.credentials.callbackToken } : { authorization: `Bearer ${ADMIN_KEY}` };
      for (const name of (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)) {
        for (const [what, value] of QUERY_VALUES) {
          const url = new URL(`${gw.url}${concretePath}`);
          for (const v of Array.isArray(value) ? value : [value]) {
            url.searchParams.append(name, v);
          }
          planned.push({
            label: `${method} ${path} [query ${name}: ${what}]`,
            url: url.toString(),
            method,
            headers: { ...auth, 'idempotency-key': randomUUID() },
          });
        }
      }
      const bodySchema = resolve(op.requestBody?.content?.['application/json']?.schema);
      const properties = bodySchema?.properties ?? {};
      const base = Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, resolve(schema)?.example ?? schema.example ?? 'x']));
      for (const field of Object.keys(properties)) {
        for (const [what, raw, isNul] of FIELD_VALUES) {
          if (receiver && isNul) {
            continue;
          }
          const others = JSON.stringify({ ...base, [field]: undefined });
          const body = others === '{}' ? `{${JSON.stringify(field)}:${raw}}` : `${others.slice(0, -1)},${JSON.stringify(field)}:${raw}}`;
          planned.push({
            label: `${method} ${path} [body ${field}: ${what}]`,
            url: `${gw.url}${concretePath}`,
            method,
            headers: { ...auth, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
            body,
          });
        }
      }
    }

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < planned.length) {
        const request = planned[next++];
        let status: number;
        let text = '';
        try {
          const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
          status = res.status;
          text = await res.text();
        } catch (error) {
          // The server hung up without an answer: as bad as a 5xx.
          status = 599;
          text = String((error as Error).cause ?? error);
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) {
          failures.push(`${request.label} -> ${status} ${text.slice(0, 300)}`);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 6 }, worker));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);

    const summary = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    console.log(
      `hostile walk: ${operations.length} operations, ${ATTACKS.length} whole-request attacks, ${QUERY_VALUES.length} per query parameter, ${FIELD_VALUES.length} per body field: ${planned.length} requests in ${seconds} s (${summary}); ${failures.length} answers >= 500`,
    );
    // Cannot pass vacuously: every operation got every attack (less NUL-in-body on receivers) with two credentials.
    expect(planned.length).toBeGreaterThanOrEqual(operations.length * (ATTACKS.length - 1) * 2);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(planned.length);
    expect(failures).toEqual([]);
    // And the gateway is still well after it.
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
  });
});
