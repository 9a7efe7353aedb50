import { HttpStatus } from '@nestjs/common';
import { isNetzmeError } from '@app/netzme-client';
import { AppError } from '../http/app-error';
import { PayoutErrorCode } from './payout-errors';
import { UnreadableNetzmeAnswerError } from './payout-wire';

/**
 * A failed Netzme call on a request path, as an API error: Netzme's refusals are 422 with its own
 * message and code (the caller can act on them), Netzme being down or slow is 502/504, our own
 * credentials being refused is 502 (an operator problem, not the caller's). Never a bare 500.
 */
export function netzmeHttpError(err: unknown, what: string): unknown {
  if (err instanceof UnreadableNetzmeAnswerError) {
    return new AppError(HttpStatus.BAD_GATEWAY, PayoutErrorCode.NETZME_BAD_ANSWER, `${what}: ${err.message}`);
  }
  if (!isNetzmeError(err)) {
    return err;
  }
  const netzme = err.responseCode ? `${err.responseMessage ?? err.message} (${err.responseCode})` : err.message;
  const details = { netzmeResponseCode: err.responseCode ?? null, netzmeCategory: err.category };
  switch (err.category) {
    case 'TIMEOUT':
      return new AppError(HttpStatus.GATEWAY_TIMEOUT, PayoutErrorCode.NETZME_TIMEOUT, `${what}: Netzme did not answer in time`, details);
    case 'SERVER_ERROR':
    case 'NETWORK':
    case 'INVALID_RESPONSE':
    case 'IN_PROGRESS':
      return new AppError(HttpStatus.BAD_GATEWAY, PayoutErrorCode.NETZME_UNAVAILABLE, `${what}: Netzme is not available right now (${netzme})`, details);
    case 'UNAUTHORIZED':
    case 'INVALID_TOKEN':
      return new AppError(
        HttpStatus.BAD_GATEWAY,
        PayoutErrorCode.NETZME_AUTH_FAILED,
        `${what}: Netzme refused the gateway's credentials; check the NETZME_* settings`,
        details,
      );
    case 'RATE_LIMITED':
      return new AppError(HttpStatus.TOO_MANY_REQUESTS, PayoutErrorCode.NETZME_RATE_LIMITED, `${what}: ${netzme}`, details);
    default:
      return new AppError(HttpStatus.UNPROCESSABLE_ENTITY, PayoutErrorCode.NETZME_REJECTED, `${what}: Netzme refused it: ${netzme}`, details);
  }
}
