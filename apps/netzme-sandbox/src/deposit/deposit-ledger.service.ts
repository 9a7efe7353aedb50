import { Inject, Injectable } from '@nestjs/common';
import type { Merchant } from '../merchants/merchants.service';
import { uuid } from '../common/ids';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import { pruneLog } from '../state/retention';

export type DepositEntryType = 'TOP_UP' | 'SPLIT_FEE' | 'WITHDRAW' | 'WITHDRAW_REVERSAL';

/** One movement of the prepaid deposit (what Get Deposit Transaction lists). */
export interface DepositEntry {
  id: string;
  merchantId: string;
  type: DepositEntryType;
  /** Positive: credit; negative: debit. */
  amountMinor: bigint;
  balanceAfterMinor: bigint;
  /** partnerReferenceNo / invoice id / withdrawal referenceNo the movement belongs to. */
  reference: string;
  description: string;
  atMs: number;
}

/**
 * The partner's prepaid deposit: every change of `merchant.depositBalance` goes through here so
 * that the balance and the history (T25, T26) always agree.
 */
@Injectable()
export class DepositLedgerService {
  private readonly entries: DepositEntry[] = [];

  constructor(@Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions) {}

  move(merchant: Merchant, type: DepositEntryType, amountMinor: bigint, reference: string, description: string): DepositEntry {
    merchant.depositBalance += amountMinor;
    const entry: DepositEntry = {
      id: uuid(),
      merchantId: merchant.merchantId,
      type,
      amountMinor,
      balanceAfterMinor: merchant.depositBalance,
      reference,
      description,
      atMs: Date.now(),
    };
    this.entries.push(entry);
    pruneLog(this.entries, this.options.retentionMaxSettled); // retention: the oldest movements go first
    return entry;
  }

  forMerchant(merchantId: string): DepositEntry[] {
    return this.entries.filter((e) => e.merchantId === merchantId);
  }

  all(): DepositEntry[] {
    return this.entries;
  }

  reset(): void {
    this.entries.length = 0;
  }

  exportState(): DepositEntry[] {
    return this.entries;
  }

  importState(entries: DepositEntry[]): void {
    this.entries.push(...entries);
  }
}
