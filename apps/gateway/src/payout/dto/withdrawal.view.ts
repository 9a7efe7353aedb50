import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PAYOUT_STATUSES, type PayoutStatus } from '../payout-state';
import type { PayoutInquiry } from '../payout-rail';
import type { WithdrawalEvent } from '../withdrawal-event.entity';
import type { Withdrawal } from '../withdrawal.entity';
import { MoneyView, moneyView } from '../../money/money.view';

export class BeneficiaryView {
  @ApiProperty({ example: 'Mariya Wise' })
  accountName: string;

  @ApiProperty({ example: '2288996060' })
  accountNumber: string;

  @ApiProperty({ example: 'BTPN SYARIAH' })
  bankName: string;

  @ApiProperty({ example: '547' })
  bankCode: string;
}

export class WithdrawalEventView {
  @ApiProperty({
    example: 'STATUS_CHANGED',
    description: 'CREATED, SUBMITTED, STATUS_CHANGED, REFERENCE_RECORDED, RESUBMITTED, RESUBMISSION_REFUSED, ANOMALY, ANOMALY_ACKNOWLEDGED, MANUAL_RESOLUTION',
  })
  type: string;

  @ApiPropertyOptional({ enum: PAYOUT_STATUSES, nullable: true, example: 'PENDING_SUBMIT' })
  fromStatus: PayoutStatus | null;

  @ApiPropertyOptional({ enum: PAYOUT_STATUSES, nullable: true, example: 'PROCESSING' })
  toStatus: PayoutStatus | null;

  @ApiProperty({ enum: ['api', 'callback', 'poll', 'admin'], example: 'api' })
  source: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  actor: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  reason: string | null;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true, example: { referenceNo: '5f79801b-d4e2-4463-bde9-e0855b5745e9' } })
  details: Record<string, unknown> | null;

  @ApiProperty({ example: '2026-11-21T12:45:13.120Z' })
  at: string;
}

export class WithdrawalView {
  @ApiProperty({ example: '3b0d2a52-5a4e-4d0f-9f3e-0c7f6f0b1e21' })
  id: string;

  @ApiProperty({
    enum: PAYOUT_STATUSES,
    example: 'PROCESSING',
    description:
      'PENDING_SUBMIT: written, Netzme not yet answered (internal pre-send state). PROCESSING: Netzme accepted it. UNKNOWN: the answer was lost; resolved by asking Netzme, never retried blindly. SUCCEEDED / FAILED: final.',
  })
  status: PayoutStatus;

  @ApiProperty({ type: MoneyView })
  amount: MoneyView;

  @ApiProperty({ example: 'WD20261121194512A1B2C3D4E5', description: 'Our reference at Netzme (idempotent: never changes, reused for any resubmission)' })
  partnerReferenceNo: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '5f79801b-d4e2-4463-bde9-e0855b5745e9', description: "Netzme's id of the transfer" })
  referenceNo: string | null;

  @ApiProperty({ type: BeneficiaryView })
  beneficiary: BeneficiaryView;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  failureReason: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'A contradiction Netzme reported (amount, reference, a final withdrawal reported otherwise)',
  })
  anomaly: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null, description: 'Last problem while resolving it (status call failed, PIN needed, ...)' })
  lastError: string | null;

  @ApiProperty({ example: false, description: 'True when it is in the review queue (unresolved too long, or an anomaly)' })
  needsReview: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: '00', description: "Netzme's latestTransactionStatus as last seen" })
  netzmeStatus: string | null;

  @ApiProperty({ example: 1 })
  submitAttempts: number;

  @ApiProperty({ example: '2026-11-21T12:45:12.004Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-11-21T12:45:13.120Z' })
  updatedAt: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-21T12:45:12.030Z' })
  submittedAt: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  resolvedAt: string | null;

  @ApiPropertyOptional({ type: [WithdrawalEventView], description: 'Full history (GET by id and create/resolve answers)' })
  events?: WithdrawalEventView[];
}

/**
 * A page of withdrawals, newest first. Keyset paging (`cursor` + `limit`) answers `items` and
 * `nextCursor`; the deprecated `page`/`pageSize` paging (also the default) adds `total`, `page` and `pageSize`.
 */
