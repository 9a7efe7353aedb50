import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService, REQUEST_BUCKETS_SECONDS } from './metrics.service';

/** Route label of requests that matched no route: one series, not one per path a scanner tries. */
export const UNMATCHED_ROUTE = '(unmatched)';

const CALLBACK_PREFIX = '/callbacks/netzme/';

/** One access-log entry: ids, codes and timings only, never a body, a header value or a key. */
export interface AccessLogEntry {
  event: 'http.request';
  method: string;
  /** The route template (`/orders/:id`), never the path with its ids. */
  route: string;
  status: number;
  durationMs: number;
  requestId: string;
  /** The API key's name, when the auth guard recorded one on the request. */
  keyName?: string;
  /** checkout / admin / viewer, when the auth guard recorded it. */
  role?: string;
}

/** What the auth guard (auth/api-key.guard.ts) leaves on the request; absent on public routes. */
interface AuthenticatedFields {
  apiCaller?: { name?: unknown; role?: unknown };
}

function keyNameOf(request: FastifyRequest): string | undefined {
  const fields = request as unknown as AuthenticatedFields;
  const name = fields.apiCaller?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** Netzme's answer to a callback, in words an alert can use. */
function callbackResult(status: number): string {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'unknown_kind';
  if (status >= 400 && status < 500) return 'invalid';
  // 5xx: we could not store it; Netzme sends it again.
  return 'error';
}

export function accessLogLine(entry: AccessLogEntry): string {
  const who = entry.keyName ? ` key=${entry.keyName}` : entry.role ? ` role=${entry.role}` : '';
  return `${entry.method} ${entry.route} ${entry.status} ${entry.durationMs} ms id=${entry.requestId}${who}`;
}

/**
 * Per request, once it is answered (Fastify's onResponse): the HTTP metrics by route template,
 * method and status, the callback counter for Netzme's notifications, and one access-log line.
 * Registered on the Fastify instance in app.factory.ts, so refused requests (415, 413, 404) count too.
 */
export function registerHttpObservability(fastify: FastifyInstance, metrics: MetricsService, options: { json: boolean }): void {
  const logger = new Logger('Http');
  const requests = metrics.counter('gateway_http_requests_total', 'HTTP requests answered, by method, route template and status', [
    'method',
    'route',
    'status',
  ]);
  const durations = metrics.histogram(
    'gateway_http_request_duration_seconds',
    'Time from receiving an HTTP request to finishing its answer, by method, route template and status',
    ['method', 'route', 'status'],
    REQUEST_BUCKETS_SECONDS,
  );
  const callbacks = metrics.counter(
    'gateway_callbacks_received_total',
    "Netzme notifications received, by kind and the gateway's answer (accepted, unauthorized, invalid, unknown_kind, error)",
    ['kind', 'result'],
  );

  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = request.routeOptions?.url ?? UNMATCHED_ROUTE;
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    const labels = { method: request.method, route, status: String(status) };
    requests.inc(labels);
    durations.observe(labels, seconds);
    if (request.method === 'POST' && route.startsWith(CALLBACK_PREFIX)) {
      const kind = route === `${CALLBACK_PREFIX}:kind` ? 'unknown' : route.slice(CALLBACK_PREFIX.length);
      callbacks.inc({ kind, result: callbackResult(status) });
    }
    const role = (request as unknown as AuthenticatedFields).apiCaller?.role;
    const entry: AccessLogEntry = {
      event: 'http.request',
      method: request.method,
      route,
      status,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      requestId: String(request.id),
      keyName: keyNameOf(request),
      role: typeof role === 'string' ? role : undefined,
    };
    if (entry.keyName === undefined) delete entry.keyName;
    if (entry.role === undefined) delete entry.role;
    try {
      logger.log(options.json ? entry : accessLogLine(entry));
    } catch {
      // A log line never fails a request.
    }
    done();
  });
}
