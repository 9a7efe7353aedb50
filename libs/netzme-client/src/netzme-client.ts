import {
  ADDITIONAL_INFO_TYPES,
  NETZME_ENDPOINTS,
  type AccountStatusResponse,
  type BalanceDetailResponse,
  type ConsumerBalanceResponse,
  type ConsumerHistoryResponse,
  type CreateInvoiceQrMpmResponse,
  type CreateInvoiceResponse,
  type CreateInvoiceTransactionResponse,
  type CreatePinResponse,
  type DeductDepositSplitFeeResponse,
  type DepositBalanceResponse,
  type DepositTransactionsResponse,
  type DepositWithdrawInformationResponse,
  type DepositWithdrawInquiryResponse,
  type DepositWithdrawResponse,
  type FixedTopupVaResponse,
  type ForgotPinResponse,
  type InvoiceTransactionResponse,
  type MerchantDetailResponse,
  type NetzmeEndpointName,
  type NetzmeEndpointSpec,
  type QrisAcquireTransactionResponse,
  type QrisDetailResponse,
  type QrisPaymentResponse,
  type TransactionListResponse,
  type UpgradeAccountResponse,
  type WithdrawInformationResponse,
  type WithdrawInquiryResponse,
  type WithdrawProcessResponse,
} from '@app/snap';
import * as account from './calls/account-calls';
import * as consumer from './calls/consumer-calls';
import * as invoice from './calls/invoice-calls';
import { prepared, type CallContext, type PreparedCall } from './calls/prepared-call';
import { invalidRequest } from './calls/request-fields';
import * as withdrawal from './calls/withdrawal-calls';
import { createFamilies, type ConsumerSide } from './client-setup';
import { Redactor } from './logger';
import type { NetzmeClientOptions } from './options';
import type {
  CallOptions,
  ConsumerHistoryParams,
  CreateInvoiceParams,
  CreateInvoiceQrMpmParams,
  CreateInvoiceTransactionParams,
  CreateTopupDepositTransactionParams,
  DeductDepositSplitFeeParams,
  DepositWithdrawParams,
  PaymentUrlParams,
  PayQrisParams,
  QrisDetailParams,
  ReadOptions,
  TransactionListParams,
  UpgradeAccountParams,
  WithdrawParams,
} from './params';
import { resolvePath } from './request-bytes';
import type { FamilyTransport } from './transport';

/**
 * Typed client of Netzme's vSNAP API (Toko Netzme merchant side, and optionally the Netzme
 * consumer side). Every method signs exactly the bytes it sends, obtains and shares the access
 * token, and either returns the parsed success body or throws a NetzmeError that says whether the
 * outcome is definite or unknown. Money-moving methods are never retried automatically.
 *
 * Each method's body is built and checked by its family's builder in `calls/` (account, invoice,
 * withdrawal, consumer); this class holds the configuration and sends what they prepare.
 */
export class NetzmeClient {
  readonly merchantId: string;
  readonly clientId: string;
  readonly #toko: FamilyTransport;
  readonly #consumer: ConsumerSide | null;
  // ES-private (#): util.inspect and JSON never show these, and they hold the credentials.
  readonly #redactor = new Redactor();
  readonly #context: CallContext;
  private readonly apiVersion?: string;
  private readonly pathOverrides: NetzmeClientOptions['pathOverrides'];

