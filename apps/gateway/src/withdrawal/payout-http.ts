import { HttpStatus } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { BadRequestError } from '../common/app-error';

const KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

/** The Idempotency-Key header of a money-moving request: required, 1-255 visible ASCII characters. */
export function requireIdempotencyKey(value: string | string[] | undefined): string {
  const key = Array.isArray(value) ? value[0] : value;
  if (key === undefined || key.trim() === '') {
    throw new BadRequestError(
      'IDEMPOTENCY_KEY_REQUIRED',
      'The Idempotency-Key header is required: send a unique value (e.g. a UUID) per withdrawal, and the same value when you retry it',
    );
  }
  if (!KEY_PATTERN.test(key)) {
    throw new BadRequestError('IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key header must be 1-255 visible ASCII characters without spaces');
  }
  return key;
}

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
