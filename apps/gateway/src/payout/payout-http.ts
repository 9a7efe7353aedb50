import { HttpStatus } from '@nestjs/common';
import { createHash } from 'node:crypto';

/** The bits of the (Fastify) request and reply the payout controllers use. */
export interface HttpRequest {
  headers: { authorization?: string };
}
export interface HttpResponse {
  status(code: number): unknown;
}

/** Who called, for the audit trail: the API key's short digest (never the key itself). */
export function callerOf(request: HttpRequest): string {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match ? `api-key:${createHash('sha256').update(match[1]).digest('hex').slice(0, 12)}` : 'unknown';
}

/** 201 created (PROCESSING, or FAILED when refused), 202 outcome not known yet, 200 a replay. */
export function withdrawalStatusCode(created: boolean, status: string): number {
  if (!created) return HttpStatus.OK;
  return status === 'UNKNOWN' || status === 'PENDING_SUBMIT' ? HttpStatus.ACCEPTED : HttpStatus.CREATED;
}
