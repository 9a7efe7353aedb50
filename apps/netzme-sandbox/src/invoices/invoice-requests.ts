import { PAY_METHODS as WIRE_PAY_METHODS, type InvoiceBuyerInfo } from '@app/snap';
import { Errors, NetzmeError } from '../common/netzme-error';
import type { WireBody } from '../common/wire-body';
import type { Invoice } from './invoice.model';

/**
 * Reading the create requests (T11 Create Invoice; T12/T21 Create Invoice Transaction; T13 QR MPM)
 * as Netzme does: each field read from the signed body, refused with Netzme's code when malformed.
 */

/**
 * Pay methods Create Invoice Transaction accepts: the docs' list (T12) plus the ones Netzme's own QA
 * tool offers (`INDOMARET` … `VA_CIMB`, `VA_BCA_PZ`).
 */
export const PAY_METHODS: ReadonlySet<string> = new Set(WIRE_PAY_METHODS);

export const QRIS_METHODS = new Set(['QRIS', 'QRIS_DINAMIS_TERMINAL']);
export const DEFAULT_EXPIRE_SECONDS = 3600;

/** A Create Invoice Transaction request, read and checked. */
export interface TransactionRequest {
  merchantId: string;
  partnerReferenceNo: string;
  amountMinor: bigint;
  payMethod: string;
  basicAmountMinor?: bigint;
  shippingAmountMinor?: bigint;
  feeType: Invoice['feeType'];
  commissionPercentage: string;
  expireInSecond: number;
  buyer: InvoiceBuyerInfo;
  apiSource?: string;
  terminalId?: string;
}

/** 0–100; the text is already a plain decimal, so Number() only serves the range check. */
export function checkPercentage(text: string): void {
  const value = Number(text);
  if (value < 0 || value > 100) {
    throw Errors.fieldFormat('CommissionPercentage');
  }
}

/** An `{ value, currency }` field in minor units; Netzme takes IDR only. */
export function moneyOk(body: WireBody, name: string, required: boolean): bigint | undefined {
  const value = required ? body.money(name) : body.optMoney(name);
  if (value && value.currency !== 'IDR') {
    throw Errors.invalidCurrency();
  }
  return value?.minor;
}

export function checkPositiveAmount(amountMinor: bigint): void {
  if (amountMinor <= 0n) {
    throw new NetzmeError(404, '13', 'Invalid Amount');
  }
}

/**
 * The docs say `fullname` "must be alphabetic", yet Netzme's own WooCommerce plugin passes shop
 * names through unchanged ("José Müller", "Budi2") and works against Netzme. Netzme's real rule is
 * unknown, so the sandbox reads buyer fields as free text and refuses only a wrong JSON type.
 */
export function buyerOf(info: WireBody): InvoiceBuyerInfo {
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

function isFeeType(text: string): text is Invoice['feeType'] {
  return text === 'on_seller' || text === 'on_buyer';
}

/** T12 / T21 / T13: every field read first (format errors), then the value checks, in Netzme's order. */
export function readTransactionRequest(body: WireBody, createdBy: Invoice['createdBy']): TransactionRequest {
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
  const buyer = buyerOf(info);
  const apiSource = info.optString('apiSource') ?? body.optString('apiSource');
  const terminalId = body.optString('terminalId') ?? body.optString('terminal_id');

  if (!PAY_METHODS.has(payMethod)) {
    throw Errors.fieldFormat('PayMethod');
  }
  if (!isFeeType(feeType)) {
    throw Errors.fieldFormat('FeeType');
  }
  checkPercentage(commissionPercentage);
  if (expireInSecond <= 0) {
    throw Errors.fieldFormat('ExpireInSecond');
  }
  checkPositiveAmount(amountMinor);
  return {
    merchantId,
    partnerReferenceNo,
    amountMinor,
    payMethod,
    basicAmountMinor,
    shippingAmountMinor,
    feeType,
    commissionPercentage,
    expireInSecond,
    buyer,
    apiSource,
    terminalId,
  };
}
