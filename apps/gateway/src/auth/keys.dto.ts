import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageLimit } from '../http/pagination';
import { IsIsoDateTime } from '../http/validation';
import { KEY_SCOPES, type KeyScope } from './api-keys.repository';

export class CreateKeyDto {
  @ApiProperty({ example: 'shop-checkout', description: 'Who or what uses the key; shown in the audit trail. Letters, digits, space, . _ - (1 to 64).' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, { message: 'name must be 1 to 64 letters, digits, spaces, dots, underscores or dashes' })
  name: string;

  @ApiProperty({
    enum: KEY_SCOPES,
    example: 'checkout',
    description: 'checkout: create and read orders. viewer: read everything, change nothing. admin: everything.',
  })
  @IsIn(KEY_SCOPES, { message: 'scope must be one of checkout, admin, viewer' })
  scope: KeyScope;

  @ApiProperty({
    required: false,
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2027-12-31T23:59:59.000Z',
    description: 'When the key stops working (optional; must be in the future).',
  })
  @IsOptional()
  @IsIsoDateTime({ message: 'expiresAt must be an ISO 8601 date-time such as 2027-12-31T23:59:59Z' })
  expiresAt?: string | null;
}

export class KeyIdParamDto {
  @ApiProperty({ description: 'Key id (a UUID), as listed by GET /keys', format: 'uuid', example: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' })
  @IsUUID('all', { message: 'id must be a key id (a UUID)' })
  id: string;
}

/** GET /keys: with `limit` and/or `cursor` the answer is a page; without either, the old plain array. */
export class ListKeysQueryDto {
  // Giving limit or cursor answers a page: { items, nextCursor }.
  @PageLimit(200, 50)
  limit?: number;

  @ApiPropertyOptional({ example: 'MGY4ZTdkNmMtNWI0YS00MzkyLTgxNzAtNmY1ZTRkM2MyYjFh', description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the nextCursor value of a previous page' })
  cursor?: string;
}

export class KeyView {
  @ApiProperty({ example: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' }) id: string;
  @ApiProperty({ example: 'shop-checkout' }) name: string;
  @ApiProperty({ enum: KEY_SCOPES, example: 'checkout' }) scope: KeyScope;
  @ApiProperty({ example: 'ngw_checkout_Q2x9Zk', description: 'The first characters of the secret, to tell keys apart' }) prefix: string;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'], example: 'active' }) status: 'active' | 'expired' | 'revoked';
  @ApiProperty({ example: '2026-11-21T03:00:00.000Z' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, example: 'ADMIN_API_KEYS#1', description: 'Name of the key that created it (null from the CLI)' }) createdBy:
    string | null;
  @ApiProperty({ type: String, nullable: true, example: '2027-12-31T23:59:59.000Z' }) expiresAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) rotatedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) revokedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-21T03:14:00.000Z', description: 'Recorded at most once a minute' }) lastUsedAt: string | null;
}

export class IssuedKeyView extends KeyView {
  @ApiProperty({
    example: 'ngw_checkout_Q2x9Zk1pR0u5yJvX3mB7tL0aWc8eNfHdSgKiUoYzPq4',
    description: 'The secret: shown this once, never again. Send it as `Authorization: Bearer <secret>`.',
  })
  secret: string;
}

export class KeyPageView {
  @ApiProperty({ type: [KeyView] }) items: KeyView[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor:
    string | null;
}
