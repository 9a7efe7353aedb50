import type { WireBody } from './wire-body';

/** What the sandbox knows about an authenticated Netzme call, attached to the request. */
export interface NetzmeContext {
  /** Two-digit service code of the endpoint (docs/netzme-protocol.md §2.2), used to build every responseCode. */
  serviceCode: string;
  /** Client id from X-PARTNER-ID (transactional calls) or X-CLIENT-KEY (token call). */
  clientId?: string;
  /** The parsed body, read the way Netzme's Go binding reads it. */
  body?: WireBody;
}
