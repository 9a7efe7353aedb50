import { PAY_METHODS } from '@app/snap';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { INVOICE_STATUSES, InvoiceStatus } from './invoice-state';
import { nullableModel } from '../http/openapi';
import { KeysetPageQuery } from '../http/pagination';
import { IsIsoDateTime } from '../http/validation';
import { MoneyView } from '../money/money.view';

export const MERCHANT_ORDER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const AMOUNT_PATTERN = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;
/**
 * Netzme's page says "fullname must be alphabetic", but Netzme's own WooCommerce plugin sends shop
 * names unchanged ("José Müller", "Budi2") and works: letters of any script, digits, spaces and the
 * punctuation of names (. , ' -).
 */
const FULLNAME_PATTERN = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'-]*$/u;
/** Netzme examples use +62…: Indonesian numbers, 8–13 digits after the country code. */
const PHONE_PATTERN = /^\+62[1-9]\d{7,12}$/;
/** No control characters (they end up in Netzme's JSON and in people's screens). */
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;

export class OrderCustomerDto {
  @ApiPropertyOptional({
    example: 'José Müller',
    description: 'Letters of any script, digits, spaces and . , \' - (Netzme\'s page says "alphabetic"; its own plugin sends names like these).',
  })
  @IsOptional()
  @IsString({ message: 'customer.fullname must be a string' })
  @MaxLength(100, { message: 'customer.fullname must be at most 100 characters' })
  @Matches(FULLNAME_PATTERN, { message: "customer.fullname must be a name: letters, digits, spaces and . , ' - only" })
  fullname?: string;

