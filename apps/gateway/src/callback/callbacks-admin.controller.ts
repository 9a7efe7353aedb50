import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { ConflictError, NotFoundError } from '../http/app-error';
import { CallbackErrorCode } from './callback-errors';
import { CallbackIdParamDto, CallbackListView, CallbackView, ListCallbacksQueryDto } from './callback.dto';
import { CallbacksService } from './callbacks.service';
import type { NetzmeCallback } from './netzme-callback.entity';
import { MAX_CALLBACK_JSON_DEPTH, viewableBody } from './callback-intake';
import { decodeIdCursor, encodeIdCursor } from '../http/pagination';

function toView(cb: NetzmeCallback): CallbackView {
  // What an outsider sent must not be able to break this view (e.g. 40,000 levels of nesting that
  // overflow the serialiser's stack): only bodies safe to serialise are shown as JSON.
  const body = viewableBody(cb.rawBody);
  return {
    id: cb.id,
    kind: cb.kind,
    status: cb.status,
    reference: cb.reference,
    owner: cb.owner,
    subjectId: cb.subjectId,
    reason: cb.reason,
    duplicates: cb.duplicates,
    attempts: cb.attempts,
    lastError: cb.lastError,
    receivedAt: cb.receivedAt.toISOString(),
    appliedAt: cb.appliedAt?.toISOString() ?? null,
    nextAttemptAt: ['failed', 'pending_owner', 'received'].includes(cb.status) ? (cb.nextAttemptAt?.toISOString() ?? null) : null,
    body,
    headers: cb.headers,
  };
}

const EXAMPLE: CallbackView = {
  id: '9c1d0e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
  kind: 'invoice-paid',
  status: 'anomaly',
  reference: 'NETZ-INV-M_TB1NMLig1700000000000abc',
  owner: 'invoice',
  subjectId: '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11',
  reason: 'paid 1000000 sen, the order is for 1500000 sen',
  duplicates: 2,
  attempts: 1,
  lastError: null,
  receivedAt: '2023-11-15T05:20:02.000Z',
  appliedAt: null,
  nextAttemptAt: null,
  body: { originalReferenceNo: 'NETZ-INV-M_TB1NMLig1700000000000abc', latestTransactionStatus: '00', amount: { value: '10000.00', currency: 'IDR' } },
  headers: { 'content-type': 'application/json', 'x-callback-token': '[REDACTED]' },
};

const ERROR = (statusCode: number, error: string, code: string, message: string | string[]) => ({
  statusCode,
  error,
  code,
  message,
  requestId: '8d6f0f5e-2b1c-4c1e-9a55-5d2f3a4b5c6d',
});

/** Admin view of the callback inbox: what Netzme told us, what became of it, anomalies to handle. */
@ApiTags('Callbacks (admin)')
@Controller('callbacks')
@AdminOnly()
export class CallbacksAdminController {
  constructor(private readonly callbacks: CallbacksService) {}

  @Get()
  @ApiOperation({
    summary: 'List stored callbacks (admin)',
    description: 'Newest first; filter by kind, status, Netzme reference and time [from, to). Keyset pagination with nextCursor.',
  })
  @ApiOkResponse({
    type: CallbackListView,
    example: { items: [{ ...EXAMPLE, status: 'applied', reason: null, appliedAt: '2023-11-15T05:20:02.010Z' }], nextCursor: null },
  })
  @ApiBadRequestResponse({
    schema: {
      example: ERROR(400, 'BAD_REQUEST', 'VALIDATION_FAILED', ['status must be one of received, applied, duplicate, anomaly, recorded, pending_owner, failed']),
    },
  })
  async list(@Query() query: ListCallbacksQueryDto): Promise<CallbackListView> {
    const page = await this.callbacks.list({
      kind: query.kind,
      status: query.status,
      reference: query.reference,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      // The cursor is opaque to callers (the shared keyset cursor); the repository takes the row id.
      cursor: query.cursor === undefined ? undefined : decodeIdCursor(query.cursor),
      limit: query.limit ?? 50,
    });
    return { items: page.items.map(toView), nextCursor: page.nextCursor === null ? null : encodeIdCursor(page.nextCursor) };
  }

  @Get('anomalies')
  @ApiOperation({
    summary: 'List anomalies (admin)',
    description:
      'Callbacks that were stored but not applied because a person must decide: amount or currency mismatch, unknown reference, a payment for an expired order, malformed bodies. Same filters as GET /callbacks.',
  })
  @ApiOkResponse({ type: CallbackListView, example: { items: [EXAMPLE], nextCursor: null } })
  async anomalies(@Query() query: ListCallbacksQueryDto): Promise<CallbackListView> {
    return this.list({ ...query, status: 'anomaly' });
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One stored callback (admin)',
    description: `With its raw body (parsed when it is JSON nested at most ${MAX_CALLBACK_JSON_DEPTH} levels deep, otherwise the beginning of the text) and headers (secrets redacted).`,
  })
  @ApiOkResponse({ type: CallbackView, example: EXAMPLE })
  @ApiNotFoundResponse({
    schema: { example: ERROR(404, 'NOT_FOUND', CallbackErrorCode.CALLBACK_NOT_FOUND, 'No callback with id 9c1d0e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f') },
  })
  async get(@Param() params: CallbackIdParamDto): Promise<CallbackView> {
    const cb = await this.callbacks.get(params.id);
    if (!cb) {
      throw new NotFoundError(CallbackErrorCode.CALLBACK_NOT_FOUND, `No callback with id ${params.id}`);
    }
    return toView(cb);
  }

  @Post(':id/reapply')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Apply a stored callback again (admin)',
    description:
      'Runs the stored notification through its owner again, e.g. after the order it names was fixed, or to finish a failed one now. Safe to repeat: owners are idempotent, so an applied payment is reported as duplicate and changes nothing.',
  })
  @ApiOkResponse({ type: CallbackView, example: { ...EXAMPLE, status: 'applied', reason: null, attempts: 2 } })
  @ApiNotFoundResponse({
    schema: { example: ERROR(404, 'NOT_FOUND', CallbackErrorCode.CALLBACK_NOT_FOUND, 'No callback with id 9c1d0e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f') },
  })
  @ApiConflictResponse({
    schema: { example: ERROR(409, 'CONFLICT', CallbackErrorCode.CALLBACK_BUSY, 'Callback 9c1d... is being applied right now; try again in a few seconds') },
  })
  async reapply(@Param() params: CallbackIdParamDto): Promise<CallbackView> {
    const result = await this.callbacks.reapply(params.id);
    if (result === null) {
      throw new NotFoundError(CallbackErrorCode.CALLBACK_NOT_FOUND, `No callback with id ${params.id}`);
    }
    if (result === 'busy') {
      throw new ConflictError(CallbackErrorCode.CALLBACK_BUSY, `Callback ${params.id} is being applied right now; try again in a few seconds`);
    }
    return toView(result);
  }
}
