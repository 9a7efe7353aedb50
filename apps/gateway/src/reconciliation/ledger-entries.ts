import { toMinorLenient } from '@app/snap';
import type { TransactionListItem, WithdrawInformationResponse } from '@app/snap';
import type { LedgerEntry, Settlement } from './reconcile';

/**
 * Both sides' records turned into LedgerEntry: Netzme's wire items (transaction list, deposit
 * history, withdraw status) and our modules' views (orders, withdrawals). Pure functions; anything
 * unreadable is reported back rather than guessed.
 */

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Netzme timestamps: epoch-millis numbers or strings, or ISO-8601 with an offset. */
export function netzmeTime(...candidates: unknown[]): Date | null {
  for (const value of candidates) {
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
      return new Date(value);
    }
    if (typeof value === 'string' && /^\d{12,14}$/.test(value)) {
      return new Date(Number(value));
    }
    if (typeof value === 'string' && value !== '') {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return new Date(ms);
    }
  }
  return null;
}

function amountOf(value: unknown): bigint | null {
  if (value && typeof value === 'object' && 'value' in value) {
    return toMinorLenient((value as { value: string | number }).value);
  }
  return typeof value === 'string' || typeof value === 'number' ? toMinorLenient(value) : null;
}

/** Transaction/invoice status words Netzme uses (SUCCESS/paid, INIT/unpaid, CLOSED/expired/failed). */
export function netzmeSettlement(status: unknown): Settlement {
  // Only words and numeric codes are statuses; anything else (an object, an array) counts as failed.
  const s = typeof status === 'string' || typeof status === 'number' ? String(status).trim().toUpperCase() : '';
  if (['SUCCESS', 'PAID', 'SETTLED', 'COMPLETED', '00'].includes(s)) return 'SETTLED';
  if (['INIT', 'PENDING', 'UNPAID', 'PROCESSING', '01', '02', '03'].includes(s)) return 'OPEN';
  return 'FAILED';
}

export interface Parsed {
  entries: LedgerEntry[];
  /** Items left out, with why (e.g. deposit top-ups, which this report does not compare yet). */
  skipped: Record<string, number>;
  /** Items that could not be read (no amount, no id): each is a problem to look at. */
  unreadable: string[];
}

const skip = (parsed: Parsed, why: string) => {
  parsed.skipped[why] = (parsed.skipped[why] ?? 0) + 1;
};

/**
 * Get Transaction List (T6) items: invoice payments (our orders) and QRIS payments without an
 * invoice. Deposit top-ups also appear there as TOP_UP; they belong to the deposit and are skipped.
 */
export function paymentEntries(items: TransactionListItem[]): Parsed {
  const parsed: Parsed = { entries: [], skipped: {}, unreadable: [] };
  for (const item of items) {
    const info = (item.additionalInfo ?? {}) as Record<string, unknown>;
    const type = String(item.type ?? '').toUpperCase();
    if (type === 'TOP_UP') {
      skip(parsed, 'deposit top-up (transaction list)');
      continue;
    }
    const trxId = text(info.transactionId);
    const invoiceId = text(info.invoiceId);
    const amountMinor = amountOf(item.amount) ?? amountOf(info.totalAmount);
    const id = trxId ?? invoiceId ?? text(info.rrn);
    if (!id || amountMinor === null) {
      parsed.unreadable.push(`transaction list item without ${id ? 'a readable amount' : 'a transaction id'}: ${JSON.stringify(item).slice(0, 300)}`);
      continue;
    }
    const isInvoice = invoiceId !== undefined && info.invoiceType !== 'qris_static';
    parsed.entries.push({
      source: isInvoice ? 'ORDER' : 'QRIS_PAYMENT',
      id,
      keys: [trxId, invoiceId, text(info.partnerReferenceNo), text(info.rrn)].filter((k): k is string => k !== undefined),
      amountMinor,
      state: netzmeSettlement(item.status),
      status: String(item.status ?? ''),
      at: netzmeTime(info.paidTs, info.tsLong, info.ts, item.dateTime, info.createdTs),
    });
  }
  return parsed;
}

/**
 * Get Deposit Transaction (T25) items. A deposit withdrawal shows as a WITHDRAW debit, plus a
 * WITHDRAW_REVERSAL credit with the same reference when the transfer failed; both collapse into one
 * entry keyed by the withdrawal's referenceNo. Top-ups and split fees are not compared yet.
 */
