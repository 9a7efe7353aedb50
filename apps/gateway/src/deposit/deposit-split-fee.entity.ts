import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer';
import type { SplitFeeStatus } from './split-fee-state';

/**
 * One Deduct Deposit and Split Fee call (a sale collected outside Netzme whose fee is taken from the
 * deposit), written before the call under its partnerReferenceNo (Netzme's duplicate check).
 */
@Entity({ name: 'deposit_split_fees' })
@Unique('deposit_split_fees_partner_reference_no_key', ['partnerReferenceNo'])
@Unique('deposit_split_fees_idempotency_key_key', ['idempotencyKey'])
@Index('deposit_split_fees_due', ['nextCheckAt'], { where: `"status" IN ('PENDING_SUBMIT', 'UNKNOWN')` })
@Check('deposit_split_fees_status_check', `"status" IN ('PENDING_SUBMIT', 'UNKNOWN', 'DEDUCTED', 'FAILED')`)
@Check('deposit_split_fees_amounts_check', `"amount_minor" > 0 AND "fee_minor" >= 0 AND "fee_minor" <= "amount_minor"`)
export class DepositSplitFee {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  status: SplitFeeStatus;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId: string;

  /** The sale's transaction id at Netzme (given by the caller, or generated). */
  @Column({ name: 'partner_reference_no', type: 'text' })
  partnerReferenceNo: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  @Column({ name: 'request_fingerprint', type: 'text' })
  requestFingerprint: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintTransformer })
  amountMinor: bigint;

  @Column({ name: 'fee_minor', type: 'bigint', transformer: bigintTransformer })
  feeMinor: bigint;

  @Column({ type: 'text', default: 'IDR' })
  currency: string;

  @Column({ type: 'text' })
  sku: string;

  @Column({ name: 'product_name', type: 'text' })
  productName: string;

  @Column({ name: 'pay_method', type: 'text' })
  payMethod: string;

  @Column({ name: 'bank_name', type: 'text' })
  bankName: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Netzme's referenceNo of the call (the client derives it from partnerReferenceNo: stable on re-send). */
  @Column({ name: 'reference_no', type: 'text', nullable: true })
  referenceNo: string | null;

  @Column({ name: 'submit_attempts', type: 'integer', default: 0 })
  submitAttempts: number;

  @Column({ name: 'next_check_at', type: 'timestamptz', default: () => 'now()' })
  nextCheckAt: Date;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
