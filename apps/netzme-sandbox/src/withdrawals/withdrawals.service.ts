import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { constantTimeEquals } from '@app/snap';
import { CallbacksService } from '../callbacks/callbacks.service';
import { withdrawalStatusPayload } from '../callbacks/payloads';
import { uuid } from '../common/ids';
import { Errors, NetzmeError } from '../common/netzme-error';
import { TimersService } from '../common/timers.service';
import type { WireBody } from '../common/wire-body';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import { DepositLedgerService } from '../deposit/deposit-ledger.service';
import { MerchantsService, type BankAccount, type Merchant } from '../merchants/merchants.service';
import { FifoQueue, RecentSet, SEEN_REFERENCES_FACTOR } from '../state/retention';
import type { Withdrawal, WithdrawalKind, WithdrawalsState } from './withdrawal.model';

/** Minimum per withdrawal: merchant balance 0.00 (T8 example), deposit 50,000.00 (T22 example). */
const MINIMUM_MINOR: Record<WithdrawalKind, bigint> = { merchant: 0n, deposit: 5000000n };

/**
 * Withdraw inquiry / process / status for the merchant balance (T8, T27, T9) and the deposit
 * (T22, T23, T24). A withdrawal is debited when accepted, stays PROCESSING (`03`) until completed
 * (control route or auto-complete), and ends SUCCESS or FAILED (money returned); then T19 is sent.
 */
