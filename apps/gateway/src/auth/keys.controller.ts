import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { BadRequestError, NotFoundError } from '../http/app-error';
import type { AuthenticatedRequest } from './api-key.guard';
import type { ApiKeyRecord, ApiKeysRepository, IssuedKey } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AdminOnly } from './auth.decorators';
import { CreateKeyDto, IssuedKeyView, KeyIdParamDto, KeyPageView, KeyView, ListKeysQueryDto } from './keys.dto';
import { HttpErrorCode } from '../http/http-error-codes';
import { AuthErrorCode } from './auth-errors';

const ISSUED_EXAMPLE = {
  id: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  name: 'shop-checkout',
  scope: 'checkout',
  prefix: 'ngw_checkout_Q2x9Zk',
  status: 'active',
  createdAt: '2026-11-21T03:00:00.000Z',
  createdBy: 'ADMIN_API_KEYS#1',
  expiresAt: null,
  rotatedAt: null,
  revokedAt: null,
  lastUsedAt: null,
  secret: 'ngw_checkout_Q2x9Zk1pR0u5yJvX3mB7tL0aWc8eNfHdSgKiUoYzPq4',
};
const { secret: _secret, ...KEY_EXAMPLE } = ISSUED_EXAMPLE;
const ERROR = (statusCode: number, error: string, code: string, message: string | string[]) => ({
  schema: { example: { statusCode, error, code, message, requestId: '8d6f0f5e-2b1c-4c1e-9a55-5d2f3a4b5c6d' } },
});

function view(key: ApiKeyRecord): KeyView {
  const status = key.revokedAt ? 'revoked' : key.expiresAt && Date.parse(key.expiresAt) <= Date.now() ? 'expired' : 'active';
  return { ...key, status };
}

/** Managed API keys (docs/access.md): stored as SHA-256 hashes, the secret shown once. */
@ApiTags('Keys')
@AdminOnly()
@Controller('keys')
export class KeysController {
  private readonly store: ApiKeysRepository;

  constructor(apiKeys: ApiKeysService) {
    if (!apiKeys.store) throw new Error('managed keys need the database');
    this.store = apiKeys.store;
  }

  @Post()
  @ApiOperation({
    summary: 'Create an API key',
    description:
      'Answers the secret once: store it now, it cannot be shown again (only its SHA-256 is kept). Keys from settings keep working beside managed keys.',
  })
  @ApiCreatedResponse({ type: IssuedKeyView, example: ISSUED_EXAMPLE })
  @ApiBadRequestResponse({
    description: 'Bad name, scope or expiry',
    ...ERROR(400, 'BAD_REQUEST', HttpErrorCode.VALIDATION_FAILED, ['scope must be one of checkout, admin, viewer']),
  })
  async create(@Body() body: CreateKeyDto, @Req() req: AuthenticatedRequest): Promise<IssuedKeyView> {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new BadRequestError(AuthErrorCode.KEY_EXPIRY_PAST, 'expiresAt must be in the future');
    }
    const issued: IssuedKey = await this.store.create({ name: body.name, scope: body.scope, expiresAt, createdBy: req.apiCaller?.name ?? null });
    return { ...view(issued), secret: issued.secret };
  }

  @Get()
  @ApiOperation({
    summary: 'List API keys',
    description:
      'Managed keys, newest first, with status and last use. Never the secret. Keys from settings are not listed. ' +
      'Pass `limit` (and then `cursor` = the previous `nextCursor`) for keyset pages `{ items, nextCursor }`, as every list of the gateway answers. ' +
      'Deprecated: without `limit` or `cursor` the answer is every key as a plain array (kept for existing scripts).',
  })
  @ApiExtraModels(KeyView, KeyPageView)
  @ApiOkResponse({
    description: 'A page `{ items, nextCursor }` when `limit` or `cursor` is given; otherwise (deprecated) every key as an array',
    schema: { oneOf: [{ $ref: getSchemaPath(KeyPageView) }, { type: 'array', items: { $ref: getSchemaPath(KeyView) } }] },
    examples: {
      page: { summary: 'GET /keys?limit=50', value: { items: [KEY_EXAMPLE], nextCursor: null } },
      array: { summary: 'GET /keys (deprecated: no limit or cursor)', value: [KEY_EXAMPLE] },
    },
  })
  @ApiBadRequestResponse({
    description: 'Bad limit or cursor',
    ...ERROR(400, 'BAD_REQUEST', HttpErrorCode.INVALID_CURSOR, 'cursor must be the nextCursor value of a previous page'),
  })
  async list(@Query() query: ListKeysQueryDto): Promise<KeyPageView | KeyView[]> {
    if (query.limit === undefined && query.cursor === undefined) {
      return (await this.store.list()).map(view);
    }
    const page = await this.store.listPage({ limit: query.limit ?? 50, cursor: query.cursor });
    return { items: page.items.map(view), nextCursor: page.nextCursor };
  }

  @Post(':id/rotate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate an API key',
    description: 'A new secret for the same key (same id, name and scope), shown once; the old secret stops working at once on every replica.',
  })
  @ApiOkResponse({ type: IssuedKeyView, example: { ...ISSUED_EXAMPLE, rotatedAt: '2026-11-22T03:00:00.000Z' } })
  @ApiNotFoundResponse({
    description: 'No live key with that id (unknown, revoked or expired)',
    ...ERROR(404, 'NOT_FOUND', AuthErrorCode.KEY_NOT_FOUND, 'No live key with id 0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'),
  })
  async rotate(@Param() params: KeyIdParamDto): Promise<IssuedKeyView> {
    const issued = await this.store.rotate(params.id);
    if (!issued) throw new NotFoundError(AuthErrorCode.KEY_NOT_FOUND, `No live key with id ${params.id}`);
    return { ...view(issued), secret: issued.secret };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key', description: 'Effective at once on every replica (each request checks Postgres). Revoking twice is harmless.' })
  @ApiOkResponse({ type: KeyView, example: { ...KEY_EXAMPLE, status: 'revoked', revokedAt: '2026-11-22T03:00:00.000Z' } })
  @ApiNotFoundResponse({ ...ERROR(404, 'NOT_FOUND', AuthErrorCode.KEY_NOT_FOUND, 'No key with id 0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a') })
  async revoke(@Param() params: KeyIdParamDto): Promise<KeyView> {
    const key = await this.store.revoke(params.id);
    if (!key) throw new NotFoundError(AuthErrorCode.KEY_NOT_FOUND, `No key with id ${params.id}`);
    return view(key);
  }
}
