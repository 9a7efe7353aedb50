import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageLimit } from '../http/pagination';
import { HttpErrorCode } from '../http/http-error-codes';
import { IsIsoDateTime } from '../http/validation';
import { AdminOnly } from '../auth/auth.decorators';
import { AuditTrail } from './audit-trail';

export class ListAuditQueryDto {
  @ApiPropertyOptional({ example: 'ops-alice', description: 'Only changes made with this key (its name; keys from settings are ADMIN_API_KEYS#1, ...)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  // No control characters (a NUL would reach Postgres, which refuses it).
  @Matches(/^[^\u0000-\u001f\u007f]+$/, { message: 'keyName must be a key name (no control characters)' })
  keyName?: string;

  @ApiPropertyOptional({ example: 'POST /orders/:id/refresh', description: 'Only this action: the method and the route pattern' })
  @IsOptional()
  @Matches(/^(POST|PUT|PATCH|DELETE) \/[A-Za-z0-9/:_-]{0,200}$/, { message: 'action must be a method and a route pattern, such as "POST /orders/:id/refresh"' })
  action?: string;

  @ApiPropertyOptional({ example: '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11', description: 'Only changes to this target (the id or name in the route)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'target must be an id or name from a route (letters, digits, . _ : -)' })
  target?: string;

  @ApiPropertyOptional({ example: '2026-11-21T00:00:00Z', description: 'From this time (inclusive)' })
  @IsOptional()
  @IsIsoDateTime({ message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-22T00:00:00Z', description: 'Up to this time (exclusive)' })
  @IsOptional()
  @IsIsoDateTime({ message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @PageLimit(200, 50)
  limit?: number;

  @ApiPropertyOptional({ example: '1042', description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: 'cursor must be the nextCursor value of a previous page' })
  cursor?: string;
}

export class AuditEntryView {
  @ApiProperty({ example: '1043' }) id: string;
  @ApiProperty({ example: '2026-11-21T03:00:05.120Z' }) at: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
    description: 'The managed key used; null for keys from settings',
  })
  keyId: string | null;
  @ApiProperty({ example: 'ops-alice' }) keyName: string;
  @ApiProperty({ example: 'admin' }) role: string;
  @ApiProperty({ example: '8d6f0f5e-2b1c-4c1e-9a55-5d2f3a4b5c6d' }) requestId: string;
  @ApiProperty({ example: 'POST' }) method: string;
  @ApiProperty({ example: '/orders/:id/refresh' }) route: string;
  @ApiProperty({ example: 'POST /orders/:id/refresh' }) action: string;
  @ApiProperty({ type: String, nullable: true, example: '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11' }) target: string | null;
  @ApiProperty({ example: 200, description: 'The HTTP status the change was answered with (failures are recorded too)' }) status: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: null,
    description: 'The request body, PINs and secrets replaced by [REDACTED]',
  })
  request: unknown;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { id: '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11', status: 'PENDING' },
    description: 'The target before the change, where there is one',
  })
  before: unknown;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { id: '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11', status: 'PAID' },
    description: 'The answer: the target after the change, or the error',
  })
  after: unknown;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor:
    string | null;
}

@ApiTags('Audit')
@AdminOnly()
@Controller('audit')
export class AuditController {
  constructor(private readonly trail: AuditTrail) {}

  @Get()
  @ApiOperation({
    summary: 'The audit trail',
    description:
      'Every admin request that changes something (withdrawals, PINs, resolves, refreshes, re-applies, job and reconciliation runs, key changes), newest first: ' +
      'the key name, time, request id, target, status and the state before and after. Filter by key, action, target and time. Viewer keys may read it too.',
  })
  @ApiOkResponse({ type: AuditPageView })
  @ApiBadRequestResponse({
    description: 'Bad filter',
    schema: {
      example: {
        statusCode: 400,
        error: 'BAD_REQUEST',
        code: HttpErrorCode.VALIDATION_FAILED,
        message: ['limit must be a whole number from 1 to 200'],
        requestId: '8d6f0f5e-2b1c-4c1e-9a55-5d2f3a4b5c6d',
      },
    },
  })
  list(@Query() query: ListAuditQueryDto): Promise<AuditPageView> {
    return this.trail.store.list({
      keyName: query.keyName,
      action: query.action,
      target: query.target,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit ?? 50,
      cursor: query.cursor,
    });
  }
}
