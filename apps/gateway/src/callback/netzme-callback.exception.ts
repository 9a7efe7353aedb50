import { HttpException } from '@nestjs/common';
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

/**
 * Map anything thrown on a callback route (or by the body parser before it) to a Netzme-format
 * answer. Registered with ErrorFormats for /callbacks/netzme, so the gateway-wide filter uses it.
 */
export function netzmeErrorAnswer(exception: unknown): { status: number; body: NetzmeReply } {
  if (exception instanceof NetzmeCallbackError) {
    return { status: exception.httpStatus, body: exception.reply };
  }
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : ((exception as { status?: number })?.status ?? (exception as { statusCode?: number })?.statusCode);
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
