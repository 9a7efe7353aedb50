import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { NETZME_REPLIES, NetzmeReply } from './callback-kinds';

/** An answer to Netzme in Netzme's own format (never the gateway's error shape). */
export class NetzmeCallbackError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly reply: NetzmeReply,
  ) {
    super(reply.responseMessage);
    this.name = 'NetzmeCallbackError';
  }
}

/** Map anything thrown on a callback route (or by its body parser) to a Netzme-format answer. */
export function netzmeErrorAnswer(exception: unknown): { status: number; body: NetzmeReply } {
  if (exception instanceof NetzmeCallbackError) {
    return { status: exception.httpStatus, body: exception.reply };
  }
  const status = exception instanceof HttpException ? exception.getStatus() : ((exception as { status?: number })?.status ?? (exception as { statusCode?: number })?.statusCode);
  if (status === 413) {
    return { status: 413, body: NETZME_REPLIES.tooLarge };
  }
  if (status === 404) {
    return { status: 404, body: NETZME_REPLIES.notFound };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status: 400, body: NETZME_REPLIES.invalidBody };
  }
  // Our side failed (e.g. the inbox write): non-200 so that Netzme sends it again.
  return { status: 500, body: NETZME_REPLIES.serverError };
}

/**
 * Controller-scoped filter of the Netzme callback routes: Netzme reads `responseCode` /
 * `responseMessage`, so every answer, errors included, is in that format.
 */
@Catch()
@Injectable()
export class NetzmeCallbackExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Callbacks');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<unknown>();
    const answer = netzmeErrorAnswer(exception);
    if (answer.status >= 500) {
      this.logger.error(`callback failed before it was stored; answering ${answer.status} so Netzme retries`, exception instanceof Error ? exception.stack : String(exception));
    }
    const http = this.adapterHost.httpAdapter;
    if (!http.isHeadersSent(response)) {
      http.reply(response, answer.body, answer.status);
    }
  }
}
