import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { PAYOUT_STATUSES, type PayoutStatus } from '../payout/payout-state';

/** Query of GET /withdrawals. */
export class ListWithdrawalsQuery {
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES, description: 'Only withdrawals in this status' })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES, { message: `status must be one of ${PAYOUT_STATUSES.join(', ')}` })
  status?: PayoutStatus;

  @ApiPropertyOptional({ description: 'Created at or after (ISO-8601)', example: '2026-11-01T00:00:00+07:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 date-time such as 2026-11-01T00:00:00+07:00' })
  from?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO-8601)', example: '2026-12-01T00:00:00+07:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO-8601 date-time such as 2026-12-01T00:00:00+07:00' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number from 1' })
  @Min(1, { message: 'page must be a whole number from 1' })
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number from 1 to 100' })
  @Min(1, { message: 'pageSize must be a whole number from 1 to 100' })
  @Max(100, { message: 'pageSize must be a whole number from 1 to 100' })
  pageSize?: number;
}