export class WithdrawalPage {
  @ApiProperty({ type: [WithdrawalView] })
  items: WithdrawalView[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'M2IwZDJhNTItNWE0ZS00ZDBmLTlmM2UtMGM3ZjZmMGIxZTIx',
    description: 'Pass as cursor for the next page; null on the last page.',
  })
  nextCursor: string | null;

  @ApiPropertyOptional({ example: 42, deprecated: true, description: 'Deprecated page/pageSize paging only: all matching withdrawals' })
  total?: number;

  @ApiPropertyOptional({ example: 1, deprecated: true, description: 'Deprecated page/pageSize paging only' })
  page?: number;

  @ApiPropertyOptional({ example: 20, deprecated: true, description: 'Deprecated page/pageSize paging only' })
  pageSize?: number;
}

export class WithdrawalInquiryView {
  @ApiProperty({ type: BeneficiaryView, description: 'The payout account Netzme has on file' })
  beneficiary: BeneficiaryView;

  @ApiProperty({ type: MoneyView, description: 'What can be withdrawn now' })
  withdrawable: MoneyView;

  @ApiProperty({ type: MoneyView, description: 'Smallest withdrawal Netzme accepts' })
  minimum: MoneyView;

  @ApiProperty({ example: true, description: 'Whether Netzme allows a withdrawal right now' })
  allowed: boolean;

  @ApiPropertyOptional({ example: 'WDI-0001' })
  referenceNo?: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toEventView(event: WithdrawalEvent): WithdrawalEventView {
  return {
    type: event.type,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    source: event.source,
    actor: event.actor,
    reason: event.reason,
    details: event.details,
    at: event.createdAt.toISOString(),
  };
}

export function toWithdrawalView(row: Withdrawal, needsReview: boolean, withEvents = true): WithdrawalView {
  return {
    id: row.id,
    status: row.status,
    amount: moneyView(row.amountMinor),
    partnerReferenceNo: row.partnerReferenceNo,
    referenceNo: row.referenceNo,
    beneficiary: {
      accountName: row.beneficiaryAccountName,
      accountNumber: row.beneficiaryAccountNumber,
      bankName: row.beneficiaryBankName,
      bankCode: row.beneficiaryBankCode,
    },
    failureReason: row.failureReason,
    anomaly: row.anomaly,
    lastError: row.lastError,
    needsReview,
    netzmeStatus: row.netzmeStatus,
    submitAttempts: row.submitAttempts,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    submittedAt: iso(row.submittedAt),
    resolvedAt: iso(row.resolvedAt),
    ...(withEvents ? { events: (row.events ?? []).map(toEventView) } : {}),
  };
}

export function toInquiryView(inquiry: PayoutInquiry): WithdrawalInquiryView {
  return {
    beneficiary: inquiry.beneficiary,
    withdrawable: moneyView(inquiry.withdrawableMinor),
    minimum: moneyView(inquiry.minimumMinor),
    allowed: inquiry.allowed,
    ...(inquiry.referenceNo ? { referenceNo: inquiry.referenceNo } : {}),
  };
}

/**
 * What a 202 answer really carries: Netzme did not answer the transfer, so the withdrawal is UNKNOWN,
 * has no Netzme reference yet, and is resolved by asking Netzme (Swagger's 202 example).
 */
export const UNKNOWN_WITHDRAWAL_EXAMPLE = {
  id: '3b0d2a52-5a4e-4d0f-9f3e-0c7f6f0b1e21',
  status: 'UNKNOWN',
  amount: { value: '15000.00', currency: 'IDR' },
  partnerReferenceNo: 'WD20261121194512A1B2C3D4E5',
  referenceNo: null,
  beneficiary: { accountName: 'Mariya Wise', accountNumber: '2288996060', bankName: 'BTPN SYARIAH', bankCode: '547' },
  failureReason: null,
  anomaly: null,
  lastError: 'NetzmeError: timeout after 15000 ms',
  needsReview: false,
  netzmeStatus: null,
  submitAttempts: 1,
  createdAt: '2026-11-21T12:45:12.004Z',
  updatedAt: '2026-11-21T12:45:27.040Z',
  submittedAt: '2026-11-21T12:45:12.030Z',
  resolvedAt: null,
  events: [
    {
      type: 'STATUS_CHANGED',
      fromStatus: 'PENDING_SUBMIT',
      toStatus: 'UNKNOWN',
      source: 'api',
      actor: null,
      reason: 'timeout after 15000 ms',
      details: null,
      at: '2026-11-21T12:45:27.040Z',
    },
  ],
};
