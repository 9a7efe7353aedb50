import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request context (the correlation id) carried across awaits without passing it around. */
export interface RequestContext {
  requestId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
