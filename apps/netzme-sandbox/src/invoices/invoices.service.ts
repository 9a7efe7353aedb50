import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import * as QRCode from 'qrcode';
import { CallbacksService } from '../callbacks/callbacks.service';
import { invoicePaidPayload, qrisPaidPayload } from '../callbacks/payloads';
import { mdrFor } from '../common/fees';
import { invoiceId, newRrn, uuid } from '../common/ids';
import { Errors, NetzmeError } from '../common/netzme-error';
import { RuntimeInfoService } from '../common/runtime-info.service';
import { TimersService } from '../common/timers.service';
import type { WireBody } from '../common/wire-body';
import { DepositLedgerService } from '../deposit/deposit-ledger.service';
import { MerchantsService, type Merchant } from '../merchants/merchants.service';
import type { Buyer, Invoice, QrisPaymentRecord } from './invoice.model';
import { buildQris } from './qris';

/** Pay methods Create Invoice Transaction accepts (PROTOCOL.md T12 and Netzme's QA tool). */
export const PAY_METHODS = new Set([
  'QRIS', 'QRIS_DINAMIS_TERMINAL', 'BANK_TRANSFER', 'BCA', 'NETZME', 'NETZME_SEAMLESS', 'RETAIL_OUTLET', 'OVO', 'DANA', 'CREDIT_CARD',
  'INDOMARET', 'DKI', 'VA_BCA', 'VA_BRI', 'VA_BNI', 'VA_MANDIRI', 'VA_PERMATA',
]);

const QRIS_METHODS = new Set(['QRIS', 'QRIS_DINAMIS_TERMINAL']);
const DEFAULT_EXPIRE_SECONDS = 3600;
const MAX_TIMER_MS = 2 ** 31 - 1;
const ISSUERS = [
  { name: 'GOPAY', id: '93600914' },
  { name: 'OVO', id: '93600912' },
  { name: 'DANA', id: '93600915' },
  { name: 'NETZME', id: '93600814' },
];

export interface PayOptions {
  issuerName?: string;
  buyerFullname?: string;
  customerPan?: string;
  /** Consumer-side QRIS payment (N12): the paying Netzme user. */
  buyerUserId?: string;
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
  private readonly expiryTimers = new Map<string, () => void>();
  private readonly refusedDuplicates = new Map<string, number>();

  constructor(
    private readonly merchants: MerchantsService,
    private readonly callbacks: CallbacksService,
    private readonly deposit: DepositLedgerService,
    private readonly timers: TimersService,
    private readonly runtime: RuntimeInfoService,
  ) {}

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
    const commissionPercentage = body.optIntegerish('commissionPercentage') ?? 0;
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
    if (commissionPercentage < 0 || commissionPercentage > 100) {
      throw Errors.fieldFormat('CommissionPercentage');
    }
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
    const commissionPercentage = body.optIntegerish('commissionPercentage') ?? 0;
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
    this.cancelExpiry(invoice.id);

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
    for (const cancel of this.expiryTimers.values()) {
      cancel();
    }
    this.expiryTimers.clear();
    this.byId.clear();
    this.byTrxId.clear();
    this.byPartnerRef.clear();
    this.byQrContent.clear();
    this.qrisPayments.clear();
    this.refusedDuplicates.clear();
  }

  // ---- internals -------------------------------------------------------------------------------

  private buyer(info: WireBody): Buyer {
    const fullname = info.optString('fullname');
    if (fullname !== undefined && fullname !== '' && !/^[A-Za-z .'-]+$/.test(fullname)) {
      throw Errors.fieldFormat('Fullname'); // "must be alphabetic" (T12)
    }
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
    if (this.byPartnerRef.has(key)) {
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
    this.scheduleExpiry(invoice);
  }

  /** Expiry is checked lazily on every read and by this timer, so it also shows up in /sandbox/state. */
  private scheduleExpiry(invoice: Invoice): void {
    // setTimeout cannot wait longer than ~24.8 days: wake up and wait again for long expiries.
    const wait = Math.min(invoice.expiresAtMs - Date.now(), MAX_TIMER_MS);
    this.expiryTimers.set(
      invoice.id,
      this.timers.schedule(wait, () => {
        this.refresh(invoice);
        if (invoice.status === 'INIT') {
          this.scheduleExpiry(invoice);
        }
      }),
    );
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
    this.cancelExpiry(invoice.id);
  }

  private cancelExpiry(id: string): void {
    this.expiryTimers.get(id)?.();
    this.expiryTimers.delete(id);
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
