import { createHash } from 'node:crypto';
import {
  ADDITIONAL_INFO_TYPES,
  API_SOURCE_TOPUP_DEPOSIT,
  fromMinor,
  hashPin,
  InvalidAmountError,
  jakartaTimestamp,
  loadPrivateKey,
  NETZME_CURRENCY,
  NETZME_ENDPOINTS,
  newExternalId,
  toMinor,
  type AccountStatusRequest,
  type AccountStatusResponse,
  type Amount,
  type BalanceDetailRequest,
  type BalanceDetailResponse,
  type Beneficiary,
  type ConsumerBalanceRequest,
  type ConsumerBalanceResponse,
  type ConsumerHistoryRequest,
  type ConsumerHistoryResponse,
  type CreateInvoiceQrMpmRequest,
  type CreateInvoiceQrMpmResponse,
  type CreateInvoiceRequest,
  type CreateInvoiceResponse,
  type CreateInvoiceTransactionRequest,
  type CreateInvoiceTransactionResponse,
  type CreatePinRequest,
  type CreatePinResponse,
  type DeductDepositSplitFeeRequest,
  type DeductDepositSplitFeeResponse,
  type DepositBalanceRequest,
  type DepositBalanceResponse,
  type DepositTransactionsRequest,
  type DepositTransactionsResponse,
  type DepositWithdrawInformationRequest,
  type DepositWithdrawInformationResponse,
  type DepositWithdrawInquiryRequest,
  type DepositWithdrawInquiryResponse,
  type DepositWithdrawRequest,
  type DepositWithdrawResponse,
  type FixedTopupVaResponse,
  type ForgotPinRequest,
  type ForgotPinResponse,
  type InvoiceTransactionRequest,
  type InvoiceTransactionResponse,
  type MerchantDetailRequest,
  type MerchantDetailResponse,
  type NetzmeEndpointName,
  type NetzmeEndpointSpec,
  type NoNumbers,
  type PaymentBillUrlQuery,
  type QrisAcquireTransactionRequest,
  type QrisAcquireTransactionResponse,
  type QrisDetailRequest,
  type QrisDetailResponse,
  type QrisPaymentRequest,
  type QrisPaymentResponse,
  type TransactionListRequest,
  type TransactionListResponse,
  type UpgradeAccountRequest,
  type UpgradeAccountResponse,
  type WithdrawInformationRequest,
  type WithdrawInformationResponse,
  type WithdrawInquiryRequest,
  type WithdrawInquiryResponse,
  type WithdrawProcessRequest,
  type WithdrawProcessResponse,
} from '@app/snap';
import { NetzmeError } from './errors';
import { consoleJsonLogger, Redactor, silentLogger } from './logger';
import { DEFAULTS, type NetzmeClientOptions } from './options';
import type {
  AmountInput,
  ConsumerHistoryParams,
  CreateInvoiceParams,
  CreateInvoiceQrMpmParams,
  CreateInvoiceTransactionParams,
  CreateTopupDepositTransactionParams,
  DeductDepositSplitFeeParams,
  DepositWithdrawParams,
  IntegerInput,
  PercentageInput,
  InvoiceCommonParams,
  PaymentUrlParams,
  PayQrisParams,
  QrisDetailParams,
  ReadOptions,
  TransactionListParams,
  UpgradeAccountParams,
  WithdrawParams,
} from './params';
import { InMemoryTokenStore } from './token-store';
import { undiciSender } from './http-sender';
import { FamilyTransport, resolvePath, type CallOptions, type TransportSettings } from './transport';

/**
 * Typed client of Netzme's vSNAP API (Toko Netzme merchant side, and optionally the Netzme
 * consumer side). Every method signs exactly the bytes it sends, obtains and shares the access
 * token, and either returns the parsed success body or throws a NetzmeError that says whether the
 * outcome is definite or unknown. Money-moving methods are never retried automatically.
 */
export class NetzmeClient {
  readonly merchantId: string;
  readonly clientId: string;
  readonly #toko: FamilyTransport;
  readonly #consumer: FamilyTransport | null;
  // ES-private (#): util.inspect and JSON never show these, and they hold the credentials.
  readonly #redactor = new Redactor();
  private readonly apiVersion?: string;
  private readonly pathOverrides: NetzmeClientOptions['pathOverrides'];
  private readonly now: () => number;
  private readonly webviewUrl?: string;
  private requestCounter = 0;

