import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { KeysetPageQuery } from '../../http/pagination';
import { PAYOUT_STATUSES, type PayoutStatus } from '../payout-state';
import { IsIsoDateTime } from '../../http/validation';

/** Query of GET /withdrawals and GET /deposit/withdrawals: filters, and keyset pages (cursor + limit). */
export class ListWithdrawalsQuery extends KeysetPageQuery {
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES, description: 'Only withdrawals in this status' })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES, { message: `status must be one of ${PAYOUT_STATUSES.join(', ')}` })
  status?: PayoutStatus;

  @ApiPropertyOptional({ description: 'Created at or after (ISO-8601)', example: '2026-11-01T00:00:00+07:00' })
  @IsOptional()
  @IsIsoDateTime({ message: 'from must be an ISO-8601 date-time such as 2026-11-01T00:00:00+07:00' })
  from?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO-8601)', example: '2026-12-01T00:00:00+07:00' })
  @IsOptional()
  @IsIsoDateTime({ message: 'to must be an ISO-8601 date-time such as 2026-12-01T00:00:00+07:00' })
  to?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10000,
    default: 1,
    deprecated: true,
    description: 'Deprecated offset paging: use cursor + limit. Cannot be combined with them.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number from 1 to 10000' })
  @Min(1, { message: 'page must be a whole number from 1 to 10000' })
  // Beyond this the offset means nothing (and a huge one overflows Postgres' bigint): narrow the dates instead.
  @Max(10000, { message: 'page must be a whole number from 1 to 10000 (narrow the from/to range to reach older withdrawals)' })
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, deprecated: true, description: 'Deprecated offset paging: use cursor + limit.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number from 1 to 100' })
  @Min(1, { message: 'pageSize must be a whole number from 1 to 100' })
  @Max(100, { message: 'pageSize must be a whole number from 1 to 100' })
  pageSize?: number;
}
