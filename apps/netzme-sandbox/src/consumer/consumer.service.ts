import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { fromMinor, jakartaTimestamp, type ConsumerQrisPaymentCallback } from '@app/snap';
import { CallbacksService } from '../callbacks/callbacks.service';
import { money } from '../common/format';
import { uuid } from '../common/ids';
import { Errors } from '../common/netzme-error';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import type { SandboxCredentials } from '../credentials/credentials';
import { pruneLog } from '../state/retention';

export type UpgradeStatus = 'none' | 'pending' | 'approved_v2' | 'rejected';

export interface ConsumerHistoryEntry {
  seq: number;
  atMs: number;
  /** e.g. payment_bill, qris_payment, topup */
  type: string;
  side: 'debit' | 'credit';
  amountMinor: bigint;
  balanceAfterMinor: bigint;
  trxId: string;
  description: string;
  billId?: string;
  source: string;
}

/** A Netzme app user the consumer-side endpoints (N4–N12) answer for. */
export interface ConsumerUser {
  custId: string;
  clientId: string;
  fullName: string;
  phoneNo: string;
  userStatus: 'premium' | 'basic';
  userType: 'regular';
  upgradeStatus: UpgradeStatus;
  benefits: string[];
  cashMinor: bigint;
  pointsMinor: bigint;
  history: ConsumerHistoryEntry[];
  virtualAccounts: { bankCode: string; virtualAccountNo: string }[];
}

const PREMIUM_BENEFITS = ['Sekarang kamu bisa transfer saldo Netzme kamu ke rekening bank manapun.', 'Sekarang kamu bisa isi saldo Netzme sampai Rp 10 juta.'];

/**
 * Netzme (consumer side) users: account status, balances and history, and the events that reach
 * the partner as callbacks — bill payments (N15), account upgrades (N17), QRIS payments (N13).
 */
