import type { SandboxCredentials } from '../credentials/credentials';

export type CallbackAuth = 'token' | 'snap';

/**
 * What the invoice payment callback (T15) puts in `originalPartnerReferenceNo`:
 * - `partnerReferenceNo` (default): the merchant's own reference. Evidence: Netzme's official
 *   WooCommerce plugin splits this field on '-' to find its order, and reads top-level `id` and
 *   `merchant`, so production Netzme sends the partner's reference there.
 * - `trxId`: the invoice transaction id, as the doc page's field table reads.
 */
export type InvoiceCallbackReference = 'partnerReferenceNo' | 'trxId';

export interface CallbackRetryPolicy {
  /** Total delivery attempts including the first. */
  attempts: number;
  /** Wait before the 2nd attempt; doubles for each further attempt. */
  backoffMs: number;
}

/** What `startSandbox()` accepts (design agreement; everything optional). */
export interface SandboxOptions {
  /** 0 = random free port. Default 0. */
  port?: number;
  host?: '127.0.0.1' | string;
  /** Default: load-or-generate under dataDir. */
  credentials?: SandboxCredentials;
  dataDir?: string;
  /** Callbacks go to `<callbackBaseUrl>/<kind>`. Unset: callbacks are recorded but not sent. */
  callbackBaseUrl?: string;
  callbackAuth?: CallbackAuth;
  quiet?: boolean;
  /** Access-token lifetime; Netzme's is 15 h. */
  tokenTtlSeconds?: number;
  callbackRetry?: CallbackRetryPolicy;
  /** Per-attempt timeout of a callback POST. Default 10000. */
  callbackTimeoutMs?: number;
  /** Finish withdrawals successfully this long after they are accepted (demos). Default: never. */
  autoCompleteWithdrawalsMs?: number;
  /**
   * Keep the state (merchants and balances, invoices, QRIS payments, transfers, deposit ledger,
   * Netzme users, live tokens) in `<dataDir>/state.json` and load it at start, so a restart
   * forgets nothing. On for `npm start` and `npm run start:sandbox`; off by default (tests).
   */
  persist?: boolean;
  /**
   * Settled records kept per kind (paid or expired invoices, QRIS payments, finished transfers,
   * finished callbacks, deposit and consumer history entries, fault events); older ones are
   * dropped first. Pending invoices and transfers are never dropped. Default 10000.
   */
  retentionMaxSettled?: number;
  /** See InvoiceCallbackReference. Default `partnerReferenceNo`. */
  invoiceCallbackReference?: InvoiceCallbackReference;
}

export interface ResolvedSandboxOptions {
  credentials: SandboxCredentials;
  callbackBaseUrl?: string;
  callbackAuth: CallbackAuth;
  quiet: boolean;
  tokenTtlSeconds: number;
  callbackRetry: CallbackRetryPolicy;
  callbackTimeoutMs: number;
  autoCompleteWithdrawalsMs?: number;
  retentionMaxSettled: number;
  /** Where the state is kept between runs (persist on); undefined: memory only. */
  stateFile?: string;
  invoiceCallbackReference: InvoiceCallbackReference;
}

export const SANDBOX_OPTIONS = Symbol('SANDBOX_OPTIONS');

export const DEFAULT_TOKEN_TTL_SECONDS = 54000;
export const DEFAULT_CALLBACK_RETRY: CallbackRetryPolicy = { attempts: 5, backoffMs: 1000 };
