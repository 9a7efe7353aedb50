import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { AuditRepository } from './audit.repository';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Field names whose values never reach the audit trail (PINs, key secrets, tokens). */
const SECRET_FIELD = /^(pin|secret|password|token|authorization|privatekey)$|(pin|secret|password|token)$/i;
const MAX_JSON = 64 * 1024;

interface AuditedRequest extends AuthenticatedRequest {
  auditBefore?: unknown;
}

/**
 * Where the state before a change is read from: the route that shows the target. Routes not listed
 * (creations, runs) have no "before". Reading goes through the app itself (an in-process request
 * with the caller's key), so the before and after have the same shape.
 */
const BEFORE: Record<string, (params: Record<string, string>) => { url: string; pick?: (body: unknown) => unknown }> = {
  'POST /orders/:id/refresh': (p) => ({ url: `/orders/${p.id}` }),
  'POST /callbacks/:id/reapply': (p) => ({ url: `/callbacks/${p.id}` }),
  'POST /withdrawals/:id/resolve': (p) => ({ url: `/withdrawals/${p.id}` }),
  'POST /withdrawals/:id/resubmit': (p) => ({ url: `/withdrawals/${p.id}` }),
  'POST /deposit/withdrawals/:id/resolve': (p) => ({ url: `/deposit/withdrawals/${p.id}` }),
  'POST /deposit/withdrawals/:id/resubmit': (p) => ({ url: `/deposit/withdrawals/${p.id}` }),
  'POST /keys/:id/rotate': (p) => ({
    url: '/keys',
    pick: (list) => (Array.isArray(list) ? (list.find((k: { id?: string }) => k?.id === p.id) ?? null) : null),
  }),
  'DELETE /keys/:id': (p) => ({ url: '/keys', pick: (list) => (Array.isArray(list) ? (list.find((k: { id?: string }) => k?.id === p.id) ?? null) : null) }),
};

function audited(request: AuditedRequest): boolean {
  // Checkout keys' own traffic (orders) is not an admin action; viewer keys cannot change anything.
  return MUTATING.has(request.method) && request.apiCaller !== undefined && request.apiCaller.role === 'admin';
}

function actionOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url}`;
}

/** Copies a JSON value with secret fields replaced and oversized values summarised. */
export function redact(value: unknown): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, SECRET_FIELD.test(k) ? '[REDACTED]' : walk(x)]));
    }
    return v;
  };
  const clean = walk(value);
  const text = JSON.stringify(clean);
  return text !== undefined && text.length > MAX_JSON ? { truncated: true, bytes: text.length } : clean;
}

function parse(payload: unknown): unknown {
  if (typeof payload !== 'string') return null;
  try {
    return JSON.parse(payload);
  } catch {
    return null;
  }
}

/** Reads the "before" state of an admin change, after the guard has identified the caller. */
@Injectable()
export class AuditBeforeInterceptor implements NestInterceptor {
  private fastify?: FastifyInstance;
  private readonly logger = new Logger('Audit');

  attach(fastify: FastifyInstance): void {
    this.fastify = fastify;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    const before = audited(request) ? BEFORE[actionOf(request)] : undefined;
    if (before && this.fastify) {
      const { url, pick } = before((request.params ?? {}) as Record<string, string>);
      try {
        const res = await this.fastify.inject({
          method: 'GET',
          url,
          headers: { authorization: request.headers.authorization ?? '', 'x-request-id': `${request.id}.before` },
        });
        const body = res.statusCode === 200 ? (JSON.parse(res.body) as unknown) : null;
        request.auditBefore = pick ? pick(body) : body;
      } catch (error) {
        this.logger.warn(`could not read the state before ${actionOf(request)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return next.handle();
  }
}

/** Writes the audit row once the answer is known (status and body), for every admin change. */
@Injectable()
export class AuditTrail {
  readonly store: AuditRepository;
  private readonly logger = new Logger('Audit');

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly before: AuditBeforeInterceptor,
  ) {
    this.store = new AuditRepository(dataSource);
  }

  register(app: NestFastifyApplication): void {
    const fastify = app.getHttpAdapter().getInstance();
    this.before.attach(fastify);
    fastify.addHook('onSend', async (raw, reply, payload) => {
      const request = raw as AuditedRequest;
      if (!audited(request) || !request.apiCaller) {
        return payload;
      }
      const params = (request.params ?? {}) as Record<string, string>;
      try {
        // Awaited: when the admin sees the answer, the change is in the trail.
        await this.store.write({
          keyId: request.apiCaller.keyId,
          keyName: request.apiCaller.name,
          role: request.apiCaller.role,
          requestId: request.id,
          method: request.method,
          route: request.routeOptions.url ?? request.url,
          target: params.id ?? params.name ?? null,
          status: reply.statusCode,
          request: redact(request.body ?? null),
          before: redact(request.auditBefore ?? null),
          after: redact(parse(payload)),
        });
      } catch (error) {
        this.logger.error(
          `could not write the audit row for ${actionOf(request)} (request ${request.id}): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return payload;
    });
  }
}
