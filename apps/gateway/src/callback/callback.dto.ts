import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CALLBACK_KIND_LIST } from './callback-kinds';
import { CALLBACK_STATUSES, CallbackStatus } from './netzme-callback.entity';
import { KeysetPageQuery } from '../http/pagination';
import { IsIsoDateTime } from '../http/validation';

export class ListCallbacksQueryDto extends KeysetPageQuery {
  @ApiPropertyOptional({ enum: CALLBACK_KIND_LIST })
  @IsOptional()
  @IsIn([...CALLBACK_KIND_LIST], { message: `kind must be one of ${CALLBACK_KIND_LIST.join(', ')}` })
  kind?: string;

  @ApiPropertyOptional({ enum: CALLBACK_STATUSES })
  @IsOptional()
  @IsIn(CALLBACK_STATUSES, { message: `status must be one of ${CALLBACK_STATUSES.join(', ')}` })
  status?: CallbackStatus;

  @ApiPropertyOptional({
    description: 'Netzme reference: invoice id, RRN, withdrawal partner reference, bill id or custId.',
    example: 'NETZ-INV-M_TB1NMLig1700000000000abc',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'reference must be at most 200 characters' })
  // Postgres text cannot hold NUL or other control characters: refuse them here, not with a 500.
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'reference must not contain control characters' })
  reference?: string;

  @ApiPropertyOptional({ example: '2023-11-15T00:00:00+07:00' })
  @IsOptional()
  @IsIsoDateTime({ message: 'from must be an ISO-8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2023-11-16T00:00:00+07:00' })
  @IsOptional()
  @IsIsoDateTime({ message: 'to must be an ISO-8601 date-time' })
  to?: string;
}

export class CallbackIdParamDto {
  @IsUUID('all', { message: 'id must be a callback id (a UUID)' })
  @ApiProperty({ description: 'Callback id (a UUID), as listed by GET /callbacks', format: 'uuid', example: '9c1d0e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f' })
  id: string;
}

export class CallbackView {
  @ApiProperty({ example: '9c1d0e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f' })
  id: string;

  @ApiProperty({ enum: CALLBACK_KIND_LIST, example: 'invoice-paid' })
  kind: string;

  @ApiProperty({ enum: CALLBACK_STATUSES, example: 'applied' })
  status: CallbackStatus;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'NETZ-INV-M_TB1NMLig1700000000000abc' })
  reference: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'invoice' })
  owner: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11',
    description: 'The record it concerns (order id, withdrawal id, ...).',
  })
  subjectId: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  reason: string | null;

  @ApiProperty({ example: 0, description: 'How often the same notification arrived again.' })
  duplicates: number;

  @ApiProperty({ example: 1 })
  attempts: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ example: '2023-11-15T05:20:02.000Z' })
  receivedAt: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2023-11-15T05:20:02.010Z' })
  appliedAt: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Next automatic re-apply (failed / pending_owner).' })
  nextAttemptAt: string | null;

  @ApiProperty({
    description: 'The notification as Netzme sent it (parsed when it is JSON).',
    example: { originalReferenceNo: 'NETZ-INV-M_TB1NMLig1700000000000abc', latestTransactionStatus: '00' },
  })
  body: unknown;

  @ApiProperty({ description: 'Request headers, secrets redacted.', example: { 'content-type': 'application/json', 'x-callback-token': '[REDACTED]' } })
  headers: Record<string, string>;
}

export class CallbackListView {
  @ApiProperty({ type: [CallbackView] })
  items: CallbackView[];

  @ApiPropertyOptional({ type: String, nullable: true })
  nextCursor: string | null;
}