  constructor(options: NetzmeClientOptions) {
    for (const key of ['baseUrl', 'clientId', 'clientSecret', 'privateKey', 'merchantId'] as const) {
      if (!options[key]) {
        throw new Error(`NetzmeClient: option "${key}" is required`);
      }
    }
    this.merchantId = options.merchantId;
    this.clientId = options.clientId;
    this.apiVersion = options.apiVersion;
    this.pathOverrides = options.pathOverrides;
    this.now = options.now ?? Date.now;
    const settings: TransportSettings = {
      http: options.http ?? undiciSender(),
      logger: options.logger === false ? silentLogger : (options.logger ?? consoleJsonLogger),
      redactor: this.#redactor,
      tokenStore: options.tokenStore ?? new InMemoryTokenStore(),
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxAttempts: Math.max(1, options.retry?.maxAttempts ?? DEFAULTS.maxAttempts),
      baseDelayMs: options.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: options.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs,
      tokenRefreshMarginMs: options.tokenRefreshMarginMs ?? DEFAULTS.tokenRefreshMarginMs,
      now: this.now,
    };
    const tokenPath = resolvePath(NETZME_ENDPOINTS.accessToken, options.tokenApiVersion ?? DEFAULTS.tokenApiVersion, options.pathOverrides?.accessToken);
    this.#redactor.addSecret(typeof options.privateKey === 'string' ? options.privateKey.trim() : undefined);
    this.#toko = new FamilyTransport(
      {
        family: 'toko',
        baseUrl: options.baseUrl,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        privateKey: loadPrivateKey(options.privateKey),
        channelId: options.channelId ?? DEFAULTS.channelId,
        sendClientSecretHeader: false,
        tokenPath,
      },
      settings,
    );
    const consumer = options.consumer;
    if (consumer) {
      this.#redactor.addSecret(typeof consumer.privateKey === 'string' ? consumer.privateKey.trim() : undefined);
      this.webviewUrl = consumer.webviewUrl;
      this.#consumer = new FamilyTransport(
        {
          family: 'consumer',
          baseUrl: consumer.baseUrl,
          clientId: consumer.clientId,
          clientSecret: consumer.clientSecret,
          privateKey: loadPrivateKey(consumer.privateKey),
          channelId: consumer.channelId ?? options.channelId ?? DEFAULTS.channelId,
          sendClientSecretHeader: consumer.sendClientSecretHeader ?? true,
          tokenPath,
        },
        settings,
      );
    } else {
      this.#consumer = null;
    }
  }

  /** How many token requests each family has made (tests and the benchmark assert on it). */
  diagnostics(): { tokenFetches: { toko: number; consumer: number } } {
    return { tokenFetches: { toko: this.#toko.tokens.fetchCount, consumer: this.#consumer?.tokens.fetchCount ?? 0 } };
  }

  /** A valid Toko access token (fetched or cached). Mostly for diagnostics; calls do this themselves. */
  async getAccessToken(): Promise<string> {
    return this.#toko.tokens.getToken();
  }

  // =============================================================================================
  // Toko Netzme — merchant
  // =============================================================================================

  /** T3 Create pin: set the merchant's withdraw PIN (clear PIN in, hashed inside). */
  async createPin(pin: string, options: ReadOptions = {}): Promise<CreatePinResponse> {
    const pinHash = this.pinHash(pin);
    const body: CreatePinRequest = {
      custIdMerchant: this.merchantId,
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      additionalInfo: { pin: pinHash, type: ADDITIONAL_INFO_TYPES.createPin },
    };
    return this.send('createPin', body, options, [pinHash]);
  }

  /** T4 Forgot pin: starts Netzme's PIN-reset flow. Never retried (Netzme rate-limits it, 4030004). */
  async forgotPin(options: ReadOptions = {}): Promise<ForgotPinResponse> {
    const body: ForgotPinRequest = {
      custIdMerchant: this.merchantId,
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      additionalInfo: { type: ADDITIONAL_INFO_TYPES.forgotPin },
    };
    return this.send('forgotPin', body, options);
  }

  /** T5 Get Balance Detail: `totalBalance` and (withdrawable) `settledBalance`. */
  async getBalanceDetail(options: ReadOptions = {}): Promise<BalanceDetailResponse> {
    const body: BalanceDetailRequest = { partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(), accountNo: this.merchantId };
    return this.send('balanceDetail', body, options);
  }

  /**
   * T6 Get Transaction List (QRIS transactions of the merchant). Docs: `/api-qris/v2.0/…`.
   * INFERRED: response code 2001200 and the item status vocabulary.
   */
  async getTransactionList(params: TransactionListParams, options: ReadOptions = {}): Promise<TransactionListResponse> {
    const body: TransactionListRequest = {
      pageNumber: this.integer('pageNumber', params.pageNumber ?? 1),
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      fromDateTime: this.dateTime(params.fromDateTime),
      toDateTime: this.dateTime(params.toDateTime),
      additionalInfo: { custIdMerchant: this.merchantId },
    };
    return this.send('transactionList', body, options);
  }

  /** T7 Get Merchant Detail: look a merchant up by phone number (returns custIdMerchant and static QRIS). */
  async getMerchantDetail(params: { phoneNo: string }, options: ReadOptions = {}): Promise<MerchantDetailResponse> {
    const body: MerchantDetailRequest = {
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      additionalInfo: { phoneNo: this.required('phoneNo', params.phoneNo) },
    };
    return this.send('merchantDetail', body, options);
  }

  /** T8 Withdraw Inquiry: payout bank account, withdrawable amount, whether withdrawing is allowed now. */
  async withdrawInquiry(options: ReadOptions = {}): Promise<WithdrawInquiryResponse> {
    const body: WithdrawInquiryRequest = {
      custIdMerchant: this.merchantId,
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      additionalInfo: { type: ADDITIONAL_INFO_TYPES.withdrawInquiry },
    };
    return this.send('withdrawInquiry', body, options);
  }

  /**
   * T27 Withdraw Process: merchant balance -> registered bank account. MONEY-MOVING: never retried;
   * on an unknown outcome ask getWithdrawInformation or re-send with the same partnerReferenceNo
   * (and `options.externalId` of the failed call) — a 409xx01 then means the first one was accepted.
   * INFERRED: the response body (SNAP transfer-bank, 2004300); completion arrives asynchronously.
   */
  async withdrawProcess(params: WithdrawParams, options: CallOptions = {}): Promise<WithdrawProcessResponse> {
    const pinHash = this.pinHash(params.pin);
    const body: WithdrawProcessRequest = {
      partnerReferenceNo: this.required('partnerReferenceNo', params.partnerReferenceNo),
      customerNumber: this.merchantId,
      amount: this.amount('amount', params.amount),
      ...this.beneficiary(params.beneficiary),
      additionalInfo: { type: ADDITIONAL_INFO_TYPES.submitWithdraw, pin: pinHash },
    };
    return this.send('withdrawProcess', body, options, [pinHash]);
  }

  /** T9 Get Information Withdraw, by the withdraw's Netzme `referenceNo`. INFERRED: response body. */
  async getWithdrawInformation(params: { referenceNo: string }, options: ReadOptions = {}): Promise<WithdrawInformationResponse> {
    const body: WithdrawInformationRequest = {
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      referenceNo: this.required('referenceNo', params.referenceNo),
    };
    return this.send('withdrawInformation', body, options);
  }

  /** T10 Get QRIS Acquire Transaction: a QRIS payment received by the merchant, by RRN. */
  async getQrisAcquireTransaction(params: { rrn: string }, options: ReadOptions = {}): Promise<QrisAcquireTransactionResponse> {
    const body: QrisAcquireTransactionRequest = {
      originalPartnerReferenceNo: this.required('rrn', params.rrn),
      additionalInfo: { partnerReferenceNo: options.partnerReferenceNo ?? this.newReference() },
    };
    return this.send('qrisAcquireTransaction', body, options);
  }

  /** T11 Create Invoice (payment page not yet bound to a method). MONEY-MOVING: never retried. */
  async createInvoice(params: CreateInvoiceParams, options: CallOptions = {}): Promise<CreateInvoiceResponse> {
    const body: CreateInvoiceRequest = {
      custIdMerchant: this.merchantId,
      partnerReferenceNo: this.required('partnerReferenceNo', params.partnerReferenceNo),
      amount: this.amount('amount', params.amount),
      amountDetail: this.amountDetail(params),
      ...(params.commissionPercentage !== undefined ? { commissionPercentage: this.percentage('commissionPercentage', params.commissionPercentage) } : {}),
      ...(params.payMethods ? { payMethods: [...params.payMethods] } : {}),
      ...(params.additionalInfo ? { additionalInfo: { ...params.additionalInfo } } : {}),
    };
    return this.send('createInvoice', body, options);
  }

  /**
   * T12 Create Invoice Transaction: the checkout call (QRIS returns `qrImage`; keep
   * `additionalInfo.trxId` for getInvoiceTransaction). MONEY-MOVING: never retried.
   */
  async createInvoiceTransaction(params: CreateInvoiceTransactionParams, options: CallOptions = {}): Promise<CreateInvoiceTransactionResponse> {
    return this.send('createInvoiceTransaction', this.invoiceTransactionBody(params), options);
  }

  /** T21 Create Invoice Transaction Topup Deposit: as T12 with `additionalInfo.apiSource = topup_deposit`. */
  async createTopupDepositTransaction(params: CreateTopupDepositTransactionParams, options: CallOptions = {}): Promise<CreateInvoiceTransactionResponse> {
    const body = this.invoiceTransactionBody(params);
    body.additionalInfo = { ...body.additionalInfo, apiSource: API_SOURCE_TOPUP_DEPOSIT };
    return this.send('createInvoiceTransaction', body, options);
  }

  /**
   * T13 Create Invoice QR MPM — INFERRED ONLY (no Netzme source shows this page): modelled on SNAP
   * `qr-mpm-generate` (path `/api/{version}/qr/qr-mpm-generate`, 2004700, `qrContent`). Correct the
   * path with `pathOverrides.createInvoiceQrMpm` and the body here when the real page turns up.
   */
  async createInvoiceQrMpm(params: CreateInvoiceQrMpmParams, options: CallOptions = {}): Promise<CreateInvoiceQrMpmResponse> {
    const body: CreateInvoiceQrMpmRequest = {
      partnerReferenceNo: this.required('partnerReferenceNo', params.partnerReferenceNo),
      custIdMerchant: this.merchantId,
      amount: this.amount('amount', params.amount),
      ...(params.terminalId !== undefined ? { terminalId: params.terminalId } : {}),
      ...(params.validityPeriod !== undefined ? { validityPeriod: this.dateTime(params.validityPeriod) } : {}),
      ...(params.additionalInfo ? { additionalInfo: { ...params.additionalInfo } } : {}),
    };
    return this.send('createInvoiceQrMpm', body, options);
  }

  /**
   * T14 Get Invoice Transaction, by the `trxId` from Create Invoice Transaction (what working
   * clients send; the doc example is ambiguous). `status`: INIT -> SUCCESS | CLOSED.
   */
  async getInvoiceTransaction(trxId: string, options: ReadOptions = {}): Promise<InvoiceTransactionResponse> {
    const body: InvoiceTransactionRequest = {
      originalPartnerReferenceNo: this.required('trxId', trxId),
      additionalInfo: { partnerReferenceNo: options.partnerReferenceNo ?? this.newReference() },
    };
    return this.send('invoiceTransaction', body, options);
  }

  /**
   * T20 Deduct Deposit and Split Fee: report a sale collected outside Netzme; the fee is taken from
   * the deposit (4030014 Insufficient Funds when too low). MONEY-MOVING: never retried.
   */
  async deductDepositSplitFee(params: DeductDepositSplitFeeParams, options: CallOptions = {}): Promise<DeductDepositSplitFeeResponse> {
    const partnerReferenceNo = this.required('partnerReferenceNo', params.partnerReferenceNo);
    const body: DeductDepositSplitFeeRequest = {
      referenceNo: params.referenceNo ?? this.derivedGuid('deduct', partnerReferenceNo),
      partnerReferenceNo,
      amount: this.amount('amount', params.amount),
      feeAmount: this.amount('feeAmount', params.feeAmount),
      additionalInfo: {
        custIdMerchant: this.merchantId,
        sku: this.required('sku', params.sku),
        productName: this.required('productName', params.productName),
        paymentStatus: 'SUCCESS',
        payMethod: this.required('payMethod', params.payMethod),
        bankName: this.required('bankName', params.bankName),
        ...(params.qty !== undefined ? { qty: this.integer('qty', params.qty) } : {}),
        ...(params.desc !== undefined ? { desc: params.desc } : {}),
        type: ADDITIONAL_INFO_TYPES.splitFee,
      },
    };
    return this.send('deductDepositSplitFee', body, options);
  }

  // ---- Deposit --------------------------------------------------------------------------------

  /** T26 Get Balance Deposit (note: `accountInfo[].amount`, service code 13 in the docs). */
  async getDepositBalance(options: ReadOptions = {}): Promise<DepositBalanceResponse> {
    const body: DepositBalanceRequest = { partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(), accountNo: this.merchantId };
    return this.send('depositBalance', body, options);
  }

  /** T25 Get Deposit Transaction. INFERRED: response body (as T6). */
  async getDepositTransactions(params: TransactionListParams, options: ReadOptions = {}): Promise<DepositTransactionsResponse> {
    const body: DepositTransactionsRequest = {
      pageNumber: this.integer('pageNumber', params.pageNumber ?? 1),
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      fromDateTime: this.dateTime(params.fromDateTime),
      toDateTime: this.dateTime(params.toDateTime),
      additionalInfo: { custIdMerchant: this.merchantId },
    };
    return this.send('depositTransactions', body, options);
  }

  /** T22 Inquiry Withdraw Deposit: same answer shape as withdrawInquiry. */
  async depositWithdrawInquiry(options: ReadOptions = {}): Promise<DepositWithdrawInquiryResponse> {
    const body: DepositWithdrawInquiryRequest = { partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(), custIdMerchant: this.merchantId };
    return this.send('depositWithdrawInquiry', body, options);
  }

  /** T23 Withdraw Deposit. MONEY-MOVING: never retried. INFERRED: response body (as T27). */
  async depositWithdraw(params: DepositWithdrawParams, options: CallOptions = {}): Promise<DepositWithdrawResponse> {
    const partnerReferenceNo = this.required('partnerReferenceNo', params.partnerReferenceNo);
    const pinHash = this.pinHash(params.pin);
    const body: DepositWithdrawRequest = {
      partnerReferenceNo,
      referenceNo: params.referenceNo ?? this.derivedGuid('deposit-withdraw', partnerReferenceNo),
      customerNumber: this.merchantId,
      amount: this.amount('amount', params.amount),
      ...this.beneficiary(params.beneficiary),
      additionalInfo: { type: ADDITIONAL_INFO_TYPES.submitWithdraw, pin: pinHash },
    };
    return this.send('depositWithdraw', body, options, [pinHash]);
  }

  /** T24 Get Information Withdraw Deposit. INFERRED: response body (as T9). */
  async getDepositWithdrawInformation(params: { referenceNo: string }, options: ReadOptions = {}): Promise<DepositWithdrawInformationResponse> {
    const body: DepositWithdrawInformationRequest = {
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      referenceNo: this.required('referenceNo', params.referenceNo),
    };
    return this.send('depositWithdrawInformation', body, options);
  }

  // =============================================================================================
  // Netzme consumer side (requires `options.consumer`)
  // =============================================================================================

  /** N4 Get Account Status of a Netzme user (`userStatus`, upgrade `status`). */
  async getAccountStatus(custId: string, options: ReadOptions = {}): Promise<AccountStatusResponse> {
    const body: AccountStatusRequest = {
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      additionalInfo: { custId: this.required('custId', custId) },
    };
    return this.send('accountStatus', body, options);
  }

  /** N5 Get Balance of a Netzme user (`accountInfos`: Cash, Points). */
  async getConsumerBalance(custId: string, options: ReadOptions = {}): Promise<ConsumerBalanceResponse> {
    const body: ConsumerBalanceRequest = { partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(), accountNo: this.required('custId', custId) };
    return this.send('consumerBalance', body, options);
  }

  /**
   * N6 Get History. INFERRED: sent as POST (the doc says GET with a body); `pageSize`/`seqId` go
   * out as strings although the doc shows numbers (numbers break the signature, docs/netzme-protocol.md 1.7).
   */
  async getConsumerHistory(params: ConsumerHistoryParams, options: ReadOptions = {}): Promise<ConsumerHistoryResponse> {
    const body: ConsumerHistoryRequest = {
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      pageSize: this.integer('pageSize', params.pageSize ?? 10),
      additionalInfo: {
        seqId: this.integer('seqId', params.seqId ?? 0),
        custId: this.required('custId', params.custId),
        type: ADDITIONAL_INFO_TYPES.consumerHistory,
      },
    };
    return this.send('consumerHistory', body, options);
  }

  /** N7 Get Fixed Topup VA: `GET …/payment/fixed-va?custId=` (query signed, empty-body hash). INFERRED: response. */
  async getFixedTopupVa(custId: string, options: CallOptions = {}): Promise<FixedTopupVaResponse> {
    return this.send('fixedTopupVa', undefined, options, [], { custId: this.required('custId', custId) });
  }

  /** N8–N11 Get Detail Qris (static, static with amount/fee, dynamic, dynamic with fee). */
  async getQrisDetail(params: QrisDetailParams, options: ReadOptions = {}): Promise<QrisDetailResponse> {
    const body: QrisDetailRequest = {
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      qrContent: this.required('qrContent', params.qrContent),
      ...(params.amount !== undefined ? { amount: this.amount('amount', params.amount) } : {}),
      scanTime: this.dateTime(params.scanTime ?? new Date(this.now())),
      additionalInfo: { type: ADDITIONAL_INFO_TYPES.scanQr, custId: this.required('custId', params.custId) },
    };
    return this.send('qrisDetail', body, options);
  }

  /**
   * N12 QRIS Payment — INFERRED ONLY (page not found): modelled on SNAP `qr-mpm-payment`; the
   * result arrives by the QRIS Payment Notification. MONEY-MOVING: never retried.
   */
  async payQris(params: PayQrisParams, options: CallOptions = {}): Promise<QrisPaymentResponse> {
    const transport = this.consumer();
    const custId = this.required('custId', params.custId);
    const pinHash = params.pin !== undefined ? this.pinHash(params.pin, transport.clientId, custId) : undefined;
    const body: QrisPaymentRequest = {
      partnerReferenceNo: this.required('partnerReferenceNo', params.partnerReferenceNo),
      qrContent: this.required('qrContent', params.qrContent),
      amount: this.amount('amount', params.amount),
      ...(params.feeAmount !== undefined ? { feeAmount: this.amount('feeAmount', params.feeAmount) } : {}),
      additionalInfo: {
        custId,
        ...(pinHash ? { pin: pinHash } : {}),
        ...(params.qrisDetailReferenceNo ? { qrisDetailReferenceNo: params.qrisDetailReferenceNo } : {}),
      },
    };
    return this.send('qrisPayment', body, options, pinHash ? [pinHash] : []);
  }

  /**
   * N14 Payment Bill: the URL of Netzme's PIN webview for the user (no API call). The result comes
   * by the Payment Bill Notification. Needs `consumer.webviewUrl`.
   */
  buildPaymentBillUrl(params: PaymentUrlParams): string {
    return this.webview(ADDITIONAL_INFO_TYPES.paymentBill, params);
  }

  /** N16 Payment Netzme Seamless: as N14; INFERRED `type` (the page is cut off after `requestId`). */
  buildSeamlessPaymentUrl(params: PaymentUrlParams): string {
    return this.webview(ADDITIONAL_INFO_TYPES.seamlessPayment, params);
  }

  /**
   * N18 Upgrade Account — INFERRED ONLY: starts the KYC upgrade of a user; the outcome arrives by
   * the Upgrade Account Notification and shows in getAccountStatus. It may turn out to be a webview.
   */
  async upgradeAccount(params: UpgradeAccountParams, options: ReadOptions = {}): Promise<UpgradeAccountResponse> {
    const body: UpgradeAccountRequest = {
      partnerReferenceNo: options.partnerReferenceNo ?? this.newReference(),
      additionalInfo: { ...params.additionalInfo, custId: this.required('custId', params.custId), type: 'upgrade_account' },
    };
    return this.send('upgradeAccount', body, options);
  }

  /**
   * Escape hatch: call any endpoint of the table with a hand-built body (still signed, still
   * refused if it contains a number). For pages whose real shape differs from what is inferred here.
   */
  async request<T>(endpoint: NetzmeEndpointName, body: unknown, options: CallOptions & { query?: Record<string, string> } = {}): Promise<T> {
    // `unknown` bodies get no compile-time number check; the runtime refusal still applies.
    return this.send<T, unknown>(endpoint, body, options, [], options.query);
  }

  // =============================================================================================
  // internals
  // =============================================================================================

  /** Type-level guard: a request body type with a `number` anywhere does not compile here. */
  private send<T, B = undefined>(
    name: NetzmeEndpointName,
    body: B & NoNumbers<B>,
    options: CallOptions,
    secrets: string[] = [],
    query?: Record<string, string>,
  ): Promise<T> {
    const spec: NetzmeEndpointSpec = NETZME_ENDPOINTS[name];
    const transport = spec.family === 'consumer' ? this.consumer() : this.#toko;
    const version = spec.family === 'toko' ? this.apiVersion : undefined;
    const reference = body && typeof body === 'object' ? (body as { partnerReferenceNo?: unknown }).partnerReferenceNo : undefined;
    const nested = body && typeof body === 'object' ? (body as { additionalInfo?: { partnerReferenceNo?: unknown } }).additionalInfo?.partnerReferenceNo : undefined;
    const partnerReferenceNo = typeof reference === 'string' ? reference : typeof nested === 'string' ? nested : undefined;
    return transport.call<T>({
      endpoint: spec,
      path: resolvePath(spec, version, this.pathOverrides?.[name]),
      query,
      body,
      partnerReferenceNo,
      secrets,
      options: { externalId: options.externalId, timeoutMs: options.timeoutMs, signal: options.signal },
    });
  }

  private consumer(): FamilyTransport {
    if (!this.#consumer) {
      throw this.invalid('consumer', 'the Netzme consumer-side API is not configured (options.consumer)');
    }
    return this.#consumer;
  }

  private invoiceTransactionBody(params: CreateInvoiceTransactionParams): CreateInvoiceTransactionRequest {
    const amountDetail = this.amountDetail(params);
    const additionalInfo = {
      ...params.additionalInfo,
      ...(params.itemDetails ? { item_details: params.itemDetails.map((item) => ({ ...item })) } : {}),
    };
    return {
      custIdMerchant: this.merchantId,
      partnerReferenceNo: this.required('partnerReferenceNo', params.partnerReferenceNo),
      amount: this.amount('amount', params.amount),
      amountDetail: { basicAmount: amountDetail.basicAmount, shippingAmount: amountDetail.shippingAmount },
      payMethod: this.required('payMethod', params.payMethod),
      ...(params.commissionPercentage !== undefined ? { commissionPercentage: this.percentage('commissionPercentage', params.commissionPercentage) } : {}),
      ...(params.expireInSecond !== undefined ? { expireInSecond: this.integer('expireInSecond', params.expireInSecond) } : {}),
      ...(params.feeType !== undefined ? { feeType: params.feeType } : {}),
      ...(params.terminalId !== undefined ? { terminalId: params.terminalId } : {}),
      ...(Object.keys(additionalInfo).length ? { additionalInfo } : {}),
    };
  }

  private amountDetail(params: InvoiceCommonParams): { basicAmount: Amount; shippingAmount: Amount } {
    const total = this.amount('amount', params.amount);
    return {
      basicAmount: params.basicAmount !== undefined ? this.amount('basicAmount', params.basicAmount) : total,
      shippingAmount: params.shippingAmount !== undefined ? this.amount('shippingAmount', params.shippingAmount) : { value: '0.00', currency: NETZME_CURRENCY },
    };
  }

  /** Any accepted amount form -> `{ value: "15000.00", currency: "IDR" }`; refuses floats and other currencies. */
  private amount(field: string, input: AmountInput): Amount {
    let minor: bigint;
    let currency: string = NETZME_CURRENCY;
    try {
      if (typeof input === 'bigint') {
        minor = input;
      } else if (typeof input === 'string') {
        minor = toMinor(input.trim());
      } else if (input && typeof input === 'object' && typeof input.value === 'string') {
        minor = toMinor(input.value.trim());
        currency = input.currency;
      } else {
        throw new InvalidAmountError(`${typeof input} is not an amount (use a decimal string or bigint sen)`);
      }
    } catch (err) {
      throw this.invalid(field, err instanceof Error ? err.message : String(err));
    }
    if (minor < 0n) {
      throw this.invalid(field, 'must not be negative');
    }
    if (currency !== NETZME_CURRENCY) {
      throw this.invalid(field, `currency ${currency} is not accepted by Netzme (only ${NETZME_CURRENCY})`);
    }
    return { value: fromMinor(minor), currency };
  }

  /** A 0–100 percentage as a plain decimal string ("0", "0.0", "0.7"); no exponent, no sign. */
  private percentage(field: string, input: PercentageInput): string {
    const text = typeof input === 'number' && Number.isFinite(input) ? String(input) : input;
    if (typeof text !== 'string' || !/^\d{1,3}(\.\d{1,6})?$/.test(text) || Number(text) > 100) {
      throw this.invalid(field, `"${String(input)}" is not a percentage from 0 to 100 (e.g. "0.7")`);
    }
    return text;
  }

  /** Integers go out as decimal strings; refuses fractions, NaN and anything that is not an integer. */
  private integer(field: string, input: IntegerInput): string {
    if (typeof input === 'number') {
      if (!Number.isSafeInteger(input) || input < 0) {
        throw this.invalid(field, `${input} is not a non-negative integer`);
      }
      return String(input);
    }
    if (typeof input !== 'string' || !/^\d+$/.test(input)) {
      throw this.invalid(field, `"${String(input)}" is not a non-negative integer`);
    }
    return input;
  }

  private dateTime(input: string | Date): string {
    if (input instanceof Date) {
      if (Number.isNaN(input.getTime())) {
        throw this.invalid('dateTime', 'invalid Date');
      }
      return jakartaTimestamp(input);
    }
    return this.required('dateTime', input);
  }

  private required(field: string, value: string | undefined): string {
    if (typeof value !== 'string' || value.trim() === '') {
      throw this.invalid(field, 'is required');
    }
    return value;
  }

  private beneficiary(b: Beneficiary): Beneficiary {
    if (!b) {
      throw this.invalid('beneficiary', 'is required (take it from the withdraw inquiry)');
    }
    return {
      beneficiaryAccountName: this.required('beneficiaryAccountName', b.beneficiaryAccountName),
      beneficiaryAccountNumber: this.required('beneficiaryAccountNumber', b.beneficiaryAccountNumber),
      beneficiaryBankName: this.required('beneficiaryBankName', b.beneficiaryBankName),
      beneficiaryBankCode: this.required('beneficiaryBankCode', b.beneficiaryBankCode),
    };
  }

  /** PIN hash for Toko (clientId + custIdMerchant) or, with explicit ids, for the consumer side. */
  private pinHash(pin: string, clientId = this.clientId, ownerId = this.merchantId): string {
    if (typeof pin !== 'string' || !/^\d{4,12}$/.test(pin)) {
      // The message never contains the PIN itself.
      throw this.invalid('pin', 'must be a string of digits');
    }
    return hashPin(clientId, ownerId, pin);
  }

  /** A read call's request id: Jakarta date + 14 random digits, like Netzme's own examples. */
  private newReference(): string {
    return jakartaTimestamp(new Date(this.now())).slice(0, 10).replace(/-/g, '') + newExternalId().slice(0, 14);
  }

  /** A GUID derived from the partner reference, so a re-sent money call has the same body. */
  private derivedGuid(purpose: string, partnerReferenceNo: string): string {
    const h = createHash('sha256').update(`${this.clientId}:${purpose}:${partnerReferenceNo}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private webview(type: string, params: PaymentUrlParams): string {
    const transport = this.consumer();
    if (!this.webviewUrl) {
      throw this.invalid('consumer.webviewUrl', 'is not configured');
    }
    const minor = typeof params.amount === 'bigint' ? params.amount : toMinor(this.amount('amount', params.amount).value);
    if (minor % 100n !== 0n) {
      throw this.invalid('amount', 'Payment Bill takes whole rupiah');
    }
    const expiredAt = params.expiredAt instanceof Date ? params.expiredAt : new Date(params.expiredAt);
    if (Number.isNaN(expiredAt.getTime())) {
      throw this.invalid('expiredAt', 'is not a date');
    }
    const query: PaymentBillUrlQuery = {
      requestId: params.requestId ?? this.webviewRequestId(transport.clientId),
      type,
      userId: this.required('userId', params.userId),
      billId: this.required('billId', params.billId),
      amount: (minor / 100n).toString(),
      aggregatorId: transport.clientId,
      description: params.description ?? '',
      expired_at: expiredAt.toISOString(),
    };
    const url = new URL(this.webviewUrl);
    for (const [key, value] of Object.entries(query)) {
      url.searchParams.set(key, value);
    }
    return url.toString();
  }

  /** `{ClientId}{yyyyMMddHHmmss}{4-digit counter}` (N14). */
  private webviewRequestId(clientId: string): string {
    const stamp = jakartaTimestamp(new Date(this.now())).slice(0, 19).replace(/[-T:]/g, '');
    this.requestCounter = (this.requestCounter + 1) % 10_000;
    return `${clientId}${stamp}${String(this.requestCounter).padStart(4, '0')}`;
  }

  private invalid(field: string, reason: string): NetzmeError {
    return new NetzmeError({
      category: 'INVALID_REQUEST',
      outcome: 'definite',
      endpoint: 'client',
      sent: false,
      message: `${field}: ${reason}`,
    });
  }
}
