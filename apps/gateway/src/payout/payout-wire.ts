import { isNetzmeError } from '@app/netzme-client';
import type { WithdrawInformationResponse, WithdrawInquiryResponse } from '@app/snap';
import { toMinorLenient } from '@app/snap';
import type { PayoutInquiry, PayoutStatusAnswer, PayoutSubmitRequest } from './payout-rail';
import { mapNetzmeTransferStatus } from './payout-state';

/** Netzme answered something we cannot turn into exact money: never guess, refuse the request. */
export class UnreadableNetzmeAnswerError extends Error {
  override readonly name = 'UnreadableNetzmeAnswerError';
}

/** Withdraw Inquiry (T8) / Inquiry Withdraw Deposit (T22) -> exact money and the beneficiary. */
export function inquiryFromWire(res: WithdrawInquiryResponse): PayoutInquiry {
  const withdrawable = toMinorLenient(res.amount?.value);
  const minimumValue = res.additionalInfo?.minimumWithdrawalAmount?.value;
  const minimum = minimumValue === undefined ? 0n : toMinorLenient(minimumValue);
  if (withdrawable === null || minimum === null) {
    throw new UnreadableNetzmeAnswerError(
      `Netzme's withdraw inquiry carried an unreadable amount (${JSON.stringify(res.amount?.value)} / ${JSON.stringify(minimumValue)})`,
    );
  }
  for (const field of ['beneficiaryAccountName', 'beneficiaryAccountNumber', 'beneficiaryBankName', 'beneficiaryBankCode'] as const) {
    if (typeof res[field] !== 'string') {
      throw new UnreadableNetzmeAnswerError(`Netzme's withdraw inquiry has no ${field}`);
    }
  }
  return {
    beneficiary: {
      accountName: res.beneficiaryAccountName,
      accountNumber: res.beneficiaryAccountNumber,
      bankName: res.beneficiaryBankName,
      bankCode: res.beneficiaryBankCode,
    },
    withdrawableMinor: withdrawable,
    minimumMinor: minimum,
    // Missing flag: allowed when there is something to withdraw.
    allowed: res.additionalInfo?.amountAllowed ?? withdrawable > 0n,
    currency: res.amount?.currency ?? 'IDR',
    referenceNo: res.referenceNo,
  };
}

/** Get Information Withdraw (T9) / Withdraw Deposit (T24) -> what Netzme says about the transfer. */
export function statusFromWire(res: WithdrawInformationResponse): PayoutStatusAnswer {
  const extra = res as WithdrawInformationResponse & { referenceNo?: string };
  const amount = res.amount?.value === undefined ? undefined : toMinorLenient(res.amount.value);
  return {
    kind: 'found',
    state: mapNetzmeTransferStatus(res.latestTransactionStatus, res.transactionStatusDesc),
    netzmeStatus: res.latestTransactionStatus,
    description: res.transactionStatusDesc,
    referenceNo: res.originalReferenceNo || extra.referenceNo || undefined,
    amountMinor: amount,
  };
}

/** Our beneficiary record -> the four fields Withdraw Process / Withdraw Deposit echo from the inquiry. */
export function beneficiaryToWire(beneficiary: PayoutSubmitRequest['beneficiary']) {
  return {
    beneficiaryAccountName: beneficiary.accountName,
    beneficiaryAccountNumber: beneficiary.accountNumber,
    beneficiaryBankName: beneficiary.bankName,
    beneficiaryBankCode: beneficiary.bankCode,
  };
}

/** Ask a status endpoint; Netzme's "not found" becomes an answer (the engine decides), anything else stays an error. */
export async function statusOrNotFound(ask: () => Promise<WithdrawInformationResponse>): Promise<PayoutStatusAnswer> {
  try {
    return statusFromWire(await ask());
  } catch (err) {
    if (isNetzmeError(err) && err.category === 'NOT_FOUND') {
      return { kind: 'not-found' };
    }
    throw err;
  }
}
