import { AsyncLocalStorage } from 'node:async_hooks';
import type { PhaseTimes } from './server-timing';

/**
 * Per-request context carried across awaits without passing it around: the correlation id, and
 * where the request spent its time (`Server-Timing`, when a route measures it).
 *
 * One store for both on purpose: on Node 20 every AsyncLocalStorage in use runs a hook on every
 * promise the process creates, so a second store is paid for on every await of every request.
 */
export interface RequestContext {
  requestId?: string;
  timing?: PhaseTimes;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