  @ApiPropertyOptional({ example: 'budi@example.com' })
  @IsOptional()
  @IsString({ message: 'customer.email must be a string' })
  @MaxLength(254, { message: 'customer.email must be at most 254 characters' })
  @IsEmail({}, { message: 'customer.email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ example: '+6281234567890', description: 'Indonesian number in +62 form.' })
  @IsOptional()
  @IsString({ message: 'customer.phoneNumber must be a string' })
  @Matches(PHONE_PATTERN, { message: 'customer.phoneNumber must be an Indonesian number such as +6281234567890' })
  phoneNumber?: string;
}

export class CreateOrderDto {
  @ApiProperty({
    example: 'INV-2023-000123',
    description: "The merchant's own order id: unique per merchant, 1-64 of A-Z a-z 0-9 . _ : / -. A repeat with the same body returns the same order.",
  })
  @IsString({ message: 'merchantOrderId must be a string' })
  @Matches(MERCHANT_ORDER_ID_PATTERN, { message: 'merchantOrderId must be 1-64 characters of letters, digits and . _ : / - (starting with a letter or digit)' })
  merchantOrderId: string;

  @ApiProperty({
    example: '15000.00',
    description: 'Decimal string in IDR with at most two decimals, within the configured limits (default 1.00 to 10000000.00).',
  })
  @IsString({ message: 'amount must be a decimal string such as "15000.00" (numbers are refused so that no float ever touches money)' })
  @Matches(AMOUNT_PATTERN, { message: 'amount must be a positive decimal string with at most two decimals, such as "15000.00"' })
  amount: string;

  @ApiPropertyOptional({ example: 'IDR', enum: ['IDR'], description: 'Only IDR; may be left out.' })
  @IsOptional()
  @IsIn(['IDR'], { message: 'currency must be IDR (the only currency Netzme accepts)' })
  currency?: 'IDR';

  @ApiPropertyOptional({
    example: 'QRIS',
    enum: PAY_METHODS,
    default: 'QRIS',
    description: 'Netzme pay method; QRIS returns a QR code, BANK_TRANSFER virtual account numbers, others a payment page.',
  })
  @IsOptional()
  @IsIn(PAY_METHODS, { message: `payMethod must be one of ${PAY_METHODS.join(', ')}` })
  payMethod?: string;

  @ApiPropertyOptional({ example: 900, minimum: 60, maximum: 86400, description: 'Validity of the QR / invoice in seconds (default 900).' })
  @IsOptional()
  @IsInt({ message: 'expiresInSeconds must be an integer number of seconds between 60 and 86400' })
  @Min(60, { message: 'expiresInSeconds must be at least 60 seconds' })
  @Max(86400, { message: 'expiresInSeconds must be at most 86400 seconds (one day)' })
  expiresInSeconds?: number;

  @ApiPropertyOptional({ type: OrderCustomerDto })
  @IsOptional()
  @IsObject({ message: 'customer must be an object with fullname, email and/or phoneNumber' })
  @ValidateNested()
  @Type(() => OrderCustomerDto)
  customer?: OrderCustomerDto;

  @ApiPropertyOptional({ example: 'Order #123 at Toko Contoh', maxLength: 255 })
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(255, { message: 'description must be at most 255 characters' })
  @Matches(PRINTABLE, { message: 'description must not contain control characters' })
  description?: string;
}

export class ListOrdersQueryDto extends KeysetPageQuery {
  @ApiPropertyOptional({ enum: INVOICE_STATUSES })
  @IsOptional()
  @IsIn(INVOICE_STATUSES, { message: `status must be one of ${INVOICE_STATUSES.join(', ')}` })
  status?: InvoiceStatus;

  @ApiPropertyOptional({ example: 'INV-2023-000123' })
  @IsOptional()
  @IsString()
  @Matches(MERCHANT_ORDER_ID_PATTERN, { message: 'merchantOrderId must be 1-64 characters of letters, digits and . _ : / -' })
  merchantOrderId?: string;

  @ApiPropertyOptional({ description: 'Only orders that need a person (e.g. Netzme holds our reference but we lack its ids).', example: 'true' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'needsReview must be true or false' })
  needsReview?: 'true' | 'false';

  @ApiPropertyOptional({ example: '2023-11-15T00:00:00+07:00', description: 'Created at or after (ISO-8601).' })
  @IsOptional()
  @IsIsoDateTime({ message: 'from must be an ISO-8601 date-time such as 2023-11-15T00:00:00+07:00' })
  from?: string;

  @ApiPropertyOptional({ example: '2023-11-16T00:00:00+07:00', description: 'Created before (ISO-8601).' })
  @IsOptional()
  @IsIsoDateTime({ message: 'to must be an ISO-8601 date-time such as 2023-11-16T00:00:00+07:00' })
  to?: string;
}

export class OrderIdParamDto {
  @IsUUID('all', { message: 'id must be an order id (a UUID)' })
  @ApiProperty({ description: 'Order id (a UUID), as returned by POST /orders', format: 'uuid', example: '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11' })
  id: string;
}

export class OrderPaymentView {
  @ApiProperty({ type: MoneyView })
  paidAmount: MoneyView;

  @ApiPropertyOptional(nullableModel(MoneyView))
  fee: MoneyView | null;

  @ApiPropertyOptional(nullableModel(MoneyView))
  netAmount: MoneyView | null;

  @ApiPropertyOptional({ example: 'QRIS' })
  method?: string;

  @ApiPropertyOptional({ example: '411310123456', description: 'QRIS retrieval reference number.' })
  rrn?: string;

  @ApiPropertyOptional({ example: 'GOPAY' })
  issuerName?: string;
}

@ApiExtraModels(OrderPaymentView, OrderCustomerDto)
export class OrderView {
  @ApiProperty({ example: '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11' })
  id: string;

  @ApiProperty({ example: 'INV-2023-000123' })
  merchantOrderId: string;

  @ApiProperty({
    enum: INVOICE_STATUSES,
    example: 'PENDING',
    description:
      'CREATING: Netzme is being asked; UNKNOWN: Netzme did not answer clearly, the gateway is finding out (never creates a second invoice); PENDING: waiting for the buyer; PAID, EXPIRED, FAILED: final.',
  })
  status: InvoiceStatus;

  @ApiProperty({ type: MoneyView })
  amount: MoneyView;

  @ApiProperty({ example: 'QRIS' })
  payMethod: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'data:image/png;base64,iVBORw0KGgo...', description: 'PNG data URI of the QRIS code (QRIS).' })
  qrImage: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '00020101021226...6304ABCD', description: 'Raw QRIS string, when Netzme provides it.' })
  qrContent: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://pay-stg.netzme.id/toko/NETZ-INV-M_TB1NMLig1700000000000abc/qris/0b9f' })
  paymentUrl: string | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', properties: { bankCode: { type: 'string' }, virtualAccountNo: { type: 'string' } } },
    nullable: true,
    example: [{ bankCode: 'BNI', virtualAccountNo: '8860832146006' }],
  })
  virtualAccounts: Array<{ bankCode: string; virtualAccountNo: string }> | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2023-11-15T06:13:21.000Z' })
  expiresAt: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  paidAt: string | null;

  @ApiProperty({ example: '2023-11-15T05:58:21.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2023-11-15T05:58:21.000Z' })
  updatedAt: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Order #123 at Toko Contoh' })
  description: string | null;

  @ApiPropertyOptional(nullableModel(OrderCustomerDto))
  customer: OrderCustomerDto | null;

  @ApiProperty({ example: 'GW1700000000000A1B2C3D4', description: 'Our reference at Netzme (partnerReferenceNo).' })
  partnerReferenceNo: string;

  @ApiPropertyOptional({ nullable: true, example: { invoiceId: 'NETZ-INV-M_TB1NMLig1700000000000abc', trxId: '0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c' } })
  netzme: { invoiceId: string | null; trxId: string | null };

  @ApiPropertyOptional(nullableModel(OrderPaymentView))
  payment: OrderPaymentView | null;

  @ApiPropertyOptional({ nullable: true, example: null, description: 'Why the order failed (FAILED only).' })
  failure: { code: string | null; message: string | null } | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'A word about the state, e.g. why it is UNKNOWN.' })
  message: string | null;

  @ApiProperty({ example: false, description: 'A person must look at this order (see docs/orders.md).' })
  needsReview: boolean;
}

export class OrderListView {
  @ApiProperty({ type: [OrderView] })
  items: OrderView[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' })
  nextCursor: string | null;
}

export class OrderHistoryEntryView {
  // null listed in the enum too: OpenAPI 3.0's nullable does not widen an enum.
  @ApiProperty({ type: String, nullable: true, enum: [...INVOICE_STATUSES, null], description: 'null for the first entry' })
  from: InvoiceStatus | null;

  @ApiProperty({ enum: INVOICE_STATUSES })
  to: InvoiceStatus;

  @ApiProperty({ example: 'callback' })
  source: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  sourceRef: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  reason: string | null;

  @ApiProperty()
  at: string;
}
