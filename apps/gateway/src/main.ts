import { Logger } from '@nestjs/common';
import { createGatewayApp } from './app.factory';
import { GATEWAY_CONFIG } from './config/config.module';
import { ConfigurationError } from './config/env-validation';
import type { GatewayConfig } from './config/gateway.settings';

async function bootstrap(): Promise<void> {
  const app = await createGatewayApp();
  const config = app.get<GatewayConfig>(GATEWAY_CONFIG);
  // Loopback unless HOST says otherwise (the Docker image sets HOST=0.0.0.0): a development gateway
  // is not reachable from the network by accident.
  const host = process.env.HOST || '127.0.0.1';
  await app.listen(config.port, host);
  new Logger('Gateway').log(
    `gateway listening on http://${host}:${config.port} (Swagger UI at /docs); Netzme at ${config.netzme.baseUrl}${config.netzme.usingSandbox ? ' (local sandbox)' : ''}`,
  );
}

bootstrap().catch((error: unknown) => {
  // A configuration problem is the operator's to fix: print it plainly, without a stack trace.
  const message = error instanceof ConfigurationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`gateway failed to start: ${message}\n`);
  process.exit(1);
});
