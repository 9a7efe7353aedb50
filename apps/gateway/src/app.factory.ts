import 'reflect-metadata';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import { AuditTrail } from './audit/audit-trail';
import { BODY_LIMIT_BYTES, findNul, isCallbackReceiver, jsonDepthExceeds, MAX_JSON_DEPTH, NulCharacterError, TooDeepError } from './http/input-limits';
import { JsonLogger } from './observability/json-logger';
import { registerRequestContext, requestIdOf } from './http/request-id';
import { createValidationPipe } from './http/validation';
import { GATEWAY_CONFIG } from './config/config.module';
import { MetricsService } from './observability/metrics.service';
import { registerHttpObservability } from './observability/http-observer';
import type { RawEnv } from './config/env-validation';
import type { GatewayConfig } from './config/gateway.settings';
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
export async function createGatewayApp(options: CreateGatewayOptions = {}): Promise<NestFastifyApplication> {
  const env = options.env ?? process.env;
  const level = (env.LOG_LEVEL as LogLevel | undefined) ?? 'log';
  const logger =
    options.logs === false
      ? false
      : new JsonLogger('Gateway', { json: env.LOG_FORMAT !== 'pretty', logLevels: LEVELS.slice(0, Math.max(LEVELS.indexOf(level), 1) + 1) });
  // Fastify rather than Express: the framework's own cost per request is about a third (see
  // docs/orders.md, "Benchmark"), and it is on the path of every checkout.
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, genReqId: requestIdOf });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ env: options.env }), adapter, {
    // Callback signatures are checked over the bytes Netzme sent.
    rawBody: true,
    // JSON only (registered below): any other content type is refused with 415.
    bodyParser: false,
    logger: logger === false ? false : logger,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  const json = fastify.getDefaultJsonParser('error', 'error');
  // An empty body sent as JSON (e.g. `curl -X POST -H 'Content-Type: application/json'` on an
  // action route) counts as no body rather than an error; anything else must be valid JSON.
  // Depth is checked on the text, before JSON.parse and long before class-transformer recurses
  // into it (README "Input limits"); the callback receiver keeps its own rules.
  app.useBodyParser(
    'application/json',
    { bodyLimit: BODY_LIMIT_BYTES },
    (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
      if (body.length === 0) {
        return done(null, undefined);
      }
      const text = body.toString('utf8');
      if (!isCallbackReceiver(request.url) && jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
        return done(new TooDeepError());
      }
      return json(request, text, done);
    },
  );
  registerRequestContext(fastify);
  registerHttpObservability(fastify, app.get(MetricsService), { json: env.LOG_FORMAT !== 'pretty' });
  // No text with a NUL character reaches a handler (Postgres cannot store it in text columns):
  // query values, path parameters and body strings are refused with 400 in one place.
  fastify.addHook('preHandler', (request, _reply, done) => {
    if (isCallbackReceiver(request.url)) {
      return done();
    }
    const where = findNul(request.query, 'query') ?? findNul(request.params, 'path') ?? findNul(request.body, 'body');
    done(where === undefined ? undefined : new NulCharacterError(where));
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  // Admin changes are written to the audit trail when answered (docs/access.md).
  app.get(AuditTrail).register(app);
  setupSwagger(app, app.get<GatewayConfig>(GATEWAY_CONFIG));
  return app;
}
