import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { API_TAGS } from '../../apps/gateway/src/swagger';
import { ADMIN_KEY, startTestGateway } from '../support/gateway';

/**
 * Walks the whole OpenAPI document the gateway serves (issue 20): what Swagger UI and code
 * generators read must be complete and valid, not just present.
 */
type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const REDOCLY = join(__dirname, '..', '..', 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

describe('OpenAPI document', () => {
  let doc: Json;
  let file: string;

  beforeAll(async () => {
    // Production mode: the document admins actually get (signed in with an admin key).
    const gw = await startTestGateway({ env: { NODE_ENV: 'production' } });
    try {
      const res = await request(gw.url).get('/docs-json').auth('admin', ADMIN_KEY);
      expect(res.status).toBe(200);
      doc = res.body as Json;
    } finally {
      await gw.close();
    }
    file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
  });

  function operations(): Array<{ where: string; path: string; op: Json; pathItem: Json }> {
    return Object.entries(doc.paths as Json).flatMap(([path, pathItem]: [string, Json]) =>
      METHODS.filter((m) => pathItem[m]).map((m) => ({ where: `${m.toUpperCase()} ${path}`, path, op: pathItem[m] as Json, pathItem })),
    );
  }

  it('declares every path parameter of every path template', () => {
    const missing: string[] = [];
    for (const { where, path, op, pathItem } of operations()) {
      const declared = [...((pathItem.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])]
        .filter((p) => p.in === 'path' && p.required === true)
        .map((p) => p.name as string);
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        if (!declared.includes(name)) missing.push(`${where}: {${name}}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('gives every operation a summary, one declared tag and documented error responses', () => {
    const tags = API_TAGS.map(([name]) => name);
    const problems: string[] = [];
    for (const { where, op } of operations()) {
      if (typeof op.summary !== 'string' || op.summary.trim() === '') problems.push(`${where}: no summary`);
      if (!Array.isArray(op.tags) || op.tags.length !== 1 || !tags.includes(op.tags[0])) problems.push(`${where}: tags ${JSON.stringify(op.tags)}`);
      if (!Object.keys(op.responses ?? {}).some((code) => /^[45]/.test(code))) problems.push(`${where}: no 4xx/5xx response documented`);
    }
    expect(problems).toEqual([]);
  });

  it('lists the tags in order, each with a description, and Netzme callbacks last', () => {
    expect((doc.tags as Json[]).map((t) => t.name)).toEqual([
      'Orders',
      'Withdrawals',
      'Deposit',
      'Merchant',
      'Reconciliation',
      'Callbacks (admin)',
      'Keys',
      'Audit',
      'Jobs',
      'System',
      'Netzme callbacks',
    ]);
    for (const tag of doc.tags as Json[]) expect(tag.description).toEqual(expect.any(String));
    const receivers = operations().filter(({ path }) => path.startsWith('/callbacks/netzme/'));
    expect(receivers.length).toBeGreaterThan(0);
    for (const { op } of receivers) expect(op.tags).toEqual(['Netzme callbacks']);
  });

  it('describes API keys as an opaque bearer scheme that every security requirement names', () => {
    const schemes = doc.components.securitySchemes as Json;
    expect(schemes['api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes['api-key'].bearerFormat).not.toMatch(/JWT/i);
    expect(JSON.stringify(schemes)).not.toContain('dev_admin_key');
    const problems: string[] = [];
    for (const { where, path, op } of operations()) {
      if (!Array.isArray(op.security)) {
        problems.push(`${where}: no security stated`);
        continue;
      }
      for (const requirement of op.security as Json[]) {
        for (const name of Object.keys(requirement)) if (!schemes[name]) problems.push(`${where}: undefined scheme ${name}`);
      }
      // Only health and Netzme's receivers are open (they authenticate Netzme themselves).
      const open = op.security.length === 0;
      if (open !== (path === '/health' || path.startsWith('/health/') || path.startsWith('/callbacks/netzme/')))
        problems.push(`${where}: security ${JSON.stringify(op.security)}`);
    }
    expect(problems).toEqual([]);
    expect((doc.servers as Json[]).length).toBeGreaterThan(0);
    for (const server of doc.servers as Json[]) expect(server.url).toEqual(expect.any(String));
  });

  it('has no response with a stray schema beside content', () => {
    const stray = operations().flatMap(({ where, op }) =>
      Object.entries(op.responses as Json)
        .filter(([, r]: [string, Json]) => 'schema' in r)
        .map(([code]) => `${where} ${code}`),
    );
    expect(stray).toEqual([]);
  });

  it('shows what a 202 on a money route really is: an example with status UNKNOWN', () => {
    const wrong: string[] = [];
    for (const { where, op } of operations()) {
      const accepted = (op.responses as Json)['202'] as Json | undefined;
      // Money routes answer 201 when Netzme answered and 202 when its answer was lost.
      if (!accepted || !(op.responses as Json)['201']) continue;
      const example = accepted.content?.['application/json']?.example as Json | undefined;
      if (example?.status !== 'UNKNOWN') wrong.push(`${where}: ${JSON.stringify(example?.status)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('has every example valid against its own schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    // OpenAPI 3.0 schemas are JSON Schema plus `nullable`; refs point into the document.
    const toJsonSchema = (schema: unknown): unknown => {
      if (Array.isArray(schema)) return schema.map(toJsonSchema);
      if (!schema || typeof schema !== 'object') return schema;
      const out: Json = {};
      for (const [k, v] of Object.entries(schema as Json))
        out[k] = k === '$ref' ? `openapi${String(v)}` : k === 'example' || k === 'examples' ? undefined : toJsonSchema(v);
      if (out.nullable === true && out.type) out.type = [...[out.type].flat(), 'null'];
      if (out.nullable === true && out.enum) out.enum = [...(out.enum as unknown[]), null];
      if (out.nullable === true && out.allOf) return { anyOf: [{ allOf: out.allOf }, { type: 'null' }] };
      delete out.nullable;
      return out;
    };
    ajv.addSchema({ $id: 'openapi', components: toJsonSchema(doc.components) as Json });
    const validators = new Map<unknown, ValidateFunction>();
    const check = (where: string, schema: Json | undefined, example: unknown, problems: string[]): void => {
      if (!schema || example === undefined) return;
      let validate = validators.get(schema);
      if (!validate) {
        validate = ajv.compile(toJsonSchema(schema) as Json);
        validators.set(schema, validate);
      }
      if (!validate(example)) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
    };
    const problems: string[] = [];
    let checked = 0;
    const walkSchema = (where: string, schema: Json | undefined): void => {
      if (!schema || typeof schema !== 'object') return;
      if ('example' in schema && !('$ref' in schema)) {
        checked++;
        check(where, schema, schema.example, problems);
      }
      for (const [name, property] of Object.entries((schema.properties as Json) ?? {})) walkSchema(`${where}.${name}`, property as Json);
      if (schema.items) walkSchema(`${where}[]`, schema.items as Json);
    };
    for (const [name, schema] of Object.entries(doc.components.schemas as Json)) walkSchema(name, schema as Json);
    for (const { where, op } of operations()) {
      for (const parameter of (op.parameters as Json[]) ?? []) {
        if (parameter.example !== undefined) {
          checked++;
          check(`${where} parameter ${parameter.name}`, parameter.schema, parameter.example, problems);
        }
      }
      const media = [
        ...Object.entries((op.requestBody?.content as Json) ?? {}).map(([type, m]) => [`${where} body ${type}`, m] as const),
        ...Object.entries(op.responses as Json).flatMap(([code, r]: [string, Json]) =>
          Object.entries((r.content as Json) ?? {}).map(([type, m]) => [`${where} ${code} ${type}`, m] as const),
        ),
      ];
      for (const [at, m] of media as Array<readonly [string, Json]>) {
        if (m.example !== undefined) {
          checked++;
          check(at, m.schema, m.example, problems);
        }
        for (const [name, ex] of Object.entries((m.examples as Json) ?? {})) {
          checked++;
          check(`${at} example ${name}`, m.schema, (ex as Json).value, problems);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('passes Redocly CLI lint (recommended rules) with 0 errors, offline', () => {
    // Telemetry and the update check off: linting a local file needs no network.
    const result = spawnSync(process.execPath, [REDOCLY, 'lint', file, '--format=json', '--extends=recommended'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
    });
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
    };
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
    const badExamples = report.problems
      .filter((p) => p.ruleId === 'no-invalid-schema-examples' || p.ruleId === 'no-invalid-media-type-examples')
      .map((p) => `${p.location[0]?.pointer}: ${p.message}`);
    expect(badExamples).toEqual([]);
  });
});
