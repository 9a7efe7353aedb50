import type { NetzmeEndpointSpec, NetzmeFamily } from '@app/snap';
import type { NetzmeError } from './errors';
import { REDACTED, type NetzmeCallLog, type NetzmeLogger, type Redactor } from './logger';

/** How one call ended, for its log line. */
export interface CallEnd {
  attempts: number;
  tokenRefreshed?: boolean;
  externalId?: string;
  partnerReferenceNo?: string;
  /** The answer's body (its responseCode, responseMessage and referenceNo are logged, scrubbed). */
  body?: unknown;
  error?: NetzmeError;
  httpStatus?: number;
}

/**
 * The one `netzme.call` log line of a call, whatever its number of attempts: started when the call
 * starts, collecting each attempt's result, written once at the end (info on success, warn on error).
 */
export class CallTrace {
  /** One entry per attempt: the response code, network code or category it ended with. */
  readonly attemptResults: string[] = [];
  private readonly started = performance.now();

  constructor(
    private readonly logger: NetzmeLogger,
    private readonly redactor: Redactor,
    private readonly caller: { family: NetzmeFamily; clientId: string },
    private readonly spec: NetzmeEndpointSpec,
    private readonly path: string,
  ) {}

  finish(end: CallEnd): void {
    const { error } = end;
    const record = end.body !== null && typeof end.body === 'object' ? (end.body as Record<string, unknown>) : undefined;
    const scrub = (v: unknown): string | undefined => (typeof v === 'string' ? this.redactor.scrub(v) : undefined);
    const entry: NetzmeCallLog = {
      event: 'netzme.call',
      family: this.caller.family,
      endpoint: this.spec.name,
      method: this.spec.method,
      path: scrub(this.path) ?? REDACTED,
      outcome: error ? error.outcome : 'success',
      httpStatus: error ? error.httpStatus : end.httpStatus,
      responseCode: error ? error.responseCode : scrub(record?.responseCode),
      responseMessage: error ? error.responseMessage : scrub(record?.responseMessage),
      category: error?.category,
      durationMs: Math.round((performance.now() - this.started) * 10) / 10,
      attempts: end.attempts,
      attemptResults: this.attemptResults,
      tokenRefreshed: end.tokenRefreshed || undefined,
      externalId: end.externalId,
      partnerReferenceNo: scrub(end.partnerReferenceNo),
      referenceNo: scrub(record?.referenceNo),
      clientId: this.caller.clientId,
    };
    try {
      if (error) {
        this.logger.warn(entry);
      } else {
        this.logger.info(entry);
      }
    } catch {
      // A broken logger must never turn a completed payment call into a failure.
    }
  }
}
