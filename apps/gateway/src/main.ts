import { Logger } from '@nestjs/common';
import { createGatewayApp } from './app.factory';
import { GATEWAY_CONFIG } from './config/config.module';
import { ConfigurationError } from './config/env-validation';
import type { GatewayConfig } from './config/gateway.config';

async function bootstrap(): Promise<void> {
  const app = await createGatewayApp();
  const config = app.get<GatewayConfig>(GATEWAY_CONFIG);
  await app.listen(config.port, process.env.HOST ?? '0.0.0.0');
  new Logger('Gateway').log(`gateway listening on http://127.0.0.1:${config.port} (Swagger UI at /docs); Netzme at ${config.netzme.baseUrl}${config.netzme.usingSandbox ? ' (local sandbox)' : ''}`);
}

bootstrap().catch((error: unknown) => {
  // A configuration problem is the operator's to fix: print it plainly, without a stack trace.
  const message = error instanceof ConfigurationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`gateway failed to start: ${message}\n`);
  process.exit(1);
});