export function depositEntries(items: TransactionListItem[]): Parsed {
  const parsed: Parsed = { entries: [], skipped: {}, unreadable: [] };
  const withdrawals = new Map<string, { debit?: TransactionListItem; reversal?: TransactionListItem }>();
  for (const item of items) {
    const info = (item.additionalInfo ?? {}) as Record<string, unknown>;
    const type = String(item.type ?? '').toUpperCase();
    if (type === 'WITHDRAW' || type === 'WITHDRAW_REVERSAL') {
      const reference = text(info.referenceNo);
      if (!reference) {
        parsed.unreadable.push(`deposit ${type} without a referenceNo: ${JSON.stringify(item).slice(0, 300)}`);
        continue;
      }
      const pair = withdrawals.get(reference) ?? {};
      if (type === 'WITHDRAW') pair.debit = item;
      else pair.reversal = item;
      withdrawals.set(reference, pair);
    } else {
      skip(parsed, type === 'TOP_UP' ? 'deposit top-up' : type === 'SPLIT_FEE' ? 'deposit split fee' : `deposit ${type || 'movement'}`);
    }
  }
  for (const [reference, { debit, reversal }] of withdrawals) {
    const first = debit ?? reversal!;
    const info = (first.additionalInfo ?? {}) as Record<string, unknown>;
    const amountMinor = amountOf(first.amount);
    if (amountMinor === null) {
      parsed.unreadable.push(`deposit withdrawal ${reference} without a readable amount`);
      continue;
    }
    parsed.entries.push({
      source: 'DEPOSIT_WITHDRAWAL',
      id: reference,
      keys: [reference],
      amountMinor: amountMinor < 0n ? -amountMinor : amountMinor,
      // Debited and not given back: the money left the deposit. Given back: the transfer failed.
      state: reversal ? 'FAILED' : 'SETTLED',
      status: reversal ? 'WITHDRAW_REVERSED' : 'WITHDRAW',
      at: netzmeTime(info.tsLong, info.ts, info.createdTs, first.dateTime),
    });
  }
  return parsed;
}

/** Get Information Withdraw (T9): latestTransactionStatus 00 success, 03 pending, 06/07 failed. */
export function withdrawStatusEntry(
  res: WithdrawInformationResponse,
  ours: { referenceNo: string; partnerReferenceNo: string; createdAt: Date },
): LedgerEntry | null {
  const amountMinor = amountOf(res.amount);
  const code = String(res.latestTransactionStatus ?? '').trim();
  if (amountMinor === null || code === '') {
    return null;
  }
  return {
    source: 'WITHDRAWAL',
    id: text(res.originalReferenceNo) ?? ours.referenceNo,
    keys: [text(res.originalReferenceNo) ?? ours.referenceNo, text(res.originalPartnerReferenceNo) ?? ours.partnerReferenceNo],
    amountMinor,
    state: code === '00' ? 'SETTLED' : ['01', '02', '03'].includes(code) ? 'OPEN' : 'FAILED',
    status: code,
    // Netzme's answer carries no date: it is the status of the payout we created that day.
    at: ours.createdAt,
  };
}

// ---- our side -------------------------------------------------------------------------------------

/** What reconciliation needs of an order (a projection of the invoice module's Order). */
export interface OrderRecord {
  id: string;
  status: string;
  partnerReferenceNo: string;
  netzmeTrxId: string | null;
  netzmeInvoiceId: string | null;
  amountMinor: bigint;
  paidAmountMinor: bigint | null;
  paidAt: Date | null;
  createdAt: Date;
}

export function orderEntry(order: OrderRecord): LedgerEntry {
  const state: Settlement = order.status === 'PAID' ? 'SETTLED' : ['EXPIRED', 'FAILED'].includes(order.status) ? 'FAILED' : 'OPEN';
  return {
    source: 'ORDER',
    id: order.id,
    keys: [order.netzmeTrxId, order.netzmeInvoiceId, order.partnerReferenceNo].filter((k): k is string => !!k),
    // What Netzme told us was paid when we know it, otherwise what we asked for.
    amountMinor: order.paidAmountMinor ?? order.amountMinor,
    state,
    status: order.status,
    at: state === 'SETTLED' ? (order.paidAt ?? order.createdAt) : order.createdAt,
  };
}

/** What reconciliation needs of a withdrawal (merchant or deposit). */
export interface PayoutRecord {
  id: string;
  status: string;
  amountMinor: bigint;
  partnerReferenceNo: string;
  referenceNo: string | null;
  createdAt: Date;
}

export function payoutEntry(payout: PayoutRecord, source: 'WITHDRAWAL' | 'DEPOSIT_WITHDRAWAL'): LedgerEntry {
  const state: Settlement = payout.status === 'SUCCEEDED' ? 'SETTLED' : payout.status === 'FAILED' ? 'FAILED' : 'OPEN';
  return {
    source,
    id: payout.id,
    keys: [payout.referenceNo, payout.partnerReferenceNo].filter((k): k is string => !!k),
    amountMinor: payout.amountMinor,
    state,
    status: payout.status,
    at: payout.createdAt,
  };
}
