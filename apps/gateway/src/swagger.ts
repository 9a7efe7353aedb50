import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiKeysService } from './auth/api-keys.service';
import type { GatewayConfig } from './config/gateway.config';

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json. Open outside production; in
 * production the browser signs in with HTTP Basic auth whose password is an admin API key.
 */
export function setupSwagger(app: NestFastifyApplication, config: GatewayConfig): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Netzme payment gateway')
      .setDescription(
        'Checkout orders paid by QRIS, Netzme callbacks, withdrawals to the bank, the prepaid deposit and reconciliation. ' +
          'Authenticate with `Authorization: Bearer <api key>`: checkout keys may create and read orders, admin keys may do everything. ' +
          'Amounts are decimal strings in IDR ("15000.00"). Errors are `{ statusCode, error, code, message, requestId }`. ' +
          'Every route may answer 400 `BODY_TOO_DEEP` (JSON nested deeper than 32 levels), 400 `NUL_CHARACTER` (a NUL character in a query value, path parameter or body string), ' +
          '413 (body over 256 KB) and 503 `DATABASE_UNAVAILABLE` with `Retry-After` while the database cannot be reached (repeat the same request; creates are idempotent).',
      )
      .setVersion('1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (development: dev_admin_key / dev_checkout_key)' }, 'api-key')
      .build(),
  );
  if (config.production) {
    const apiKeys = app.get(ApiKeysService);
    // Registered before Swagger's routes (and Nest's), so the UI, its assets and the JSON/YAML
    // documents are all behind it.
    app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
      if (!/^\/docs(?:[-/?]|$)/.test(request.url)) {
        return done();
      }
      const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      const password = match ? Buffer.from(match[1], 'base64').toString('utf8').split(':').slice(1).join(':') : '';
      if (password && apiKeys.roleOf(password) === 'admin') {
        return done();
      }
      void reply
        .code(401)
        .header('WWW-Authenticate', 'Basic realm="netzme-gateway docs", charset="UTF-8"')
        .send({ statusCode: 401, error: 'UNAUTHORIZED', code: 'DOCS_SIGN_IN', message: 'Sign in with any user name and an admin API key as the password' });
    });
  }
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}
