/**
 * An answer in Netzme's error format: `{"responseCode": "<http><service><case>", "responseMessage"}`
 * with the HTTP status equal to the first three digits (docs/netzme-protocol.md §2.1).
 *
 * Services throw it with the HTTP status and the case code only; the exception filter fills in the
 * service code of the endpoint that was called, exactly as Netzme's gateway derives it per route.
 */
export class NetzmeError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly caseCode: string,
    message: string,
    /**
     * A few answers carry a fixed code whatever the endpoint, sometimes with an HTTP status that
     * differs from its first digits (token endpoint: HTTP 415 with 4000000).
     */
    readonly fixedResponseCode?: string,
  ) {
    super(message);
    this.name = 'NetzmeError';
  }

  static fixed(this: void, httpStatus: number, responseCode: string, message: string): NetzmeError {
    return new NetzmeError(httpStatus, responseCode.slice(5), message, responseCode);
  }

  responseCode(serviceCode: string): string {
    return this.fixedResponseCode ?? `${this.httpStatus}${serviceCode}${this.caseCode}`;
  }
}

/**
 * A non-SNAP answer Netzme gives in a few places, e.g. HTTP 500 `{"message": "<parse error>"}` when
 * the access-token body is not JSON (docs/netzme-protocol.md §1.5).
 */
export class RawNetzmeAnswer extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.message === 'string' ? body.message : 'raw answer');
  }
}

/** Netzme's recurring errors, named after what went wrong (codes from docs/netzme-protocol.md §1.4 and §2.3). */
export const Errors = {
  missingHeader: (name: string) => new NetzmeError(400, '02', `Missing Mandatory Field ${name}`),
  missingField: (name: string) => new NetzmeError(400, '02', `Missing Mandatory Field ${name}`),
  mandatoryField: (goName: string) => new NetzmeError(400, '02', `Invalid Mandatory Field ${goName}`),
  fieldFormat: (goName: string) => new NetzmeError(400, '01', `Invalid Field Format ${goName}`),
  invalidBody: () => new NetzmeError(400, '00', 'Invalid Request body'),
  bodyRequired: () => new NetzmeError(400, '01', 'body is required'),
  badRequest: (message: string) => new NetzmeError(400, '00', message),
  invalidSignature: () => new NetzmeError(401, '00', 'Unauthorized Signature'),
  invalidPartner: () => new NetzmeError(401, '01', 'Unauthorized. X-PARTNER-ID is Invalid'),
  invalidToken: () => new NetzmeError(401, '01', 'Access Token Invalid'),
  rateLimited: (waitMs: number) => new NetzmeError(403, '04', `Activity Count Limit Exceeded. wait ${waitMs} millisecond.`),
  insufficientFunds: () => new NetzmeError(403, '14', 'Insufficient Funds'),
  accountInactive: () => new NetzmeError(403, '18', 'Account Inactive'),
  notFound: (what = 'Transaction Not Found') => new NetzmeError(404, '01', what),
  invalidMerchant: () => new NetzmeError(404, '08', 'Invalid Merchant'),
  invalidCurrency: () => new NetzmeError(404, '24', 'Invalid Currency.'),
  pinNotFound: () => new NetzmeError(404, '25', 'Existing Pin not found.'),
  duplicateReference: () => new NetzmeError(409, '01', 'Duplicate partnerReferenceNo'),
  internal: () => new NetzmeError(500, '00', 'Internal Server Error'),
};
