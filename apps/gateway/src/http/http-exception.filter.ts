import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../database/database-errors';
import { AppError } from './app-error';
import { ErrorFormats, type FormattedError } from './error-formats';
import { currentRequestId } from '../observability/request-context';
import { HttpErrorCode } from './http-error-codes';

/** The one error shape of the gateway API. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string | string[];
  requestId?: string;
  details?: Record<string, unknown>;
}

const DEFAULT_CODES: Record<number, HttpErrorCode> = {
  400: HttpErrorCode.BAD_REQUEST,
  401: HttpErrorCode.UNAUTHORIZED,
  403: HttpErrorCode.FORBIDDEN,
  404: HttpErrorCode.NOT_FOUND,
  405: HttpErrorCode.METHOD_NOT_ALLOWED,
  409: HttpErrorCode.CONFLICT,
  413: HttpErrorCode.PAYLOAD_TOO_LARGE,
  415: HttpErrorCode.UNSUPPORTED_MEDIA_TYPE,
  422: HttpErrorCode.UNPROCESSABLE_ENTITY,
  429: HttpErrorCode.TOO_MANY_REQUESTS,
  500: HttpErrorCode.INTERNAL_ERROR,
  503: HttpErrorCode.SERVICE_UNAVAILABLE,
};

/** What Fastify's body parsing errors mean, in words a caller can act on. */
const BODY_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send the request body as JSON with "Content-Type: application/json"',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the request body',
};

/**
 * Catch-all: known errors keep their status and message, anything else becomes a bare 500 with the
 * request id so on-call can find the full, structured log line. No stack or internals ever leave.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly formats: ErrorFormats,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<unknown>();
    const request = ctx.getRequest<FastifyRequest>();
    const http = this.adapterHost.httpAdapter;
    if (http.isHeadersSent(response)) {
      return;
    }
    // A path whose caller expects another shape (Netzme's callbacks) has its own format.
    const owned = this.formats.forUrl(request.url);
    const answer = owned ? owned(exception) : this.toAnswer(exception, currentRequestId() ?? request.id);
    if (answer.status === 503) {
      // Every 503 (database down, health) is temporary: say when to come back.
      http.setHeader(response, 'Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    }
    if (answer.status >= 500) {
      const path = request.url.split('?', 1)[0];
      if (isDatabaseUnavailable(exception)) {
        // Expected during an outage: one line per request, no stack.
        this.logger.warn(`${request.method} ${path}: database unavailable (${exception instanceof Error ? exception.message : String(exception)})`);
      } else {
        this.logger.error(`${request.method} ${path} failed`, exception instanceof Error ? exception.stack : String(exception));
      }
    }
    http.reply(response, answer.body, answer.status);
  }

  private toAnswer(exception: unknown, requestId: string | undefined): FormattedError {
    const body = this.toBody(exception, requestId);
    return { status: body.statusCode, body };
  }

  private toBody(exception: unknown, requestId: string | undefined): ErrorBody {
    if (exception instanceof AppError) {
      return {
        statusCode: exception.status,
        error: HttpStatus[exception.status] ?? 'Error',
        code: exception.code,
        message: exception.message,
        requestId,
        details: exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const payload = typeof raw === 'string' ? { message: raw } : (raw as Record<string, unknown>);
      const code = typeof payload.code === 'string' ? payload.code : (DEFAULT_CODES[status] ?? `HTTP_${status}`);
      let message = (payload.message as string | string[] | undefined) ?? exception.message;
      // Fastify's body parsing: say what is wrong in words a caller can act on.
      const cause = (exception as { cause?: { code?: string } }).cause;
      if (cause instanceof SyntaxError) {
        message = BODY_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY;
      } else if (cause?.code && BODY_ERRORS[cause.code]) {
        message = BODY_ERRORS[cause.code];
      }
      return { statusCode: status, error: HttpStatus[status] ?? 'Error', code, message, requestId };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        statusCode: 503,
        error: 'SERVICE_UNAVAILABLE',
        code: HttpErrorCode.DATABASE_UNAVAILABLE,
        message: `The database is not available right now. Send the same request again in ${DATABASE_RETRY_AFTER_SECONDS} seconds (see Retry-After): repeats are safe, an order or withdrawal is never created twice.`,
        requestId,
      };
    }
    return { statusCode: 500, error: 'INTERNAL_SERVER_ERROR', code: HttpErrorCode.INTERNAL_ERROR, message: 'Internal server error', requestId };
  }
}
