import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../http/validation';
import { ITEM_KINDS, ItemKind, RECON_SOURCES, ReconSource } from './reconcile';
import type { ReconciliationItem } from './reconciliation-item.entity';
import type { ReconciliationRun, RunStatus } from './reconciliation-run.entity';
import { MoneyView, moneyView } from '../money/money.view';
import { nullableModel } from '../http/openapi';

const RUN_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED'];

export class CreateReportDto {
  @ApiProperty({ example: '2026-11-20', description: 'The Jakarta calendar day to reconcile (today or earlier), YYYY-MM-DD' })
  // The shape only: the service names an impossible or future day (RECONCILIATION_DATE_INVALID).
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a calendar date written YYYY-MM-DD, e.g. 2026-11-20' })
  date: string;
}

export class ReportIdParamDto {
  @IsUUID('all', { message: 'id must be a report id (a UUID)' })
  id: string;
}

export class ListReportsQueryDto {
  @ApiPropertyOptional({ example: '2026-11-20', description: 'Only reports of this Jakarta day' })
  @IsOptional()
  @IsCalendarDate({ message: 'date must be a calendar date written YYYY-MM-DD, e.g. 2026-11-20' })
  date?: string;

  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @IsOptional()
  @IsIn(RUN_STATUSES, { message: `status must be one of ${RUN_STATUSES.join(', ')}` })
  status?: RunStatus;

