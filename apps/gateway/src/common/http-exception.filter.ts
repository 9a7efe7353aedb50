import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from './app-error';
import { currentRequestId } from './request-context';

/** The one error shape of the gateway API. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string | string[];
  requestId?: string;
  details?: Record<string, unknown>;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * Catch-all: known errors keep their status and message, anything else becomes a bare 500 with the
 * request id so on-call can find the full, structured log line. No stack or internals ever leave.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    const request = ctx.getRequest<Request>();
    const requestId = currentRequestId() ?? (request as Request & { requestId?: string }).requestId;
    const body = this.toBody(exception, requestId);
    if (body.statusCode >= 500) {
      this.logger.error(`${request.method} ${request.path} failed`, exception instanceof Error ? exception.stack : String(exception));
    }
    if (!response.headersSent) {
      response.status(body.statusCode).json(body);
    }
  }

  private toBody(exception: unknown, requestId: string | undefined): ErrorBody {
    if (exception instanceof AppError) {
      return { statusCode: exception.status, error: HttpStatus[exception.status] ?? 'Error', code: exception.code, message: exception.message, requestId, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const payload = typeof raw === 'string' ? { message: raw } : (raw as Record<string, unknown>);
      const code = typeof payload.code === 'string' ? payload.code : (DEFAULT_CODES[status] ?? `HTTP_${status}`);
      let message = (payload.message as string | string[] | undefined) ?? exception.message;
      // Express' body parser: say what is wrong in words a caller can act on.
      const cause = (exception as { cause?: { type?: string } }).cause;
      if (cause instanceof SyntaxError || cause?.type === 'entity.parse.failed') {
        message = 'The request body is not valid JSON';
      } else if (cause?.type === 'entity.too.large') {
        message = 'The request body is too large';
      }
      return { statusCode: status, error: HttpStatus[status] ?? 'Error', code, message, requestId };
    }
    return { statusCode: 500, error: 'INTERNAL_SERVER_ERROR', code: 'INTERNAL_ERROR', message: 'Internal server error', requestId };
  }
}
