import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiKeysService } from './auth/api-keys.service';
import { API_KEY_SCHEME, PUBLIC_ROUTE } from './auth/auth.decorators';
import type { GatewayConfig } from './config/gateway.settings';
import { AuthErrorCode } from './auth/auth-errors';

/**
 * Tags in the order Swagger UI shows them: what admins use most first, Netzme's own callback
 * receivers last. Every operation carries exactly one of these (test/access/openapi.e2e-spec.ts).
 */
export const API_TAGS: ReadonlyArray<readonly [string, string]> = [
  ['Orders', 'Checkout orders paid by QRIS (or another Netzme pay method): create, look up, refresh from Netzme, history.'],
  ['Withdrawals', 'Moving the merchant balance to the bank: PIN, inquiry, withdrawals and their resolution.'],
  ['Deposit', 'The prepaid deposit: balance, transactions, top-ups, split fees and deposit withdrawals.'],
  ['Merchant', "Netzme's view of the merchant and static-QRIS payments."],
  ['Reconciliation', "Daily comparison of our records with Netzme's: reports, items, CSV, manual runs."],
  ['Callbacks (admin)', 'What Netzme told us: the callback inbox, anomalies to handle, re-applying a callback.'],
  ['Keys', 'Managed API keys: create (the secret is shown once), list, rotate, revoke.'],
  ['Audit', 'Who changed what: every admin action that changes something, with the key name, request id, target and before/after.'],
  ['Jobs', 'The schedulers: their settings and runs on every replica, and running one now.'],
  ['System', 'Health and metrics.'],
  ['Netzme callbacks', "Receivers Netzme calls (authenticated by Netzme's callback token or SNAP signature, not by an API key). Not for admins."],
];

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json. Open outside production; in
 * production the browser signs in with HTTP Basic auth whose password is an admin API key.
 */
export function setupSwagger(app: NestFastifyApplication, config: GatewayConfig): void {
  const builder = new DocumentBuilder()
    .setTitle('Netzme payment gateway')
    .setDescription(
      'Checkout orders paid by QRIS, Netzme callbacks, withdrawals to the bank, the prepaid deposit and reconciliation. ' +
        'Authenticate with `Authorization: Bearer <api key>` (the Authorize button): checkout keys may create and read orders, ' +
        'viewer keys may read everything an admin may read, admin keys may do everything. ' +
        'Amounts are decimal strings in IDR ("15000.00"). Errors are `{ statusCode, error, code, message, requestId }`. ' +
        'Every route may answer 400 `BODY_TOO_DEEP` (JSON nested deeper than 32 levels), 400 `NUL_CHARACTER` (a NUL character in a query value, path parameter or body string), ' +
        '413 (body over 256 KB) and 503 `DATABASE_UNAVAILABLE` with `Retry-After` while the database cannot be reached (repeat the same request; creates are idempotent).',
    )
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: "Try it out" calls whichever host served this page.
    .addServer('/', 'This gateway')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        // Opaque API keys, not JWTs (the default of addBearerAuth).
        bearerFormat: 'API key',
        description: config.production ? 'An API key (checkout, viewer or admin).' : 'An API key (with the local sandbox: dev_admin_key / dev_checkout_key).',
      },
      API_KEY_SCHEME,
    );
  for (const [name, description] of API_TAGS) {
    builder.addTag(name, description);
  }
  const document = SwaggerModule.createDocument(app, builder.build());
  markPublicOperations(app, document);
  if (config.production) {
    const apiKeys = app.get(ApiKeysService);
    // Registered before Swagger's routes (and Nest's), so the UI, its assets and the JSON/YAML
    // documents are all behind it.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', async (request, reply) => {
        // Decided on the route the router matched (e.g. `/docs-json`, `/docs/*`), not on the raw
        // URL: the router decodes `%64ocs-json` to `/docs-json`, so a check of the raw text is bypassed.
        if (!isDocsRoute(request.routeOptions.url)) {
          return;
        }
        const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
        const password = match ? Buffer.from(match[1], 'base64').toString('utf8').split(':').slice(1).join(':') : '';
        const caller = password ? await apiKeys.resolve(password) : null;
        // Admins work in Swagger UI; viewer keys (support staff) may read it too.
        if (caller && (caller.role === 'admin' || caller.role === 'viewer')) {
          return;
        }
        return reply.code(401).header('WWW-Authenticate', 'Basic realm="netzme-gateway docs", charset="UTF-8"').send({
          statusCode: 401,
          error: 'UNAUTHORIZED',
          code: AuthErrorCode.DOCS_SIGN_IN,
          message: 'Sign in with any user name and an admin API key as the password',
        });
      });
  }
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}

/** Swagger's routes: the UI and its assets under /docs, the documents at /docs-json and /docs-yaml. */
export function isDocsRoute(routedUrl: string | undefined): boolean {
  return routedUrl !== undefined && /^\/docs(?:[-/]|$)/.test(routedUrl);
}

/**
 * `security: []` on every operation the guard lets through without a key (@Public() on the method;
 * @nestjs/swagger drops an empty method-level list, class-level @Public() already gives it).
 */
function markPublicOperations(app: NestFastifyApplication, document: OpenAPIObject): void {
  const open = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const classPublic = Reflect.getMetadata(PUBLIC_ROUTE, type) === true;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler === 'function' && (classPublic || Reflect.getMetadata(PUBLIC_ROUTE, handler) === true)) {
          open.add(`${type.name}_${name}`);
        }
      }
    }
  }
  for (const item of Object.values(document.paths)) {
    for (const op of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (op && !op.security && op.operationId && open.has(op.operationId)) {
        op.security = [];
      }
    }
  }
}