  @ApiPropertyOptional({ example: 20, default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer between 1 and 100' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(100, { message: 'limit must be at most 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be the nextCursor value of a previous page' })
  cursor?: string;
}

export class ReportItemsQueryDto {
  @ApiPropertyOptional({ enum: ITEM_KINDS, description: 'Only items of this kind' })
  @IsOptional()
  @IsIn(ITEM_KINDS, { message: `kind must be one of ${ITEM_KINDS.join(', ')}` })
  kind?: ItemKind;

  @ApiPropertyOptional({ enum: RECON_SOURCES })
  @IsOptional()
  @IsIn(RECON_SOURCES, { message: `source must be one of ${RECON_SOURCES.join(', ')}` })
  source?: ReconSource;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only differences expected to resolve by themselves; false: only the rest' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'inFlight must be true or false' })
  inFlight?: 'true' | 'false';

  @ApiPropertyOptional({ example: 200, default: 200, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer between 1 and 1000' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  // Item ids are bigints: 18 digits always fit, 19 may not.
  @Matches(/^\d{1,18}$/, { message: 'cursor must be the nextCursor value of a previous page' })
  cursor?: string;
}

export class ItemSideDto {
  @ApiProperty({ example: '0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c', description: 'Our order/withdrawal id, or Netzme transaction id / referenceNo' }) id: string;
  @ApiProperty({ example: 'PAID', description: 'As that side spells it (PAID, PROCESSING; SUCCESS, 00, WITHDRAW_REVERSED, ...)' }) status: string;
  @ApiProperty({ type: MoneyView }) amount: MoneyView;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-20T03:00:02.000Z', description: 'When it settled (or was created, if it has not)' })
  at: string | null;
}

@ApiExtraModels(ItemSideDto)
export class ReportItemDto {
  @ApiProperty({ example: '1042' }) id: string;
  @ApiProperty({ enum: RECON_SOURCES, example: 'ORDER' }) source: string;
  @ApiProperty({ enum: ITEM_KINDS, example: 'AMOUNT_MISMATCH' }) kind: string;
  @ApiProperty({
    example: false,
    description: 'Expected to resolve by itself (callback or poll pending, payout processing, too recent): not a real mismatch yet',
  })
  inFlight: boolean;
  @ApiProperty({ example: '0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c' }) reference: string;
  @ApiPropertyOptional(nullableModel(ItemSideDto)) ours: ItemSideDto | null;
  @ApiPropertyOptional(nullableModel(ItemSideDto)) netzme: ItemSideDto | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'amounts differ: ours 14000.00, Netzme 15000.00' }) note: string | null;

  static from(item: ReconciliationItem): ReportItemDto {
    const side = (id: string | null, status: string | null, minor: bigint | null, at: Date | null): ItemSideDto | null =>
      id === null ? null : { id, status: status ?? '', amount: moneyView(minor ?? 0n), at: at ? at.toISOString() : null };
    return {
      id: item.id,
      source: item.source,
      kind: item.kind,
      inFlight: item.inFlight,
      reference: item.reference,
      ours: side(item.ourId, item.ourStatus, item.ourAmountMinor, item.ourAt),
      netzme: side(item.netzmeId, item.netzmeStatus, item.netzmeAmountMinor, item.netzmeAt),
      note: item.note,
    };
  }
}

export class ReportCountsDto {
  @ApiProperty({ example: 1520, description: 'Pairs that agree' }) matched: number;
  @ApiProperty({ example: 3, description: 'Differences expected to resolve by themselves' }) inFlight: number;
  @ApiProperty({ example: 1, description: 'Real mismatches (plus Netzme items that could not be read)' }) mismatches: number;
}

export class ReportDto {
  @ApiProperty({ example: '6f1c2a9e-1d7b-4a51-9e0e-3a1b2c3d4e5f' }) id: string;
  @ApiProperty({ example: '2026-11-20', description: 'The Jakarta day compared' }) date: string;
  @ApiProperty({ enum: ['scheduled', 'manual'], example: 'scheduled' }) trigger: string;
  @ApiProperty({ enum: RUN_STATUSES, example: 'COMPLETED', description: 'RUNNING while being made; read again until COMPLETED or FAILED' }) status: string;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'gateway-7f9c4-1' }) replicaId: string | null;
  @ApiProperty({
    example: { start: '2026-11-19T17:00:00.000Z', end: '2026-11-20T17:00:00.000Z', marginMinutes: 15 },
    description: 'The day as instants; both sides were read marginMinutes beyond each end',
  })
  window: { start: string; end: string; marginMinutes: number };
  @ApiProperty({ example: '2026-11-21T00:30:04.120Z' }) startedAt: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-21T00:30:09.804Z' }) finishedAt: string | null;
  @ApiProperty({ type: ReportCountsDto }) counts: ReportCountsDto;
  @ApiPropertyOptional({
    nullable: true,
    description: 'Counts per kind and source, matched amounts, items left out (skipped) or unreadable, notes',
    example: {
      total: 1524,
      byKind: { MATCHED: 1520, ONLY_OURS: 0, ONLY_NETZME: 1, AMOUNT_MISMATCH: 0, STATUS_MISMATCH: 3 },
      matchedAmount: { ORDER: '22800000.00' },
      skipped: { 'deposit top-up': 2 },
      unreadable: [],
      notes: [],
    },
  })
  summary: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: null, description: 'Why a FAILED report failed' }) error: string | null;

  static from(run: ReconciliationRun): ReportDto {
    return {
      id: run.id,
      date: run.businessDate,
      trigger: run.trigger,
      status: run.status,
      attempts: run.attempts,
      replicaId: run.replicaId,
      window: { start: run.windowStart.toISOString(), end: run.windowEnd.toISOString(), marginMinutes: run.marginMs / 60_000 },
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
      counts: { matched: run.matchedCount, inFlight: run.inFlightCount, mismatches: run.mismatchCount },
      summary: run.summary as Record<string, unknown> | null,
      error: run.error,
    };
  }
}

export class ReportListDto {
  @ApiProperty({ type: [ReportDto] }) items: ReportDto[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as cursor for the next page' }) nextCursor: string | null;
}

export class ReportDetailDto extends ReportDto {
  @ApiProperty({ type: [ReportItemDto] }) items: ReportItemDto[];
  @ApiPropertyOptional({ type: String, nullable: true, example: '1242', description: 'Pass as cursor for the next page of items' }) nextCursor: string | null;
}
