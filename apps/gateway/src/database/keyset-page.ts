import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * The keyset cursor of every list ordered by (created_at, id) DESC: the last row's id, base64url
 * encoded so that a client treats it as opaque. The list reads that row's (created_at, id) itself,
 * so no timestamp precision is lost in the cursor.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `nextCursor` for a page ending with the row `id`. */
export function idCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

/** The row id a cursor stands for, or null when it is not one of ours (the caller answers 400). */
export function idOfCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return UUID.test(id) ? id : null;
}

/**
 * `limit` and `cursor` of every keyset-paged list query (orders, withdrawals, ...): a list's query
 * class extends this and adds its filters. The answer is `{ items, nextCursor }`.
 */
export class KeysetPageQuery {
  @ApiPropertyOptional({ example: 50, default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer between 1 and 200' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(200, { message: 'limit must be at most 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the nextCursor value of a previous page' })
  cursor?: string;
}
