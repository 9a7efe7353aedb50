import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import * as QRCode from 'qrcode';
import { CallbacksService } from '../callbacks/callbacks.service';
import { invoicePaidPayload, qrisPaidPayload } from '../callbacks/payloads';
import { DeadlineQueue } from '../common/deadline-queue';
import { mdrFor } from '../common/fees';
import { invoiceId, newRrn, uuid } from '../common/ids';
import { Errors, NetzmeError } from '../common/netzme-error';
import { RuntimeInfoService } from '../common/runtime-info.service';
import { TimersService } from '../common/timers.service';
import type { WireBody } from '../common/wire-body';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import { DepositLedgerService } from '../deposit/deposit-ledger.service';
import { MerchantsService, type Merchant } from '../merchants/merchants.service';
import { FifoQueue, RecentSet, SEEN_REFERENCES_FACTOR } from '../state/retention';
import type { Buyer, Invoice, QrisPaymentRecord } from './invoice.model';
import { buildQris } from './qris';

/**
 * Pay methods Create Invoice Transaction accepts: the docs' list (T12) plus the ones Netzme's own QA
 * tool offers (`INDOMARET` … `VA_CIMB`, `VA_BCA_PZ`).
 */
export const PAY_METHODS = new Set([
  'QRIS', 'QRIS_DINAMIS_TERMINAL', 'BANK_TRANSFER', 'BCA', 'NETZME', 'NETZME_SEAMLESS', 'RETAIL_OUTLET', 'OVO', 'DANA', 'CREDIT_CARD',
  'INDOMARET', 'DKI', 'VA_BCA', 'VA_BRI', 'VA_BNI', 'VA_MANDIRI', 'VA_PERMATA', 'VA_CIMB', 'VA_BCA_PZ',
]);

const QRIS_METHODS = new Set(['QRIS', 'QRIS_DINAMIS_TERMINAL']);
const DEFAULT_EXPIRE_SECONDS = 3600;
const ISSUERS = [
  { name: 'GOPAY', id: '93600914' },
  { name: 'OVO', id: '93600912' },
  { name: 'DANA', id: '93600915' },
  { name: 'NETZME', id: '93600814' },
];

/** What `exportState()` hands to the state file (persistence) and `importState()` takes back. */
export interface InvoicesState {
  /** In creation order (the order `/sandbox/state` lists them). */
  invoices: Invoice[];
  /** Ids of paid or expired invoices in the order they settled (the retention limit drops the oldest). */
  settledOrder: string[];
  staticQrisPayments: QrisPaymentRecord[];
  refusedDuplicates: [string, number][];
  /** `<clientId> <partnerReferenceNo>` of invoices dropped by the retention limit. */
  evictedReferences: string[];
}

export interface PayOptions {
  issuerName?: string;
  buyerFullname?: string;
  customerPan?: string;
  /** Consumer-side QRIS payment (N12): the paying Netzme user. */
  buyerUserId?: string;
}

/** 0–100; the text is already a plain decimal, so Number() only serves the range check. */
function checkPercentage(text: string): void {
  const value = Number(text);
  if (value < 0 || value > 100) {
    throw Errors.fieldFormat('CommissionPercentage');
  }
}

function moneyOk(body: WireBody, name: string, required: boolean): bigint | undefined {
  const value = required ? body.money(name) : body.optMoney(name);
  if (value && value.currency !== 'IDR') {
    throw Errors.invalidCurrency();
  }
  return value?.minor;
}

/**
 * Invoices and invoice transactions (T11, T12, T13, T14, T21) and the QRIS payments a merchant
 * receives (T10, T16). Paying credits the merchant's total and settled balance with the net amount
 * (or the deposit, for a top-up) and sends the payment callback.
 */
