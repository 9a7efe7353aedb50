import type { NetzmeEndpointName, NoNumbers } from '@app/snap';
import type { ReadOptions } from '../params';
import { newReference } from './request-fields';

/**
 * One request ready to be signed and sent: the endpoint of the table, its body (checked and
 * converted, strings only), the values of this call that must never be logged, and the query of a
 * GET. The per-family builders (account-, invoice-, withdrawal-, consumer-calls) make these; the
 * client hands them to the family's transport.
 */
export interface PreparedCall {
  endpoint: NetzmeEndpointName;
  body: unknown;
  secrets: string[];
  query?: Record<string, string>;
}

/** Type-level guard: a request body type with a `number` anywhere does not compile here. */
export function prepared<B>(endpoint: NetzmeEndpointName, body: B & NoNumbers<B>, secrets: string[] = [], query?: Record<string, string>): PreparedCall {
  return { endpoint, body, secrets, query };
}

/** What the body builders need from the client: the merchant it acts for and its clock. */
export interface CallContext {
  readonly merchantId: string;
  /** The Toko client id (PIN hashes and derived GUIDs are keyed by it). */
  readonly clientId: string;
  readonly now: () => number;
}

/** A read call's partnerReferenceNo: the caller's, or a fresh one. */
export function readReference(ctx: CallContext, options: ReadOptions): string {
  return options.partnerReferenceNo ?? newReference(ctx.now());
}

/** The body of T4 Forgot pin and T8 Withdraw Inquiry: the merchant, a read reference, the `type` Netzme requires. */
export function merchantTypedBody<T extends string>(
  ctx: CallContext,
  options: ReadOptions,
  type: T,
): { custIdMerchant: string; partnerReferenceNo: string; additionalInfo: { type: T } } {
  return { custIdMerchant: ctx.merchantId, partnerReferenceNo: readReference(ctx, options), additionalInfo: { type } };
}
