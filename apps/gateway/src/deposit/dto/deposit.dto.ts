import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AMOUNT_MESSAGE, AMOUNT_PATTERN } from '../../payout';
import { MoneyView } from '../../money/money.view';
import { SPLIT_FEE_STATUSES, type SplitFeeStatus } from '../split-fee-state';
import { TOPUP_STATUSES, type TopupStatus } from '../topup-view';
import { IsIsoDateTime } from '../../http/validation';

/** Pay methods Netzme's Create Invoice Transaction accepts (docs/netzme-protocol.md T12). */
export const TOPUP_PAY_METHODS = [
  'QRIS',
  'BANK_TRANSFER',
  'BCA',
  'NETZME',
  'RETAIL_OUTLET',
  'OVO',
  'DANA',
  'CREDIT_CARD',
  'VA_BCA',
  'VA_BRI',
  'VA_BNI',
  'VA_MANDIRI',
  'VA_PERMATA',
  'VA_CIMB',
  'VA_BCA_PZ',
] as const;

/** Body of POST /deposit/topups. */
export class CreateTopupDto {
  @ApiProperty({
    description:
      'Amount to add to the deposit, a decimal string in IDR, at most DEPOSIT_TOPUP_MAX_AMOUNT (default 10000000.00; 400 AMOUNT_OUT_OF_RANGE above it)',
    example: '100000.00',
  })
  @IsString({ message: `${AMOUNT_MESSAGE} (not a JSON number)` })
  @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE })
  amount: string;

  @ApiPropertyOptional({ enum: TOPUP_PAY_METHODS, default: 'QRIS', description: 'How the deposit is paid' })
  @IsOptional()
  @IsIn(TOPUP_PAY_METHODS, { message: `payMethod must be one of ${TOPUP_PAY_METHODS.join(', ')}` })
  payMethod?: (typeof TOPUP_PAY_METHODS)[number];

  @ApiPropertyOptional({ minimum: 60, maximum: 604800, default: 3600, description: 'How long the payment instructions stay valid' })
  @IsOptional()
  @IsInt({ message: 'expiresInSeconds must be a whole number of seconds from 60 to 604800' })
  @Min(60, { message: 'expiresInSeconds must be a whole number of seconds from 60 to 604800' })
  @Max(604800, { message: 'expiresInSeconds must be a whole number of seconds from 60 to 604800' })
  expiresInSeconds?: number;
}

/** Query of GET /deposit/transactions. */
export class DepositTransactionsQuery {
  @ApiPropertyOptional({ description: 'From (ISO-8601); default 7 days ago', example: '2026-11-01T00:00:00+07:00' })
  @IsOptional()
  @IsIsoDateTime({ message: 'from must be an ISO-8601 date-time such as 2026-11-01T00:00:00+07:00' })
  from?: string;

  @ApiPropertyOptional({ description: 'To (ISO-8601); default now', example: '2026-11-30T23:59:59+07:00' })
  @IsOptional()
  @IsIsoDateTime({ message: 'to must be an ISO-8601 date-time such as 2026-11-30T23:59:59+07:00' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number from 1 to 10000' })
  @Min(1, { message: 'page must be a whole number from 1 to 10000' })
  @Max(10000, { message: 'page must be a whole number from 1 to 10000 (narrow the from/to range instead)' })
  page?: number;
}

export class TopupView {
  @ApiProperty({ example: 'c5b7b9f2-3f0e-4a55-8a59-0d2b8d1c4e77' })
  id: string;

  @ApiProperty({
    enum: TOPUP_STATUSES,
    example: 'PENDING',
    description: "PENDING_CREATE (written, Netzme not answered yet), PENDING (waiting for payment), UNKNOWN (Netzme's answer was lost), PAID, EXPIRED, FAILED",
  })
  status: TopupStatus;

  @ApiProperty({ type: MoneyView })
  amount: MoneyView;

  @ApiProperty({ example: 'QRIS' })
  payMethod: string;

  @ApiProperty({ example: 'TU20261121194512A1B2C3D4E5' })
  partnerReferenceNo: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'NETZ-INV-M_TB1NMLig1700000000000abc' })
  invoiceId: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c' })
  trxId: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://pay-stg.netzme.id/…' })
  paymentUrl: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'QRIS string (QRIS only)' })
  qrContent: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'PNG data URI of the QR (QRIS only)' })
  qrImage: string | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', properties: { bankCode: { type: 'string' }, virtualAccountNo: { type: 'string' } } },
    nullable: true,
    example: [{ bankCode: 'MANDIRI', virtualAccountNo: '8860832146006' }],
  })
  virtualAccounts: Array<{ bankCode: string; virtualAccountNo: string }> | null;

  @ApiProperty({ example: '2026-11-21T13:45:12.000Z' })
  expiresAt: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  paidAt: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  failureReason: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  anomaly: string | null;

  @ApiProperty({ example: '2026-11-21T12:45:12.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-11-21T12:45:12.000Z' })
  updatedAt: string;
}

