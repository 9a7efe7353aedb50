import type { NetzmeError } from '@app/netzme-client';

/** What went wrong with a Netzme call, reduced to what the payout rules need. */
export interface PayoutFailure {
  /** 'definite': Netzme did not act on it. 'unknown': it may have (timeout, reset, 5xx, our own bug). */
  outcome: 'definite' | 'unknown';
  category: string;
  responseCode?: string;
  message: string;
  /** Netzme's referenceNo, when an error answer carried one (e.g. a duplicate-reference answer). */
  referenceNo?: string;
}

function isNetzmeErrorLike(err: unknown): err is NetzmeError {
  return typeof err === 'object' && err !== null && 'outcome' in err && 'category' in err && (err as { name?: string }).name === 'NetzmeError';
}

/**
 * Anything that is not a NetzmeError (a bug, a driver error) counts as an unknown outcome: the
 * safe reading for a money-moving call is "it may have happened".
 */
export function describeFailure(err: unknown): PayoutFailure {
  if (isNetzmeErrorLike(err)) {
    const response = err.response as { referenceNo?: unknown } | undefined;
    return {
      outcome: err.outcome,
      category: err.category,
      responseCode: err.responseCode,
      message: err.responseMessage ? `${err.responseMessage}${err.responseCode ? ` (${err.responseCode})` : ''}` : err.message,
      referenceNo: typeof response?.referenceNo === 'string' && response.referenceNo ? response.referenceNo : undefined,
    };
  }
  return { outcome: 'unknown', category: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
