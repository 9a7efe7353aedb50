import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { BadRequestError } from './app-error';
import { HttpErrorCode } from './http-error-codes';

/**
 * Keyset ("cursor") pagination, the one list style of the gateway: a list answers
 * `{ items, nextCursor }`; the caller passes `nextCursor` back as `cursor` for the next page and
 * stops when it is null. A cursor names the last row of the page, so rows written meanwhile never
 * shift a page (unlike page/pageSize offsets), and each page is one index range scan.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The page out of rows read with `LIMIT limit + 1`: the extra row only says that there is more.
 * `cursorOf` turns the page's last row into the cursor the next query starts after.
 */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit && items.length > 0 ? cursorOf(items[items.length - 1]) : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque cursor for a row id (base64url, so callers do not build cursors themselves). */
export function encodeIdCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The row id inside a cursor from encodeIdCursor; 400 INVALID_CURSOR for anything else. */
export function decodeIdCursor(cursor: string, idPattern: RegExp = UUID): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!idPattern.test(id)) {
    throw new BadRequestError(HttpErrorCode.INVALID_CURSOR, 'cursor must be the nextCursor value of a previous page');
  }
  return id;
}

/** The `limit` query parameter of a list: optional, a whole number from 1 to `max` (one message for every way to miss). */
export function PageLimit(max: number, defaultLimit: number): PropertyDecorator {
  const message = `limit must be a whole number from 1 to ${max}`;
  return applyDecorators(
    ApiPropertyOptional({ example: defaultLimit, minimum: 1, maximum: max, default: defaultLimit, description: 'Items per page' }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message }),
    Min(1, { message }),
    Max(max, { message }),
  );
}

/**
 * `limit` and `cursor` of every keyset-paged list query (orders, withdrawals, ...): a list's query
 * class extends this and adds its filters. The answer is a {@link Page}.
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
