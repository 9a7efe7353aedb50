import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { bigintTransformer } from '../common/bigint.transformer';
import type { TopupStatus } from './topup-state';

export interface VirtualAccount {
  bankCode: string;
  virtualAccountNo: string;
}

/**
 * A top-up of the prepaid deposit: an invoice created with apiSource "topup_deposit", written
 * before Netzme is called and completed by the invoice-paid notification or by polling.
 */
@Entity({ name: 'deposit_topups' })
@Unique('deposit_topups_partner_reference_no_key', ['partnerReferenceNo'])
@Unique('deposit_topups_idempotency_key_key', ['idempotencyKey'])
@Index('deposit_topups_trx_id_key', ['trxId'], { unique: true, where: `"trx_id" IS NOT NULL` })
@Index('deposit_topups_due', ['nextCheckAt'], { where: `"status" IN ('PENDING_CREATE', 'PENDING', 'UNKNOWN')` })
@Index('deposit_topups_list', ['createdAt'])
@Check('deposit_topups_status_check', `"status" IN ('PENDING_CREATE', 'PENDING', 'UNKNOWN', 'PAID', 'EXPIRED', 'FAILED')`)
@Check('deposit_topups_amount_minor_check', `"amount_minor" > 0`)
export class DepositTopup {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  status: TopupStatus;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintTransformer })
  amountMinor: bigint;

  @Column({ type: 'text', default: 'IDR' })
  currency: string;

  @Column({ name: 'pay_method', type: 'text' })
  payMethod: string;

  @Column({ name: 'partner_reference_no', type: 'text' })
  partnerReferenceNo: string;

  /** Optional on top-ups (money comes in, nothing is paid out); null when not given. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'request_fingerprint', type: 'text' })
  requestFingerprint: string;

  /** Netzme's invoice id (NETZ-INV-…). */
  @Column({ name: 'invoice_id', type: 'text', nullable: true })
  invoiceId: string | null;

  /** Netzme's invoice transaction id: the key of Get Invoice Transaction and of the paid callback. */
  @Column({ name: 'trx_id', type: 'text', nullable: true })
  trxId: string | null;

  @Column({ name: 'payment_url', type: 'text', nullable: true })
  paymentUrl: string | null;

  @Column({ name: 'qr_content', type: 'text', nullable: true })
  qrContent: string | null;

  @Column({ name: 'qr_image', type: 'text', nullable: true })
  qrImage: string | null;

  @Column({ name: 'virtual_accounts', type: 'jsonb', nullable: true })
  virtualAccounts: VirtualAccount[] | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ name: 'fee_minor', type: 'bigint', transformer: bigintTransformer, nullable: true })
  feeMinor: bigint | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ type: 'text', nullable: true })
  anomaly: string | null;

  @Column({ name: 'next_check_at', type: 'timestamptz', default: () => 'now()' })
  nextCheckAt: Date;

  @Column({ name: 'check_attempts', type: 'integer', default: 0 })
  checkAttempts: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