@Injectable()
export class InvoicesService {
  private readonly byId = new Map<string, Invoice>();
  private readonly byTrxId = new Map<string, Invoice>();
  /** `<clientId> <partnerReferenceNo>`: a partner reference creates at most one invoice. */
  private readonly byPartnerRef = new Map<string, Invoice>();
  /** Dynamic QRIS string -> invoice, for a Netzme user scanning one of our QRs (N8–N12). */
  private readonly byQrContent = new Map<string, Invoice>();
  private readonly qrisPayments = new Map<string, QrisPaymentRecord>();
  /** One timer for every invoice's expiry (a timer per invoice costs memory under load). */
  private readonly expiries: DeadlineQueue;
  private readonly refusedDuplicates = new Map<string, number>();
  /** Paid or expired invoice ids, oldest first: the retention limit drops from the front. */
  private readonly settled = new FifoQueue<string>();
  /** RRNs of static QRIS payments (no invoice), oldest first. */
  private readonly staticPayments = new FifoQueue<string>();
  /** Partner references of dropped invoices: Netzme still refuses them as duplicates. */
  private readonly evictedRefs: RecentSet;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    private readonly merchants: MerchantsService,
    private readonly callbacks: CallbacksService,
    private readonly deposit: DepositLedgerService,
    private readonly timers: TimersService,
    private readonly runtime: RuntimeInfoService,
  ) {
    this.expiries = new DeadlineQueue(timers, (id) => {
      const invoice = this.byId.get(id);
      if (invoice) {
        this.refresh(invoice);
      }
    });
    this.evictedRefs = new RecentSet(() => this.options.retentionMaxSettled * SEEN_REFERENCES_FACTOR);
  }

  // ---- Netzme API ------------------------------------------------------------------------------

  /** T12 / T21 / T13: an invoice plus its payment transaction (for QRIS: the dynamic QR). */
  async createTransaction(clientId: string, body: WireBody, createdBy: Invoice['createdBy'] = 'create-transaction'): Promise<Invoice> {
    const merchantId = body.string('custIdMerchant');
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const amountMinor = moneyOk(body, 'amount', true)!;
    const payMethod = createdBy === 'qr-mpm-generate' ? 'QRIS' : body.string('payMethod');
    const details = body.optObject('amountDetail');
    const basicAmountMinor = details ? moneyOk(details, 'basicAmount', false) : undefined;
    const shippingAmountMinor = details ? moneyOk(details, 'shippingAmount', false) : undefined;
    const feeType = body.optString('feeType') ?? 'on_seller';
    const commissionPercentage = body.optDecimalish('commissionPercentage') ?? '0';
    const expireInSecond = body.optIntegerish('expireInSecond') ?? body.optIntegerish('validityPeriod') ?? DEFAULT_EXPIRE_SECONDS;
    const info = body.additionalInfo();
    const buyer = this.buyer(info);
    const apiSource = info.optString('apiSource') ?? body.optString('apiSource');
    const terminalId = body.optString('terminalId') ?? body.optString('terminal_id');

    if (!PAY_METHODS.has(payMethod)) {
      throw Errors.fieldFormat('PayMethod');
    }
    if (feeType !== 'on_seller' && feeType !== 'on_buyer') {
      throw Errors.fieldFormat('FeeType');
    }
    checkPercentage(commissionPercentage);
    if (expireInSecond <= 0) {
      throw Errors.fieldFormat('ExpireInSecond');
    }
    if (amountMinor <= 0n) {
      throw new NetzmeError(404, '13', 'Invalid Amount');
    }
    const merchant = this.merchants.require(merchantId);
    this.refuseDuplicate(clientId, partnerReferenceNo);

    const now = Date.now();
    const isTopUp = apiSource === 'topup_deposit';
    const fee = isTopUp ? 0n : mdrFor(payMethod, amountMinor);
    const invoice: Invoice = {
      id: invoiceId(merchantId, now),
      trxId: uuid(),
      clientId,
      merchantId,
      partnerReferenceNo,
      payMethod,
      feeType,
      commissionPercentage,
      amountMinor,
      basicAmountMinor,
      shippingAmountMinor,
      feeMinor: fee,
      totalAmountMinor: feeType === 'on_buyer' ? amountMinor + fee : amountMinor,
      netAmountMinor: feeType === 'on_buyer' ? amountMinor : amountMinor - fee,
      apiSource,
      buyer,
      terminalId,
      createdAtMs: now,
      expiresAtMs: now + expireInSecond * 1000,
      status: 'INIT',
      paymentUrl: '',
      virtualAccountData: [],
      createdBy,
    };
    invoice.paymentUrl = `${this.runtime.baseUrl}/sandbox/pay/${invoice.trxId}`;
    if (QRIS_METHODS.has(payMethod)) {
      invoice.qrContent = buildQris(merchant, { amountMinor: invoice.totalAmountMinor, billNumber: invoice.trxId!.slice(0, 25), terminalLabel: terminalId });
      // A whole-pixel scale (about 290 px for a QRIS string) draws 2.5x faster than resampling to a fixed width.
      invoice.qrImage = await QRCode.toDataURL(invoice.qrContent, { errorCorrectionLevel: 'M', margin: 2, scale: 4 });
    } else if (payMethod === 'BANK_TRANSFER' || payMethod.startsWith('VA_')) {
      invoice.virtualAccountData = ['MANDIRI', 'BNI', 'PERMATA'].map((bankCode) => ({ bankCode, virtualAccountNo: `88608${String(randomInt(0, 1e8)).padStart(8, '0')}` }));
    }
    this.store(invoice);
    return invoice;
  }

  /** T11: an invoice (payment page) not yet bound to a pay method. */
  createInvoice(clientId: string, body: WireBody): Invoice {
    const merchantId = body.string('custIdMerchant');
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const amountMinor = moneyOk(body, 'amount', true)!;
    const details = body.optObject('amountDetail');
    const commissionPercentage = body.optDecimalish('commissionPercentage') ?? '0';
    checkPercentage(commissionPercentage);
    const buyer = this.buyer(body.additionalInfo());
    if (amountMinor <= 0n) {
      throw new NetzmeError(404, '13', 'Invalid Amount');
    }
    this.merchants.require(merchantId);
    this.refuseDuplicate(clientId, partnerReferenceNo);
    const now = Date.now();
    const invoice: Invoice = {
      id: invoiceId(merchantId, now),
      clientId,
      merchantId,
      partnerReferenceNo,
      payMethod: 'NETZME',
      feeType: 'on_seller',
      commissionPercentage,
      amountMinor,
      basicAmountMinor: details ? moneyOk(details, 'basicAmount', false) : undefined,
      shippingAmountMinor: details ? moneyOk(details, 'shippingAmount', false) : undefined,
      feeMinor: 0n,
      totalAmountMinor: amountMinor,
      netAmountMinor: amountMinor,
      buyer,
      createdAtMs: now,
      expiresAtMs: now + DEFAULT_EXPIRE_SECONDS * 24 * 1000,
      status: 'INIT',
      paymentUrl: '',
      virtualAccountData: [],
      createdBy: 'create-invoice',
    };
    invoice.paymentUrl = `${this.runtime.baseUrl}/sandbox/pay/${invoice.id}`;
    this.store(invoice);
    return invoice;
  }

  /** T14: by trxId (what working clients send), or by invoice id or the partner's reference. */
  findForQuery(clientId: string, ref: string): Invoice | undefined {
    const invoice = this.byTrxId.get(ref) ?? this.byId.get(ref) ?? this.byPartnerRef.get(`${clientId} ${ref}`);
    return invoice ? this.refresh(invoice) : undefined;
  }

  findQrisPayment(rrn: string): QrisPaymentRecord | undefined {
    return this.qrisPayments.get(rrn);
  }

  /** Invoice QR lookup for the consumer side (a Netzme user scanning one of our dynamic QRs). */
  findByQrContent(qrContent: string): Invoice | undefined {
    const invoice = this.byQrContent.get(qrContent);
    return invoice ? this.refresh(invoice) : undefined;
  }

  /** Paid invoices and static QRIS payments of a merchant, newest first (T6). */
  merchantHistory(merchantId: string): { invoice?: Invoice; payment?: QrisPaymentRecord; atMs: number }[] {
    const items: { invoice?: Invoice; payment?: QrisPaymentRecord; atMs: number }[] = [];
    for (const invoice of this.byId.values()) {
      if (invoice.merchantId === merchantId && invoice.status === 'SUCCESS') {
        items.push({ invoice, payment: invoice.qrisPayment, atMs: invoice.paidAtMs! });
      }
    }
    for (const payment of this.qrisPayments.values()) {
      if (payment.merchantId === merchantId && !payment.invoiceId) {
        items.push({ payment, atMs: payment.paidAtMs });
      }
    }
    return items.sort((a, b) => b.atMs - a.atMs);
  }

  // ---- control -----------------------------------------------------------------------------------

  /** `:ref` = invoice id, trxId or the partner's partnerReferenceNo. */
  find(ref: string): Invoice | undefined {
    let invoice = this.byId.get(ref) ?? this.byTrxId.get(ref);
    if (!invoice) {
      for (const [key, candidate] of this.byPartnerRef) {
        if (key.endsWith(` ${ref}`)) {
          invoice = candidate;
          break;
        }
      }
    }
    return invoice ? this.refresh(invoice) : undefined;
  }

  /** The buyer pays: INIT -> SUCCESS, money credited, callback sent. Terminal states never change. */
  pay(ref: string, options: PayOptions = {}): Invoice {
    const invoice = this.find(ref);
    if (!invoice) {
      throw new NotFoundException(`no invoice with id, trxId or partnerReferenceNo ${ref}`);
    }
    if (invoice.status !== 'INIT') {
      throw new ConflictException(`invoice ${invoice.id} is ${invoice.status} and cannot be paid`);
    }
    const merchant = this.merchants.require(invoice.merchantId);
    const now = Date.now();
    invoice.status = 'SUCCESS';
    invoice.paidAtMs = now;
    invoice.trxId ??= uuid();
    this.byTrxId.set(invoice.trxId, invoice);

    if (invoice.apiSource === 'topup_deposit') {
      this.deposit.move(merchant, 'TOP_UP', invoice.amountMinor, invoice.partnerReferenceNo, `top-up ${invoice.id}`);
    } else {
      this.merchants.creditSale(merchant, invoice.netAmountMinor);
    }
    if (QRIS_METHODS.has(invoice.payMethod)) {
      invoice.qrisPayment = this.recordQrisPayment(merchant, invoice.clientId, invoice.totalAmountMinor, invoice.feeMinor, options, invoice);
    }

    // QRIS payments go out SNAP-signed (T18) when the partner chose that scheme; everything else as T15.
    if (invoice.qrisPayment && this.callbacks.authFor(invoice.clientId) === 'snap') {
      this.callbacks.send('qris-paid-snap', invoice.clientId, qrisPaidPayload(invoice.qrisPayment, merchant, invoice), invoice.trxId);
    } else {
      this.callbacks.send('invoice-paid', invoice.clientId, invoicePaidPayload(invoice, merchant, this.callbacks.invoiceReference()), invoice.trxId);
    }
    this.settle(invoice);
    return invoice;
  }

  /** The invoice expires now (control route); a paid invoice stays paid. */
  expire(ref: string): Invoice {
    const invoice = this.find(ref);
    if (!invoice) {
      throw new NotFoundException(`no invoice with id, trxId or partnerReferenceNo ${ref}`);
    }
    if (invoice.status !== 'INIT') {
      throw new ConflictException(`invoice ${invoice.id} is ${invoice.status} and cannot expire`);
    }
    this.close(invoice, Date.now());
    return invoice;
  }

  /** A buyer pays the merchant's static QRIS (no invoice): T16 `qris-paid` (or T18 with SNAP auth). */
  payStaticQris(merchantId: string, amountMinor: bigint, options: PayOptions = {}): QrisPaymentRecord {
    const merchant = this.merchants.find(merchantId);
    if (!merchant) {
      throw new NotFoundException(`no merchant ${merchantId}`);
    }
    const mdr = mdrFor('QRIS', amountMinor);
    const payment = this.recordQrisPayment(merchant, merchant.clientId, amountMinor, mdr, options);
    this.merchants.creditSale(merchant, amountMinor - mdr);
    const kind = this.callbacks.authFor(merchant.clientId) === 'snap' ? 'qris-paid-snap' : 'qris-paid';
    this.callbacks.send(kind, merchant.clientId, qrisPaidPayload(payment, merchant), payment.rrn);
    this.staticPayments.push(payment.rrn);
    while (this.staticPayments.length > this.options.retentionMaxSettled) {
      this.qrisPayments.delete(this.staticPayments.shift()!);
    }
    return payment;
  }

  all(): Invoice[] {
    return [...this.byId.values()].map((i) => this.refresh(i));
  }

  allQrisPayments(): QrisPaymentRecord[] {
    return [...this.qrisPayments.values()];
  }

  duplicatesRefused(clientId: string, partnerReferenceNo: string): number {
    return this.refusedDuplicates.get(`${clientId} ${partnerReferenceNo}`) ?? 0;
  }

  reset(): void {
    this.expiries.clear();
    this.settled.clear();
    this.staticPayments.clear();
    this.evictedRefs.clear();
    this.byId.clear();
    this.byTrxId.clear();
    this.byPartnerRef.clear();
    this.byQrContent.clear();
    this.qrisPayments.clear();
    this.refusedDuplicates.clear();
  }

  // ---- internals -------------------------------------------------------------------------------

  /**
   * The docs say `fullname` "must be alphabetic", yet Netzme's own WooCommerce plugin passes shop
   * names through unchanged ("José Müller", "Budi2") and works against Netzme. Netzme's real rule is
   * unknown, so the sandbox reads buyer fields as free text and refuses only a wrong JSON type.
   */
  private buyer(info: WireBody): Buyer {
    const fullname = info.optString('fullname');
    return {
      email: info.optString('email'),
      notes: info.optString('notes'),
      description: info.optString('description'),
      phoneNumber: info.optString('phoneNumber'),
      imageUrl: info.optString('imageUrl'),
      fullname,
    };
  }

  private refuseDuplicate(clientId: string, partnerReferenceNo: string): void {
    const key = `${clientId} ${partnerReferenceNo}`;
    if (this.byPartnerRef.has(key) || this.evictedRefs.has(key)) {
      this.refusedDuplicates.set(key, (this.refusedDuplicates.get(key) ?? 0) + 1);
      throw Errors.duplicateReference();
    }
  }

  private store(invoice: Invoice): void {
    this.byId.set(invoice.id, invoice);
    if (invoice.trxId) {
      this.byTrxId.set(invoice.trxId, invoice);
    }
    this.byPartnerRef.set(`${invoice.clientId} ${invoice.partnerReferenceNo}`, invoice);
    if (invoice.qrContent) {
      this.byQrContent.set(invoice.qrContent, invoice);
    }
    // Expiry is checked lazily on every read and by the deadline queue, so it also shows up in /sandbox/state.
    if (invoice.status === 'INIT') {
      this.expiries.add(invoice.expiresAtMs, invoice.id);
      // Entries of invoices paid before their expiry are dropped once they outnumber the pending ones.
      const pending = this.byId.size - this.settled.length;
      if (this.expiries.size > 2 * pending + 1024) {
        this.expiries.retain((id) => this.byId.get(id)?.status === 'INIT');
      }
    }
  }

  private refresh(invoice: Invoice, now = Date.now()): Invoice {
    if (invoice.status === 'INIT' && now >= invoice.expiresAtMs) {
      this.close(invoice, invoice.expiresAtMs);
    }
    return invoice;
  }

  private close(invoice: Invoice, atMs: number): void {
    invoice.status = 'CLOSED';
    invoice.closedAtMs = atMs;
    this.settle(invoice);
  }

  /**
   * A paid or expired invoice: its QR picture is no longer needed (the largest part of an invoice),
   * and past the retention limit the oldest settled invoice is dropped, its partner reference kept.
   */
  private settle(invoice: Invoice): void {
    invoice.qrImage = undefined;
    this.settled.push(invoice.id);
    while (this.settled.length > this.options.retentionMaxSettled) {
      this.evict(this.settled.shift()!);
    }
  }

  private evict(id: string): void {
    const invoice = this.byId.get(id);
    if (!invoice || invoice.status === 'INIT') {
      return;
    }
    const key = `${invoice.clientId} ${invoice.partnerReferenceNo}`;
    this.byId.delete(id);
    if (invoice.trxId) {
      this.byTrxId.delete(invoice.trxId);
    }
    if (this.byPartnerRef.get(key) === invoice) {
      this.byPartnerRef.delete(key);
    }
    if (invoice.qrContent) {
      this.byQrContent.delete(invoice.qrContent);
    }
    if (invoice.qrisPayment) {
      this.qrisPayments.delete(invoice.qrisPayment.rrn);
    }
    this.refusedDuplicates.delete(key);
    this.evictedRefs.add(key);
  }

  // ---- persistence -------------------------------------------------------------------------------

  exportState(): InvoicesState {
    return {
      // Without the QR picture: it is drawn again for pending invoices at load, and settled ones no longer need it.
      invoices: [...this.byId.values()].map((i) => ({ ...i, qrImage: undefined })),
      settledOrder: this.settled.toArray().filter((id) => this.byId.has(id)),
      staticQrisPayments: this.staticPayments.toArray().map((rrn) => this.qrisPayments.get(rrn)).filter((p): p is QrisPaymentRecord => p !== undefined),
      refusedDuplicates: [...this.refusedDuplicates],
      evictedReferences: this.evictedRefs.values(),
    };
  }

  /** Load a saved state (into an empty service): pending invoices get their QR picture and expiry back. */
  async importState(state: InvoicesState): Promise<void> {
    for (const key of state.evictedReferences) {
      this.evictedRefs.add(key);
    }
    for (const invoice of state.invoices) {
      if (invoice.status === 'INIT' && invoice.qrContent) {
        invoice.qrImage = await QRCode.toDataURL(invoice.qrContent, { errorCorrectionLevel: 'M', margin: 2, scale: 4 });
      }
      this.store(invoice);
      if (invoice.qrisPayment) {
        this.qrisPayments.set(invoice.qrisPayment.rrn, invoice.qrisPayment);
      }
    }
    state.settledOrder.forEach((id) => this.settled.push(id));
    for (const payment of state.staticQrisPayments) {
      this.qrisPayments.set(payment.rrn, payment);
      this.staticPayments.push(payment.rrn);
    }
    for (const [key, count] of state.refusedDuplicates) {
      this.refusedDuplicates.set(key, count);
    }
    // Invoices that expired while the sandbox was down close now (and count as settled).
    for (const invoice of state.invoices) {
      this.refresh(invoice);
    }
  }

  private recordQrisPayment(merchant: Merchant, clientId: string, amountMinor: bigint, mdrMinor: bigint, options: PayOptions, invoice?: Invoice): QrisPaymentRecord {
    const now = Date.now();
    const issuer = ISSUERS.find((i) => i.name === options.issuerName?.toUpperCase()) ?? { name: options.issuerName ?? ISSUERS[0].name, id: ISSUERS[0].id };
    const payment: QrisPaymentRecord = {
      rrn: newRrn(now),
      merchantId: merchant.merchantId,
      clientId,
      amountMinor,
      mdrMinor,
      invoiceId: invoice?.id,
      trxId: invoice?.trxId,
      issuerName: issuer.name,
      issuerId: issuer.id,
      customerPan: options.customerPan ?? `${issuer.id}${String(randomInt(0, 1e8)).padStart(8, '0')}`,
      customerName: options.buyerFullname ?? invoice?.buyer.fullname ?? 'SANDBOX BUYER',
      buyerUserId: options.buyerUserId ?? '',
      terminalId: invoice?.terminalId ?? 'A01',
      paidAtMs: now,
      isOnUs: issuer.name === 'NETZME',
    };
    this.qrisPayments.set(payment.rrn, payment);
    return payment;
  }
}
