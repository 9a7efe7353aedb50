/**
 * Every vSNAP endpoint in one table, shared by the client (what to call) and the sandbox (what to
 * serve). Paths are given for the default version; `{version}` pages also exist as v2.0
 * (docs/netzme-protocol.md §1.2). `inferred` says which part of an endpoint is a guess, so it is easy to find
 * and correct when the real page turns up.
 */

export type NetzmeFamily = 'toko' | 'consumer';

export interface NetzmeEndpointSpec {
  /** Stable name used in logs, fault targets and the client. */
  readonly name: string;
  readonly family: NetzmeFamily;
  readonly method: 'POST' | 'GET';
  /** Path template from the host root; `{version}` is replaced (default in `defaultVersion`). */
  readonly pathTemplate: string;
  readonly defaultVersion: string;
  /** Versions the docs or Netzme's tools show for this path. */
  readonly versions: readonly string[];
  /** Two-digit service code of the responseCode (docs/netzme-protocol.md §2.2). */
  readonly serviceCode: string;
  /**
   * `read`: no side effect, safe to retry. `write`: creates or moves something (money, PIN,
   * reset mails) and is never retried automatically on an unknown outcome.
   */
  readonly effect: 'read' | 'write';
  /** Moves or creates money (the calls whose duplicates cost money). */
  readonly moneyMoving: boolean;
  /** Set when the path, body or response of this page is a guess (docs/netzme-protocol.md section noted). */
  readonly inferred?: string;
}

/** The defaults of a family's endpoints: POST, version v1.0, not money-moving unless `extra` says so. */
function endpointOf(family: NetzmeFamily, versions: readonly string[]) {
  return (name: string, pathTemplate: string, serviceCode: string, effect: 'read' | 'write', extra: Partial<NetzmeEndpointSpec> = {}): NetzmeEndpointSpec => ({
    name,
    family,
    method: 'POST',
    pathTemplate,
    defaultVersion: 'v1.0',
    versions,
    serviceCode,
    effect,
    moneyMoving: false,
    ...extra,
  });
}

/** Toko pages exist as v1.0 and v2.0 (docs/netzme-protocol.md §1.2). */
const toko = endpointOf('toko', ['v1.0', 'v2.0']);
const consumer = endpointOf('consumer', ['v1.0']);

