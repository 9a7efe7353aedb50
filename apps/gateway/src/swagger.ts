import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeysService } from './auth/api-keys.service';
import type { GatewayConfig } from './config/gateway.config';

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json. Open outside production; in
 * production the browser signs in with HTTP Basic auth whose password is an admin API key.
 */
export function setupSwagger(app: INestApplication, config: GatewayConfig): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Netzme payment gateway')
      .setDescription(
        'Checkout orders paid by QRIS, Netzme callbacks, withdrawals to the bank, the prepaid deposit and reconciliation. ' +
          'Authenticate with `Authorization: Bearer <api key>`: checkout keys may create and read orders, admin keys may do everything. ' +
          'Amounts are decimal strings in IDR ("15000.00"). Errors are `{ statusCode, error, code, message, requestId }`.',
      )
      .setVersion('1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (development: dev_admin_key / dev_checkout_key)' }, 'api-key')
      .build(),
  );
  if (config.production) {
    const apiKeys = app.get(ApiKeysService);
    app.use(['/docs', '/docs-json'], (req: Request, res: Response, next: NextFunction) => {
      const match = /^Basic\s+(\S+)$/i.exec(req.header('authorization') ?? '');
      const password = match ? Buffer.from(match[1], 'base64').toString('utf8').split(':').slice(1).join(':') : '';
      if (password && apiKeys.roleOf(password) === 'admin') {
        return next();
      }
      res.setHeader('WWW-Authenticate', 'Basic realm="netzme-gateway docs", charset="UTF-8"');
      res.status(401).json({ statusCode: 401, error: 'UNAUTHORIZED', code: 'DOCS_SIGN_IN', message: 'Sign in with any user name and an admin API key as the password' });
    });
  }
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}