export class DepositBalanceView {
  @ApiProperty({ type: MoneyView, description: "The deposit balance (Netzme's totalBalance entry)" })
  balance: MoneyView;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { type: { type: 'string' }, amount: { $ref: getSchemaPath(MoneyView) } } },
    example: [{ type: 'totalBalance', amount: { value: '500000.00', currency: 'IDR' } }],
    description: 'Every balance entry Netzme returned',
  })
  balances: Array<{ type: string; amount: MoneyView }>;

  @ApiPropertyOptional({ example: '447c9364-b3e1-4b46-b554-c2b2bc71fc9e' })
  referenceNo?: string;
}

export class DepositTransactionView {
  @ApiProperty({ example: 'TOP_UP' })
  type: string;

  @ApiProperty({ example: 'SUCCESS' })
  status: string;

  @ApiProperty({ type: MoneyView })
  amount: MoneyView;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-21T19:45:12+07:00' })
  dateTime: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'top-up NETZ-INV-…' })
  description: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "Netzme's additionalInfo for the entry, as received" })
  details: Record<string, unknown>;
}

export class DepositTransactionsPage {
  @ApiProperty({ type: [DepositTransactionView] })
  items: DepositTransactionView[];

  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: '2026-11-14T19:45:12+07:00' })
  from: string;

  @ApiProperty({ example: '2026-11-21T19:45:12+07:00' })
  to: string;
}

/** Body of POST /deposit/split-fees (Deduct Deposit and Split Fee). */
export class CreateSplitFeeDto {
  @ApiPropertyOptional({ description: "The sale's transaction id, Netzme's duplicate check (default: generated)", example: 'SALE-20261121-0042' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'partnerReferenceNo must be 1-64 letters, digits, dots, colons, dashes or underscores' })
  partnerReferenceNo?: string;

  @ApiProperty({ description: 'The paid amount of the sale', example: '150000.00' })
  @IsString({ message: `${AMOUNT_MESSAGE} (not a JSON number)` })
  @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE })
  amount: string;

  @ApiProperty({ description: 'The fee to deduct from the deposit: more than 0 and at most amount (400 INVALID_FEE otherwise)', example: '1050.00' })
  @IsString({ message: 'feeAmount must be a decimal string such as "1050.00" (not a JSON number)' })
  @Matches(AMOUNT_PATTERN, { message: 'feeAmount must be a decimal string in IDR with at most two decimals, such as "1050.00"' })
  feeAmount: string;

  @ApiProperty({ example: 'SKU-001' })
  @IsString()
  @Matches(/^\S.{0,99}$/s, { message: 'sku must be 1-100 characters' })
  sku: string;

  @ApiProperty({ example: 'Kopi Susu 1L' })
  @IsString()
  @Matches(/^\S.{0,199}$/s, { message: 'productName must be 1-200 characters' })
  productName: string;

  @ApiProperty({ example: 'BANK_TRANSFER', description: 'How the buyer paid' })
  @IsString()
  @Matches(/^[A-Z0-9_]{2,40}$/, { message: 'payMethod must be an upper-case pay method such as BANK_TRANSFER' })
  payMethod: string;

  @ApiProperty({ example: 'BCA' })
  @IsString()
  @Matches(/^\S.{0,49}$/s, { message: 'bankName must be 1-50 characters' })
  bankName: string;

  @ApiPropertyOptional({ example: 'order 42' })
  @IsOptional()
  @IsString()
  @Matches(/^.{0,200}$/s, { message: 'description must be at most 200 characters' })
  description?: string;
}

export class SplitFeeView {
  @ApiProperty({ example: '5d4a1c3e-1b2f-4b58-9d3e-0a1b2c3d4e5f' })
  id: string;

  @ApiProperty({
    enum: SPLIT_FEE_STATUSES,
    example: 'DEDUCTED',
    description: 'PENDING_SUBMIT (written, Netzme not answered yet), UNKNOWN (answer lost: re-sent with the same reference), DEDUCTED, FAILED',
  })
  status: SplitFeeStatus;

  @ApiProperty({ example: 'SALE-20261121-0042' })
  partnerReferenceNo: string;

  @ApiProperty({ type: MoneyView })
  amount: MoneyView;

  @ApiProperty({ type: MoneyView })
  feeAmount: MoneyView;

  @ApiPropertyOptional({ type: String, nullable: true })
  referenceNo: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  failureReason: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ example: 1 })
  submitAttempts: number;

  @ApiProperty({ example: '2026-11-21T12:45:12.000Z' })
  createdAt: string;
}