@Injectable()
export class ConsumerService {
  private readonly users = new Map<string, ConsumerUser>();
  private seqCounter = 0;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    private readonly callbacks: CallbacksService,
  ) {
    this.reset();
  }

  reset(): void {
    this.users.clear();
    this.seqCounter = 0;
    this.seed(this.options.credentials);
  }

  /** Two users: the credentials' premium user with money and history, and a basic one to upgrade. */
  seed(credentials: SandboxCredentials): void {
    const custId = credentials.consumer?.custId ?? 'Mw6STUQK';
    const premium = this.add({
      custId,
      clientId: credentials.clientId,
      fullName: 'Sandbox Premium User',
      phoneNo: '081300000001',
      userStatus: 'premium',
      upgradeStatus: 'approved_v2',
      benefits: ['Request approved'],
      cashMinor: 0n,
      pointsMinor: 250000n,
    });
    this.move(premium, 'topup', 150000000n, 'Top up via VA BCA', 'bca');
    this.add({
      custId: custId === 'G7tKXzoD' ? 'H8uLYapE' : 'G7tKXzoD',
      clientId: credentials.clientId,
      fullName: 'Sandbox Basic User',
      phoneNo: '081300000002',
      userStatus: 'basic',
      upgradeStatus: 'none',
      benefits: [],
      cashMinor: 5000000n,
      pointsMinor: 0n,
    });
  }

  /** The user, or `403xx18 Account Inactive` (what Netzme answers for an unknown account). */
  require(custId: string): ConsumerUser {
    const user = this.users.get(custId);
    if (!user) {
      throw Errors.accountInactive();
    }
    return user;
  }

  find(custId: string): ConsumerUser | undefined {
    return this.users.get(custId);
  }

  /** Debit (negative) or credit the user's cash and write the history entry. */
  move(user: ConsumerUser, type: string, amountMinor: bigint, description: string, source: string, billId?: string): ConsumerHistoryEntry {
    if (amountMinor < 0n && user.cashMinor + amountMinor < 0n) {
      throw Errors.insufficientFunds();
    }
    user.cashMinor += amountMinor;
    const entry: ConsumerHistoryEntry = {
      seq: ++this.seqCounter,
      atMs: Date.now(),
      type,
      side: amountMinor < 0n ? 'debit' : 'credit',
      amountMinor: amountMinor < 0n ? -amountMinor : amountMinor,
      balanceAfterMinor: user.cashMinor,
      trxId: uuid(),
      description,
      billId,
      source,
    };
    user.history.push(entry);
    pruneLog(user.history, this.options.retentionMaxSettled); // retention: the oldest entries go first
    return entry;
  }

  /** Newest first; `seqId` > 0 continues after that entry (cursor pagination, INFERRED). */
  history(user: ConsumerUser, pageSize: number, seqId: number): ConsumerHistoryEntry[] {
    const entries = [...user.history].reverse().filter((e) => seqId <= 0 || e.seq < seqId);
    return entries.slice(0, Math.max(1, Math.min(pageSize, 100)));
  }

  /** Control: the user paid a partner's bill in Netzme's webview (N14); N15 goes to the partner. */
  payBill(custId: string, bill: { billId?: string; amountMinor: bigint; description?: string }): ConsumerHistoryEntry {
    const user = this.users.get(custId);
    if (!user) {
      throw new NotFoundException(`no Netzme user ${custId}`);
    }
    if (user.cashMinor < bill.amountMinor) {
      throw new ConflictException(`user ${custId} has only ${fromMinor(user.cashMinor)} IDR`);
    }
    const billId = bill.billId ?? uuid();
    const entry = this.move(user, 'payment_bill', -bill.amountMinor, bill.description ?? 'payment bill', user.clientId, billId);
    this.callbacks.send(
      'bill-paid',
      user.clientId,
      {
        latestTransactionStatus: '00',
        transactionStatusDesc: 'Success',
        originalReferenceNo: entry.trxId,
        balance: money(user.cashMinor),
        amount: money(bill.amountMinor), // sandbox extension (not in the N15 example)
        additionalInfo: { type: 'payment_bill', billId, source: user.clientId, description: entry.description, refId: uuid() },
      },
      billId,
    );
    return entry;
  }

  /** N18 (INFERRED): the user starts the upgrade (KYC) flow; it stays pending until decided. */
  startUpgrade(user: ConsumerUser): void {
    if (user.upgradeStatus !== 'approved_v2') {
      user.upgradeStatus = 'pending';
    }
  }

  /** Control: Netzme finished KYC; N17 goes to the partner. */
  decideUpgrade(custId: string, approved: boolean, rejectReasons: string[] = ['Foto KTP tidak jelas']): ConsumerUser {
    const user = this.users.get(custId);
    if (!user) {
      throw new NotFoundException(`no Netzme user ${custId}`);
    }
    user.upgradeStatus = approved ? 'approved_v2' : 'rejected';
    if (approved) {
      user.userStatus = 'premium';
      user.benefits = [...PREMIUM_BENEFITS];
    }
    const additionalInfo: Record<string, unknown> = {
      type: 'upgrade_account',
      identificationCardImageUrl: `https://sandbox.invalid/cdd/${custId}/ktp.jpg`,
      selfieImageUrl: `https://sandbox.invalid/cdd/${custId}/selfie.jpg`,
    };
    if (approved) {
      additionalInfo.benefits = user.benefits;
    } else {
      additionalInfo.rejectReasons = rejectReasons;
    }
    this.callbacks.send(
      'account-upgrade',
      user.clientId,
      { originalReferenceNo: uuid(), custId, motherMaidenName: 'SANDBOX', status: approved ? 'approved' : 'rejected', additionalInfo },
      custId,
    );
    return user;
  }

  setBalance(custId: string, cashMinor?: bigint, pointsMinor?: bigint): ConsumerUser | undefined {
    const user = this.users.get(custId);
    if (user) {
      user.cashMinor = cashMinor ?? user.cashMinor;
      user.pointsMinor = pointsMinor ?? user.pointsMinor;
    }
    return user;
  }

  snapshot(): Record<string, unknown>[] {
    return [...this.users.values()].map((u) => ({
      custId: u.custId,
      fullName: u.fullName,
      userStatus: u.userStatus,
      upgradeStatus: u.upgradeStatus,
      cash: fromMinor(u.cashMinor),
      points: fromMinor(u.pointsMinor),
      history: u.history.map((e) => ({
        seq: e.seq,
        type: e.type,
        side: e.side,
        amount: fromMinor(e.amountMinor),
        balanceAfter: fromMinor(e.balanceAfterMinor),
        at: jakartaTimestamp(new Date(e.atMs)),
      })),
    }));
  }

  exportState(): { users: ConsumerUser[]; seq: number } {
    return { users: [...this.users.values()], seq: this.seqCounter };
  }

  /** Replaces the seeded users with the saved ones. */
  importState(state: { users: ConsumerUser[]; seq: number }): void {
    this.users.clear();
    for (const user of state.users) {
      this.users.set(user.custId, user);
    }
    this.seqCounter = state.seq;
  }

  /** QRIS paid by a user (N12): notify the partner (N13). */
  notifyQrisPayment(user: ConsumerUser, payload: ConsumerQrisPaymentCallback, subject: string): void {
    this.callbacks.send('qris-payment', user.clientId, payload, subject);
  }

  private add(init: Omit<ConsumerUser, 'userType' | 'history' | 'virtualAccounts'>): ConsumerUser {
    const user: ConsumerUser = {
      ...init,
      userType: 'regular',
      history: [],
      virtualAccounts: [
        { bankCode: 'BCA', virtualAccountNo: `39358${init.phoneNo.slice(1)}` },
        { bankCode: 'MANDIRI', virtualAccountNo: `89608${init.phoneNo.slice(1)}` },
        { bankCode: 'BRI', virtualAccountNo: `12345${init.phoneNo.slice(1)}` },
      ],
    };
    this.users.set(user.custId, user);
    return user;
  }
}
