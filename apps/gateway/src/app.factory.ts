import 'reflect-metadata';
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { JsonLogger } from './common/json-logger';
import { requestContextMiddleware, requestIdMiddleware } from './common/request-id.middleware';
import { createValidationPipe } from './common/validation';
import { GATEWAY_CONFIG } from './config/config.module';
import type { RawEnv } from './config/env-validation';
import type { GatewayConfig } from './config/gateway.config';
import { setupSwagger } from './swagger';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface CreateGatewayOptions {
  env?: RawEnv;
  /** false silences logs (tests). */
  logs?: boolean;
}

/**
 * Builds the gateway exactly as production runs it (pipes, filters, request ids, Swagger); main.ts
 * and the end-to-end tests both use it.
 */
export async function createGatewayApp(options: CreateGatewayOptions = {}): Promise<INestApplication> {
  const env = options.env ?? process.env;
  const level = (env.LOG_LEVEL as LogLevel | undefined) ?? 'log';
  const logger =
    options.logs === false
      ? false
      : new JsonLogger('Gateway', { json: env.LOG_FORMAT !== 'pretty', logLevels: LEVELS.slice(0, Math.max(LEVELS.indexOf(level), 1) + 1) });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ env: options.env }), {
    rawBody: true,
    // Only JSON is accepted: Nest's default urlencoded parser would run (and cost) on every request.
    bodyParser: false,
    logger: logger === false ? false : logger,
    abortOnError: false,
  });
  app.use(requestIdMiddleware);
  app.disable('x-powered-by');
  // API answers are not cached by clients; skip hashing every response body for an ETag.
  app.set('etag', false);
  app.useBodyParser('json', { limit: '256kb' });
  // After body parsing, so the request id's async context covers guards, handlers and logs.
  app.use(requestContextMiddleware);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setupSwagger(app, app.get<GatewayConfig>(GATEWAY_CONFIG));
  return app;
}