@Injectable()
export class WithdrawalsService {
  private readonly byReferenceNo = new Map<string, Withdrawal>();
  private readonly byPartnerRef = new Map<string, Withdrawal>();
  /** Finished transfers (referenceNo), oldest first: the retention limit drops from the front. */
  private readonly finished = new FifoQueue<string>();
  /**
   * References of dropped transfers. A repeated partnerReferenceNo stays refused and still counts
   * as accepted once in `/sandbox/state` (acceptedByPartnerReferenceNo) after the full record is gone.
   */
  private readonly evictedRefs: RecentSet;
  private readonly evictedReferenceNos: RecentSet;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    private readonly merchants: MerchantsService,
    private readonly deposit: DepositLedgerService,
    private readonly callbacks: CallbacksService,
    private readonly timers: TimersService,
  ) {
    const capacity = () => this.options.retentionMaxSettled * SEEN_REFERENCES_FACTOR;
    this.evictedRefs = new RecentSet(capacity);
    this.evictedReferenceNos = new RecentSet(capacity);
  }

  minimum(kind: WithdrawalKind): bigint {
    return MINIMUM_MINOR[kind];
  }

  available(merchant: Merchant, kind: WithdrawalKind): bigint {
    return kind === 'merchant' ? merchant.settledBalance : merchant.depositBalance;
  }

  account(merchant: Merchant, kind: WithdrawalKind): BankAccount {
    return kind === 'merchant' ? merchant.bank : merchant.depositBank;
  }

  /** T27 / T23: validate, refuse duplicates, check PIN and funds, debit once. */
  submit(clientId: string, kind: WithdrawalKind, body: WireBody): Withdrawal {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const merchantId = body.string('customerNumber');
    const amount = body.money('amount');
    const beneficiary: BankAccount = {
      accountName: body.string('beneficiaryAccountName'),
      accountNumber: body.string('beneficiaryAccountNumber'),
      bankName: body.string('beneficiaryBankName'),
      bankCode: body.string('beneficiaryBankCode'),
    };
    const info = body.object('additionalInfo');
    // Netzme's QA tool sends submit_withdraw for the deposit too; the notification says submit_withdraw_deposit.
    info.requireType(kind === 'merchant' ? 'submit_withdraw' : ['submit_withdraw', 'submit_withdraw_deposit']);
    const pin = info.string('pin');
    const requestedReferenceNo = kind === 'deposit' ? body.optString('referenceNo') : undefined;

    if (amount.currency !== 'IDR') {
      throw Errors.invalidCurrency();
    }
    const merchant = this.merchants.require(merchantId);
    const duplicate = this.byPartnerRef.get(this.key(clientId, kind, partnerReferenceNo));
    const seenBefore = this.evictedRefs.has(this.key(clientId, kind, partnerReferenceNo));
    if (
      duplicate ||
      seenBefore ||
      (requestedReferenceNo && (this.byReferenceNo.has(requestedReferenceNo) || this.evictedReferenceNos.has(requestedReferenceNo)))
    ) {
      if (duplicate) {
        duplicate.duplicatesRefused++;
      }
      throw Errors.duplicateReference();
    }
    if (!merchant.pinHash) {
      throw Errors.pinNotFound();
    }
    if (!constantTimeEquals(merchant.pinHash, pin.toLowerCase())) {
      throw new NetzmeError(403, '15', 'Invalid PIN'); // INFERRED code (docs/netzme-protocol.md T27 lists 4034315 as probable)
    }
    if (beneficiary.accountNumber !== this.account(merchant, kind).accountNumber) {
      throw new NetzmeError(404, '11', 'Invalid Account'); // INFERRED (SNAP standard code)
    }
    if (amount.minor <= 0n || amount.minor < this.minimum(kind)) {
      throw new NetzmeError(404, '13', 'Invalid Amount');
    }
    if (amount.minor > this.available(merchant, kind)) {
      throw Errors.insufficientFunds();
    }

    const withdrawal: Withdrawal = {
      referenceNo: requestedReferenceNo ?? uuid(),
      partnerReferenceNo,
      clientId,
      merchantId,
      kind,
      type: kind === 'merchant' ? 'submit_withdraw' : 'submit_withdraw_deposit',
      amountMinor: amount.minor,
      beneficiary,
      status: 'PROCESSING',
      createdAtMs: Date.now(),
      duplicatesRefused: 0,
    };
    if (kind === 'merchant') {
      merchant.settledBalance -= amount.minor;
      merchant.totalBalance -= amount.minor;
    } else {
      this.deposit.move(merchant, 'WITHDRAW', -amount.minor, withdrawal.referenceNo, `withdraw ${partnerReferenceNo}`);
    }
    this.byReferenceNo.set(withdrawal.referenceNo, withdrawal);
    this.byPartnerRef.set(this.key(clientId, kind, partnerReferenceNo), withdrawal);
    this.scheduleAutoComplete(withdrawal);
    return withdrawal;
  }

  private scheduleAutoComplete(withdrawal: Withdrawal): void {
    if (this.options.autoCompleteWithdrawalsMs !== undefined) {
      // From the acceptance time, so a transfer loaded after a restart finishes when it would have.
      this.timers.schedule(withdrawal.createdAtMs + this.options.autoCompleteWithdrawalsMs - Date.now(), () => {
        if (withdrawal.status === 'PROCESSING' && this.byReferenceNo.get(withdrawal.referenceNo) === withdrawal) {
          this.finish(withdrawal, true);
        }
      });
    }
  }

  /**
   * T9 / T24 lookup: `referenceNo` is the withdrawal's Netzme reference. The sandbox also accepts the
   * withdrawal's own partnerReferenceNo there or in `originalPartnerReferenceNo` (a payer that timed
   * out never learned the referenceNo).
   */
  findForQuery(clientId: string, kind: WithdrawalKind, body: WireBody): Withdrawal | undefined {
    const referenceNo = body.string('referenceNo');
    const byRef = this.byReferenceNo.get(referenceNo);
    if (byRef && byRef.kind === kind && byRef.clientId === clientId) {
      return byRef;
    }
    const original = body.optString('originalPartnerReferenceNo') ?? body.additionalInfo().optString('originalPartnerReferenceNo') ?? referenceNo;
    return this.byPartnerRef.get(this.key(clientId, kind, original));
  }

  /** `:ref` = referenceNo or partnerReferenceNo. */
  find(ref: string): Withdrawal | undefined {
    const byRef = this.byReferenceNo.get(ref);
    if (byRef) {
      return byRef;
    }
    return [...this.byReferenceNo.values()].find((w) => w.partnerReferenceNo === ref);
  }

  /** Control route: finish a pending withdrawal and notify the partner. */
  complete(ref: string, succeeded: boolean): Withdrawal {
    const withdrawal = this.find(ref);
    if (!withdrawal) {
      throw new NotFoundException(`no withdrawal with referenceNo or partnerReferenceNo ${ref}`);
    }
    if (withdrawal.status !== 'PROCESSING') {
      throw new ConflictException(`withdrawal ${withdrawal.referenceNo} is already ${withdrawal.status}`);
    }
    this.finish(withdrawal, succeeded);
    return withdrawal;
  }

  all(): Withdrawal[] {
    return [...this.byReferenceNo.values()];
  }

  /** Partner references of dropped transfers, as `{ partnerReferenceNo, kind }`. */
  evictedPartnerReferences(): { partnerReferenceNo: string; kind: WithdrawalKind }[] {
    return this.evictedRefs.values().map((key) => {
      const [, kind, ...rest] = key.split(' ');
      return { kind: kind as WithdrawalKind, partnerReferenceNo: rest.join(' ') };
    });
  }

  reset(): void {
    this.byReferenceNo.clear();
    this.byPartnerRef.clear();
    this.finished.clear();
    this.evictedRefs.clear();
    this.evictedReferenceNos.clear();
  }

  exportState(): WithdrawalsState {
    return {
      withdrawals: [...this.byReferenceNo.values()],
      finishedOrder: this.finished.toArray().filter((ref) => this.byReferenceNo.has(ref)),
      evictedReferences: this.evictedRefs.values(),
      evictedReferenceNos: this.evictedReferenceNos.values(),
    };
  }

  /** Load a saved state (into an empty service); pending transfers get their auto-complete timer back. */
  importState(state: WithdrawalsState): void {
    state.evictedReferences.forEach((key) => this.evictedRefs.add(key));
    state.evictedReferenceNos.forEach((ref) => this.evictedReferenceNos.add(ref));
    for (const withdrawal of state.withdrawals) {
      this.byReferenceNo.set(withdrawal.referenceNo, withdrawal);
      this.byPartnerRef.set(this.key(withdrawal.clientId, withdrawal.kind, withdrawal.partnerReferenceNo), withdrawal);
      if (withdrawal.status === 'PROCESSING') {
        this.scheduleAutoComplete(withdrawal);
      }
    }
    state.finishedOrder.forEach((ref) => this.finished.push(ref));
  }

  private finish(withdrawal: Withdrawal, succeeded: boolean): void {
    withdrawal.status = succeeded ? 'SUCCESS' : 'FAILED';
    withdrawal.completedAtMs = Date.now();
    if (!succeeded) {
      // The bank refused: the money goes back where it came from.
      const merchant = this.merchants.require(withdrawal.merchantId);
      if (withdrawal.kind === 'merchant') {
        merchant.settledBalance += withdrawal.amountMinor;
        merchant.totalBalance += withdrawal.amountMinor;
      } else {
        this.deposit.move(merchant, 'WITHDRAW_REVERSAL', withdrawal.amountMinor, withdrawal.referenceNo, `withdraw ${withdrawal.partnerReferenceNo} failed`);
      }
    }
    this.callbacks.send(
      'withdrawal-status',
      withdrawal.clientId,
      withdrawalStatusPayload({
        referenceNo: withdrawal.referenceNo,
        partnerReferenceNo: withdrawal.partnerReferenceNo,
        amountMinor: withdrawal.amountMinor,
        succeeded,
        type: withdrawal.type,
      }),
      withdrawal.referenceNo,
    );
    this.finished.push(withdrawal.referenceNo);
    while (this.finished.length > this.options.retentionMaxSettled) {
      this.evict(this.finished.shift()!);
    }
  }

  /** Drop a finished transfer past the retention limit; its references stay known. */
  private evict(referenceNo: string): void {
    const withdrawal = this.byReferenceNo.get(referenceNo);
    if (!withdrawal || withdrawal.status === 'PROCESSING') {
      return;
    }
    const key = this.key(withdrawal.clientId, withdrawal.kind, withdrawal.partnerReferenceNo);
    this.byReferenceNo.delete(referenceNo);
    if (this.byPartnerRef.get(key) === withdrawal) {
      this.byPartnerRef.delete(key);
    }
    this.evictedRefs.add(key);
    this.evictedReferenceNos.add(referenceNo);
  }

  private key(clientId: string, kind: WithdrawalKind, partnerReferenceNo: string): string {
    return `${clientId} ${kind} ${partnerReferenceNo}`;
  }
}