export const NETZME_ENDPOINTS = {
  // ---- both families -------------------------------------------------------------------------
  /** T2 / N3. The only path with `v1`/`v2` (no ".0"). */
  accessToken: toko('accessToken', '/api/{version}/access-token/b2b', '73', 'read', { defaultVersion: 'v1', versions: ['v1', 'v2'] }),

  // ---- Toko Netzme (merchant side) ------------------------------------------------------------
  /** T3 */
  createPin: toko('createPin', '/api/{version}/merchant/create-pin', '00', 'write'),
  /** T4 — triggers an out-of-band reset; rate limited (4030004), so never auto-retried. */
  forgotPin: toko('forgotPin', '/api/{version}/merchant/forgot-pin', '00', 'write'),
  /** T5 */
  balanceDetail: toko('balanceDetail', '/api/{version}/payment/balance-inquiry', '11', 'read'),
  /** T6 — docs: `/api-qris/v2.0/…` only; Netzme's QA tool calls `/api/v1.0/transaction/history-list`. */
  transactionList: toko('transactionList', '/api-qris/{version}/transaction/history-list', '12', 'read', {
    defaultVersion: 'v2.0',
    inferred: 'T6: response code 2001200 and item status values inferred; v1.0 under /api-qris unconfirmed',
  }),
  /** T7 */
  merchantDetail: toko('merchantDetail', '/api/{version}/registration-account-inquiry', '08', 'read'),
  /** T8 */
  withdrawInquiry: toko('withdrawInquiry', '/api/{version}/emoney/bank-account-inquiry', '42', 'read'),
  /** T27 */
  withdrawProcess: toko('withdrawProcess', '/api/{version}/emoney/transfer-bank', '43', 'write', {
    moneyMoving: true,
    inferred: 'T27: response body inferred (SNAP transfer-bank)',
  }),
  /** T9 */
  withdrawInformation: toko('withdrawInformation', '/api/{version}/debit/status', '55', 'read', {
    inferred: 'T9: response body and service code 55 inferred',
  }),
  /** T10 */
  qrisAcquireTransaction: toko('qrisAcquireTransaction', '/api-qris/{version}/transaction-history-detail', '13', 'read'),
  /** T11 */
  createInvoice: toko('createInvoice', '/api/{version}/invoice/create', '00', 'write', { moneyMoving: true }),
  /** T12 and T21 (deposit top-up uses the same path). */
  createInvoiceTransaction: toko('createInvoiceTransaction', '/api/{version}/invoice/create-transaction', '47', 'write', { moneyMoving: true }),
  /** T13 — INFERRED ONLY: the page exists in Netzme's menu but not in any source. */
  createInvoiceQrMpm: toko('createInvoiceQrMpm', '/api/{version}/qr/qr-mpm-generate', '47', 'write', {
    moneyMoving: true,
    inferred: 'T13: path, request and response all inferred from SNAP qr-mpm-generate',
  }),
  /** T14 — docs: v2.0; working clients use v1.0. */
  invoiceTransaction: toko('invoiceTransaction', '/api-invoice/{version}/transaction-history-detail', '13', 'read', {
    inferred: 'T14: service code 13 and not-found code 4041301 inferred',
  }),
  /** T20 */
  deductDepositSplitFee: toko('deductDepositSplitFee', '/api/{version}/merchant/payment-notif', '00', 'write', { moneyMoving: true }),
  /** T22 */
  depositWithdrawInquiry: toko('depositWithdrawInquiry', '/api/{version}/emoney/bank-account-inquiry/deposit', '42', 'read'),
  /** T23 */
  depositWithdraw: toko('depositWithdraw', '/api/{version}/emoney/transfer-bank/deposit', '43', 'write', {
    moneyMoving: true,
    inferred: 'T23: response body inferred as T27',
  }),
  /** T24 */
  depositWithdrawInformation: toko('depositWithdrawInformation', '/api/{version}/debit/status-deposit', '55', 'read', {
    inferred: 'T24: response body and service code inferred as T9',
  }),
  /** T25 */
  depositTransactions: toko('depositTransactions', '/api/{version}/deposit/transaction-history-list', '12', 'read', {
    inferred: 'T25: response body inferred as T6',
  }),
  /** T26 — the docs print service code 13 here (Netzme's gateway map says 11). */
  depositBalance: toko('depositBalance', '/api/{version}/deposit/balance-inquiry', '13', 'read'),

  // ---- Netzme (consumer side) -----------------------------------------------------------------
  /** N4 */
  accountStatus: consumer('accountStatus', '/api/{version}/account/registration-account-inquiry', '08', 'read'),
  /** N5 */
  consumerBalance: consumer('consumerBalance', '/api/{version}/payment/balance-inquiry', '11', 'read'),
  /** N6 — the doc says GET with a JSON body; Netzme's QA tool sends POST (used here). */
  consumerHistory: consumer('consumerHistory', '/api/{version}/transaction/history-list', '12', 'read', {
    inferred: 'N6: POST instead of the documented GET',
  }),
  /** N7 — GET with `?custId=`; the query string is part of the signed path. */
  fixedTopupVa: consumer('fixedTopupVa', '/api/{version}/payment/fixed-va', '00', 'read', {
    method: 'GET',
    inferred: 'N7: response body and service code inferred',
  }),
  /** N8–N11 (all four Get Detail Qris pages share this path). */
  qrisDetail: consumer('qrisDetail', '/api/{version}/payment/qr', '47', 'read', { inferred: 'N8-N11: service code inferred' }),
  /** N12 — INFERRED ONLY. */
  qrisPayment: consumer('qrisPayment', '/api/{version}/qr/qr-mpm-payment', '60', 'write', {
    moneyMoving: true,
    inferred: 'N12: path, request and response all inferred from SNAP qr-mpm-payment',
  }),
  /** N18 — INFERRED ONLY (may turn out to be a webview like N14). */
  upgradeAccount: consumer('upgradeAccount', '/api/{version}/account/upgrade', '00', 'write', {
    inferred: 'N18: path, request and response all inferred',
  }),
} as const satisfies Record<string, NetzmeEndpointSpec>;

export type NetzmeEndpointName = keyof typeof NETZME_ENDPOINTS;

/** Path of an endpoint for a version (default: the endpoint's default version). */
export function endpointPath(spec: NetzmeEndpointSpec, version: string = spec.defaultVersion): string {
  return spec.pathTemplate.replace('{version}', version);
}

/** Every concrete path an endpoint can be called on (for a server: register all of them). */
export function endpointPaths(spec: NetzmeEndpointSpec): string[] {
  return spec.versions.map((v) => endpointPath(spec, v));
}

/** Header carrying the callback token on every v1 callback (docs/netzme-protocol.md §1.9). */
export const CALLBACK_TOKEN_HEADER = 'x-callback-token';

/** Default CHANNEL-ID (the value in Netzme's docs). */
export const DEFAULT_CHANNEL_ID = '95221';