  constructor(options: NetzmeClientOptions) {
    const families = createFamilies(options, this.#redactor);
    this.#toko = families.toko;
    this.#consumer = families.consumer;
    this.merchantId = options.merchantId;
    this.clientId = options.clientId;
    this.apiVersion = options.apiVersion;
    this.pathOverrides = options.pathOverrides;
    this.#context = { merchantId: this.merchantId, clientId: this.clientId, now: options.now ?? Date.now };
  }

  /** How many token requests each family has made (tests and the benchmark assert on it). */
  diagnostics(): { tokenFetches: { toko: number; consumer: number } } {
    return { tokenFetches: { toko: this.#toko.tokens.fetchCount, consumer: this.#consumer?.transport.tokens.fetchCount ?? 0 } };
  }

  /** A valid Toko access token (fetched or cached). Mostly for diagnostics; calls do this themselves. */
  async getAccessToken(): Promise<string> {
    return this.#toko.tokens.getToken();
  }

  // =============================================================================================
  // Toko Netzme — merchant (calls/account-calls.ts, calls/withdrawal-calls.ts, calls/invoice-calls.ts)
  // =============================================================================================

  /** T3 Create pin: set the merchant's withdraw PIN (clear PIN in, hashed inside). */
  async createPin(pin: string, options: ReadOptions = {}): Promise<CreatePinResponse> {
    return this.send(account.createPinCall(this.#context, pin, options), options);
  }

  /** T4 Forgot pin: starts Netzme's PIN-reset flow. Never retried (Netzme rate-limits it, 4030004). */
  async forgotPin(options: ReadOptions = {}): Promise<ForgotPinResponse> {
    return this.send(account.forgotPinCall(this.#context, options), options);
  }

  /** T5 Get Balance Detail: `totalBalance` and (withdrawable) `settledBalance`. */
  async getBalanceDetail(options: ReadOptions = {}): Promise<BalanceDetailResponse> {
    return this.send(account.balanceCall('balanceDetail', this.#context, options), options);
  }

  /**
   * T6 Get Transaction List (QRIS transactions of the merchant). Docs: `/api-qris/v2.0/…`.
   * INFERRED: response code 2001200 and the item status vocabulary.
   */
  async getTransactionList(params: TransactionListParams, options: ReadOptions = {}): Promise<TransactionListResponse> {
    return this.send(account.transactionListCall('transactionList', this.#context, params, options), options);
  }

  /** T7 Get Merchant Detail: look a merchant up by phone number (returns custIdMerchant and static QRIS). */
  async getMerchantDetail(params: { phoneNo: string }, options: ReadOptions = {}): Promise<MerchantDetailResponse> {
    return this.send(account.merchantDetailCall(this.#context, params, options), options);
  }

  /** T8 Withdraw Inquiry: payout bank account, withdrawable amount, whether withdrawing is allowed now. */
  async withdrawInquiry(options: ReadOptions = {}): Promise<WithdrawInquiryResponse> {
    return this.send(withdrawal.withdrawInquiryCall(this.#context, options), options);
  }

  /**
   * T27 Withdraw Process: merchant balance -> registered bank account. MONEY-MOVING: never retried;
   * on an unknown outcome ask getWithdrawInformation or re-send with the same partnerReferenceNo
   * (and `options.externalId` of the failed call) — a 409xx01 then means the first one was accepted.
   * INFERRED: the response body (SNAP transfer-bank, 2004300); completion arrives asynchronously.
   */
  async withdrawProcess(params: WithdrawParams, options: CallOptions = {}): Promise<WithdrawProcessResponse> {
    return this.send(withdrawal.withdrawProcessCall(this.#context, params), options);
  }

  /** T9 Get Information Withdraw, by the withdraw's Netzme `referenceNo`. INFERRED: response body. */
  async getWithdrawInformation(params: { referenceNo: string }, options: ReadOptions = {}): Promise<WithdrawInformationResponse> {
    return this.send(withdrawal.withdrawInformationCall('withdrawInformation', this.#context, params, options), options);
  }

  /** T10 Get QRIS Acquire Transaction: a QRIS payment received by the merchant, by RRN. */
  async getQrisAcquireTransaction(params: { rrn: string }, options: ReadOptions = {}): Promise<QrisAcquireTransactionResponse> {
    return this.send(account.qrisAcquireTransactionCall(this.#context, params, options), options);
  }

  /** T11 Create Invoice (payment page not yet bound to a method). MONEY-MOVING: never retried. */
  async createInvoice(params: CreateInvoiceParams, options: CallOptions = {}): Promise<CreateInvoiceResponse> {
    return this.send(invoice.createInvoiceCall(this.#context, params), options);
  }

  /**
   * T12 Create Invoice Transaction: the checkout call (QRIS returns `qrImage`; keep
   * `additionalInfo.trxId` for getInvoiceTransaction). MONEY-MOVING: never retried.
   */
  async createInvoiceTransaction(params: CreateInvoiceTransactionParams, options: CallOptions = {}): Promise<CreateInvoiceTransactionResponse> {
    return this.send(invoice.createInvoiceTransactionCall(this.#context, params), options);
  }

  /** T21 Create Invoice Transaction Topup Deposit: as T12 with `additionalInfo.apiSource = topup_deposit`. */
  async createTopupDepositTransaction(params: CreateTopupDepositTransactionParams, options: CallOptions = {}): Promise<CreateInvoiceTransactionResponse> {
    return this.send(invoice.createTopupDepositTransactionCall(this.#context, params), options);
  }

  /**
   * T13 Create Invoice QR MPM — INFERRED ONLY (no Netzme source shows this page): modelled on SNAP
   * `qr-mpm-generate` (path `/api/{version}/qr/qr-mpm-generate`, 2004700, `qrContent`). Correct the
   * path with `pathOverrides.createInvoiceQrMpm` and the body here when the real page turns up.
   */
  async createInvoiceQrMpm(params: CreateInvoiceQrMpmParams, options: CallOptions = {}): Promise<CreateInvoiceQrMpmResponse> {
    return this.send(invoice.createInvoiceQrMpmCall(this.#context, params), options);
  }

  /**
   * T14 Get Invoice Transaction, by the `trxId` from Create Invoice Transaction (what working
   * clients send; the doc example is ambiguous). `status`: INIT -> SUCCESS | CLOSED.
   */
  async getInvoiceTransaction(trxId: string, options: ReadOptions = {}): Promise<InvoiceTransactionResponse> {
    return this.send(invoice.invoiceTransactionCall(this.#context, trxId, options), options);
  }

  /**
   * T20 Deduct Deposit and Split Fee: report a sale collected outside Netzme; the fee is taken from
   * the deposit (4030014 Insufficient Funds when too low). MONEY-MOVING: never retried.
   */
  async deductDepositSplitFee(params: DeductDepositSplitFeeParams, options: CallOptions = {}): Promise<DeductDepositSplitFeeResponse> {
    return this.send(invoice.deductDepositSplitFeeCall(this.#context, params), options);
  }

  // ---- Deposit --------------------------------------------------------------------------------

  /** T26 Get Balance Deposit (note: `accountInfo[].amount`, service code 13 in the docs). */
  async getDepositBalance(options: ReadOptions = {}): Promise<DepositBalanceResponse> {
    return this.send(account.balanceCall('depositBalance', this.#context, options), options);
  }

  /** T25 Get Deposit Transaction. INFERRED: response body (as T6). */
  async getDepositTransactions(params: TransactionListParams, options: ReadOptions = {}): Promise<DepositTransactionsResponse> {
    return this.send(account.transactionListCall('depositTransactions', this.#context, params, options), options);
  }

  /** T22 Inquiry Withdraw Deposit: same answer shape as withdrawInquiry. */
  async depositWithdrawInquiry(options: ReadOptions = {}): Promise<DepositWithdrawInquiryResponse> {
    return this.send(withdrawal.depositWithdrawInquiryCall(this.#context, options), options);
  }

  /** T23 Withdraw Deposit. MONEY-MOVING: never retried. INFERRED: response body (as T27). */
  async depositWithdraw(params: DepositWithdrawParams, options: CallOptions = {}): Promise<DepositWithdrawResponse> {
    return this.send(withdrawal.depositWithdrawCall(this.#context, params), options);
  }

  /** T24 Get Information Withdraw Deposit. INFERRED: response body (as T9). */
  async getDepositWithdrawInformation(params: { referenceNo: string }, options: ReadOptions = {}): Promise<DepositWithdrawInformationResponse> {
    return this.send(withdrawal.withdrawInformationCall('depositWithdrawInformation', this.#context, params, options), options);
  }

  // =============================================================================================
  // Netzme consumer side (requires `options.consumer`; calls/consumer-calls.ts)
  // =============================================================================================

  /** N4 Get Account Status of a Netzme user (`userStatus`, upgrade `status`). */
  async getAccountStatus(custId: string, options: ReadOptions = {}): Promise<AccountStatusResponse> {
    return this.send(consumer.accountStatusCall(this.#context, custId, options), options);
  }

  /** N5 Get Balance of a Netzme user (`accountInfos`: Cash, Points). */
  async getConsumerBalance(custId: string, options: ReadOptions = {}): Promise<ConsumerBalanceResponse> {
    return this.send(consumer.consumerBalanceCall(this.#context, custId, options), options);
  }

  /**
   * N6 Get History. INFERRED: sent as POST (the doc says GET with a body); `pageSize`/`seqId` go
   * out as strings although the doc shows numbers (numbers break the signature, docs/netzme-protocol.md 1.7).
   */
  async getConsumerHistory(params: ConsumerHistoryParams, options: ReadOptions = {}): Promise<ConsumerHistoryResponse> {
    return this.send(consumer.consumerHistoryCall(this.#context, params, options), options);
  }

  /** N7 Get Fixed Topup VA: `GET …/payment/fixed-va?custId=` (query signed, empty-body hash). INFERRED: response. */
  async getFixedTopupVa(custId: string, options: CallOptions = {}): Promise<FixedTopupVaResponse> {
    return this.send(consumer.fixedTopupVaCall(custId), options);
  }

  /** N8–N11 Get Detail Qris (static, static with amount/fee, dynamic, dynamic with fee). */
  async getQrisDetail(params: QrisDetailParams, options: ReadOptions = {}): Promise<QrisDetailResponse> {
    return this.send(consumer.qrisDetailCall(this.#context, params, options), options);
  }

  /**
   * N12 QRIS Payment — INFERRED ONLY (page not found): modelled on SNAP `qr-mpm-payment`; the
   * result arrives by the QRIS Payment Notification. MONEY-MOVING: never retried.
   */
  async payQris(params: PayQrisParams, options: CallOptions = {}): Promise<QrisPaymentResponse> {
    return this.send(consumer.qrisPaymentCall(this.consumer().transport.clientId, params), options);
  }

  /**
   * N14 Payment Bill: the URL of Netzme's PIN webview for the user (no API call). The result comes
   * by the Payment Bill Notification. Needs `consumer.webviewUrl`.
   */
  buildPaymentBillUrl(params: PaymentUrlParams): string {
    return this.consumer().webview.url(ADDITIONAL_INFO_TYPES.paymentBill, params);
  }

  /** N16 Payment Netzme Seamless: as N14; INFERRED `type` (the page is cut off after `requestId`). */
  buildSeamlessPaymentUrl(params: PaymentUrlParams): string {
    return this.consumer().webview.url(ADDITIONAL_INFO_TYPES.seamlessPayment, params);
  }

  /**
   * N18 Upgrade Account — INFERRED ONLY: starts the KYC upgrade of a user; the outcome arrives by
   * the Upgrade Account Notification and shows in getAccountStatus. It may turn out to be a webview.
   */
  async upgradeAccount(params: UpgradeAccountParams, options: ReadOptions = {}): Promise<UpgradeAccountResponse> {
    return this.send(consumer.upgradeAccountCall(this.#context, params, options), options);
  }

  /**
   * Escape hatch: call any endpoint of the table with a hand-built body (still signed, still
   * refused if it contains a number). For pages whose real shape differs from what is inferred here.
   */
  async request<T>(endpoint: NetzmeEndpointName, body: unknown, options: CallOptions & { query?: Record<string, string> } = {}): Promise<T> {
    // `unknown` bodies get no compile-time number check; the runtime refusal still applies.
    return this.send<T>(prepared<unknown>(endpoint, body, [], options.query), options);
  }

  // =============================================================================================
  // internals
  // =============================================================================================

  /** Signs and sends a prepared call through its family's transport (the consumer side only when configured). */
  private send<T>(call: PreparedCall, options: CallOptions): Promise<T> {
    const spec: NetzmeEndpointSpec = NETZME_ENDPOINTS[call.endpoint];
    const transport = spec.family === 'consumer' ? this.consumer().transport : this.#toko;
    const version = spec.family === 'toko' ? this.apiVersion : undefined;
    const body = call.body;
    const reference = body && typeof body === 'object' ? (body as { partnerReferenceNo?: unknown }).partnerReferenceNo : undefined;
    const nested =
      body && typeof body === 'object' ? (body as { additionalInfo?: { partnerReferenceNo?: unknown } }).additionalInfo?.partnerReferenceNo : undefined;
    const partnerReferenceNo = typeof reference === 'string' ? reference : typeof nested === 'string' ? nested : undefined;
    return transport.call<T>({
      endpoint: spec,
      path: resolvePath(spec, version, this.pathOverrides?.[call.endpoint]),
      query: call.query,
      body,
      partnerReferenceNo,
      secrets: call.secrets,
      options: { externalId: options.externalId, timeoutMs: options.timeoutMs, signal: options.signal },
    });
  }

  private consumer(): ConsumerSide {
    if (!this.#consumer) {
      throw invalidRequest('consumer', 'the Netzme consumer-side API is not configured (options.consumer)');
    }
    return this.#consumer;
  }
}
