import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { BadRequestError } from '../http/app-error';
import { decodeIdCursor, encodeIdCursor } from '../http/pagination';
import { idempotencyKeyOf } from '../idempotency/idempotency';
import { errorExample } from '../http/api-error.view';
import { CreateWithdrawalDto, ResubmitWithdrawalDto } from './dto/create-withdrawal.dto';
import { ListWithdrawalsQuery } from './dto/list-withdrawals.query';
import { ResolveWithdrawalDto } from './dto/resolve-withdrawal.dto';
import { toInquiryView, toWithdrawalView, UNKNOWN_WITHDRAWAL_EXAMPLE, WithdrawalInquiryView, WithdrawalPage, WithdrawalView } from './dto/withdrawal.view';
import { netzmeHttpError } from './netzme-http-error';
import { PayoutEngine } from './payout-engine.service';
import { PayoutErrorCode } from './payout-errors';
import { callerOf, withdrawalStatusCode, type HttpRequest, type HttpResponse } from './payout-http';
import type { Withdrawal, WithdrawalKind } from './withdrawal.entity';

/** A route's Swagger summary and description. */
export interface RouteDoc {
  summary: string;
  description: string;
}

/** What differs between the merchant and the deposit payout routes: the kind, where, and the words. */
export interface PayoutRoutesOptions {
  kind: WithdrawalKind;
  /** Controller path, e.g. `withdrawals` or `deposit/withdrawals`. */
  path: string;
  /** Swagger tag. */
  tag: string;
  /** How one is called in messages: `withdrawal` or `deposit withdrawal`. */
  noun: string;
  /** Prefix of our partnerReferenceNo (`WD`, `DW`), for the examples. */
  referencePrefix: string;
  /** How a failed Netzme call is named in the error message, per step. */
  netzmeCall: { inquiry: string; statusCheck: string };
  docs: Record<'inquiry' | 'create' | 'list' | 'review' | 'get' | 'resolve' | 'resubmit', RouteDoc>;
}

const NETZME_SLOW = errorExample(504, 'GATEWAY_TIMEOUT', PayoutErrorCode.NETZME_TIMEOUT, 'Withdraw inquiry: Netzme did not answer in time');
const netzmeDown = (what: string) =>
  errorExample(502, 'BAD_GATEWAY', PayoutErrorCode.NETZME_UNAVAILABLE, `${what}: Netzme is not available right now (Internal Server Error (5004200))`);
const viewOf = (engine: PayoutEngine, row: Withdrawal, withEvents = true): WithdrawalView => toWithdrawalView(row, engine.needsReview(row), withEvents);
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The one controller shape of the payout routes: merchant withdrawals (`/withdrawals`) and deposit
 * withdrawals (`/deposit/withdrawals`) are this class with other options (the withdrawal module adds
 * the PIN routes in a subclass). Every route maps straight onto the payout engine; Netzme failures on
 * a request path become 4xx/5xx answers with Netzme's words (netzme-http-error.ts).
 */
export function payoutController(options: PayoutRoutesOptions) {
  const { kind, docs, noun } = options;
  const Noun = capitalised(noun);
  const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestError(PayoutErrorCode.INVALID_ID, `id must be a ${noun} id (a UUID)`) });
  const NETZME_DOWN = netzmeDown(options.netzmeCall.inquiry);
  const NOT_FOUND = errorExample(404, 'NOT_FOUND', PayoutErrorCode.WITHDRAWAL_NOT_FOUND, `No ${noun} with id 3b0d2a52-5a4e-4d0f-9f3e-0c7f6f0b1e21`);

  @ApiTags(options.tag)
  @AdminOnly()
  @Controller(options.path)
  class PayoutController {
    constructor(readonly engine: PayoutEngine) {}

    @Post('inquiry')
    @HttpCode(HttpStatus.OK)
    @ApiOperation(docs.inquiry)
    @ApiOkResponse({ type: WithdrawalInquiryView, description: 'What can be withdrawn now' })
    @ApiBadGatewayResponse({ description: 'Netzme unavailable', ...NETZME_DOWN })
    @ApiGatewayTimeoutResponse({ description: 'Netzme too slow', ...NETZME_SLOW })
    async inquiry(): Promise<WithdrawalInquiryView> {
      try {
        return toInquiryView(await this.engine.inquiry(kind));
      } catch (err) {
        throw netzmeHttpError(err, options.netzmeCall.inquiry);
      }
    }

    @Post()
    @ApiOperation(docs.create)
    @ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description: `Unique per ${noun} (e.g. a UUID); send the same value when retrying`,
      example: '7f1c9e62-3d55-4d8e-9a76-1b0c3a2e5f10',
    })
    @ApiCreatedResponse({ type: WithdrawalView, description: 'Accepted by Netzme (PROCESSING) or refused (FAILED)' })
    @ApiAcceptedResponse({
      type: WithdrawalView,
      description: 'Outcome unknown (UNKNOWN): being resolved with Netzme',
      example: { ...UNKNOWN_WITHDRAWAL_EXAMPLE, partnerReferenceNo: `${options.referencePrefix}20261121194512A1B2C3D4E5` },
    })
    @ApiOkResponse({ type: WithdrawalView, description: `Replay: the ${noun} made for this Idempotency-Key` })
    @ApiBadRequestResponse({
      description: 'Missing Idempotency-Key, malformed amount or PIN',
      ...errorExample(
        400,
        'BAD_REQUEST',
        'IDEMPOTENCY_KEY_REQUIRED',
        'The Idempotency-Key header is required: send a unique value (e.g. a UUID) per withdrawal, and the same value when you retry it',
      ),
    })
    @ApiConflictResponse({
      description: `Another ${noun} in flight, or the Idempotency-Key was used for a different body`,
      ...errorExample(
        409,
        'CONFLICT',
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different withdrawal request (withdrawal 3b0d2a52-…); use a new key for a new withdrawal',
      ),
    })
    @ApiUnprocessableEntityResponse({
      description: 'Amount outside what Netzme allows now',
      ...errorExample(
        422,
        'UNPROCESSABLE_ENTITY',
        PayoutErrorCode.AMOUNT_ABOVE_WITHDRAWABLE,
        'amount 700000.00 IDR is above the withdrawable amount of 605368.00 IDR',
      ),
    })
    @ApiBadGatewayResponse({ description: 'Netzme unavailable for the inquiry (nothing was sent)', ...NETZME_DOWN })
    async create(
      @Body() body: CreateWithdrawalDto,
      @Headers('idempotency-key') key: string | undefined,
      @Req() req: HttpRequest,
      @Res({ passthrough: true }) res: HttpResponse,
    ): Promise<WithdrawalView> {
      const idempotencyKey = idempotencyKeyOf(key, { required: true, what: 'withdrawal' });
      try {
        const { created, withdrawal } = await this.engine.create(kind, { amount: body.amount, pin: body.pin, idempotencyKey, requestedBy: callerOf(req) });
        res.status(withdrawalStatusCode(created, withdrawal.status));
        return viewOf(this.engine, withdrawal);
      } catch (err) {
        throw netzmeHttpError(err, options.netzmeCall.inquiry);
      }
    }

    @Get()
    @ApiOperation(docs.list)
    @ApiOkResponse({ type: WithdrawalPage })
    @ApiBadRequestResponse({
      description: 'Bad filter',
      ...errorExample(400, 'BAD_REQUEST', 'VALIDATION_FAILED', ['status must be one of PENDING_SUBMIT, PROCESSING, UNKNOWN, SUCCEEDED, FAILED']),
    })
    async list(@Query() query: ListWithdrawalsQuery): Promise<WithdrawalPage> {
      const from = query.from ? new Date(query.from) : undefined;
      const to = query.to ? new Date(query.to) : undefined;
      if (from && to && from >= to) {
        throw new BadRequestError(PayoutErrorCode.INVALID_DATE_RANGE, 'from must be before to');
      }
      const filter = { status: query.status, from, to };
      const view = (rows: Withdrawal[]) => rows.map((row) => viewOf(this.engine, row, false));
      if (query.cursor === undefined && query.limit === undefined) {
        // Deprecated offset paging (the default, for existing clients): also says where the keyset continues.
        const page = query.page ?? 1;
        const pageSize = query.pageSize ?? 20;
        const { items, total = 0 } = await this.engine.list(kind, { ...filter, offset: (page - 1) * pageSize, limit: pageSize, withTotal: true });
        const more = items.length > 0 && (page - 1) * pageSize + items.length < total;
        return { items: view(items), nextCursor: more ? encodeIdCursor(items[items.length - 1].id) : null, total, page, pageSize };
      }
      if (query.page !== undefined || query.pageSize !== undefined) {
        throw new BadRequestError(PayoutErrorCode.INVALID_CURSOR, 'use either cursor/limit or the deprecated page/pageSize, not both');
      }
      const afterId = query.cursor === undefined ? undefined : decodeIdCursor(query.cursor);
      const limit = query.limit ?? 50;
      const { items } = await this.engine.list(kind, { ...filter, afterId, limit: limit + 1 });
      const page = items.slice(0, limit);
      return { items: view(page), nextCursor: items.length > limit ? encodeIdCursor(page[page.length - 1].id) : null };
    }

    @Get('review')
    @ApiOperation(docs.review)
    @ApiOkResponse({ type: [WithdrawalView] })
    async review(): Promise<WithdrawalView[]> {
      return (await this.engine.reviewQueue(kind)).map((row) => toWithdrawalView(row, true, false));
    }

    @Get(':id')
    @ApiOperation(docs.get)
    @ApiParam({ name: 'id', description: `${Noun} id (UUID)` })
    @ApiOkResponse({ type: WithdrawalView })
    @ApiBadRequestResponse({ description: 'Not a UUID', ...errorExample(400, 'BAD_REQUEST', PayoutErrorCode.INVALID_ID, `id must be a ${noun} id (a UUID)`) })
    @ApiNotFoundResponse({ description: `No such ${noun}`, ...NOT_FOUND })
    async get(@Param('id', uuid) id: string): Promise<WithdrawalView> {
      return viewOf(this.engine, await this.engine.get(kind, id));
    }

    @Post(':id/resolve')
    @HttpCode(HttpStatus.OK)
    @ApiOperation(docs.resolve)
    @ApiParam({ name: 'id', description: `${Noun} id (UUID)` })
    @ApiOkResponse({ type: WithdrawalView })
    @ApiConflictResponse({
      description: 'Already final, or not yet in the review queue',
      ...errorExample(409, 'CONFLICT', PayoutErrorCode.WITHDRAWAL_NOT_IN_REVIEW, 'Withdrawal 3b0d2a52-… is still being resolved automatically; …'),
    })
    @ApiNotFoundResponse({ description: `No such ${noun}`, ...NOT_FOUND })
    async resolve(@Param('id', uuid) id: string, @Body() body: ResolveWithdrawalDto, @Req() req: HttpRequest): Promise<WithdrawalView> {
      return viewOf(
        this.engine,
        await this.engine.resolve(kind, id, { status: body.status, reason: body.reason, actor: `${body.resolvedBy} (${callerOf(req)})` }),
      );
    }

    @Post(':id/resubmit')
    @HttpCode(HttpStatus.OK)
    @ApiOperation(docs.resubmit)
    @ApiParam({ name: 'id', description: `${Noun} id (UUID)` })
    @ApiOkResponse({ type: WithdrawalView })
    @ApiConflictResponse({
      description: 'Not in a resubmittable state',
      ...errorExample(
        409,
        'CONFLICT',
        PayoutErrorCode.WITHDRAWAL_KNOWN_TO_NETZME,
        'Netzme already has withdrawal 3b0d2a52-…; it is resolved by its status, never resubmitted',
      ),
    })
    @ApiBadGatewayResponse({ description: 'Netzme unavailable', ...netzmeDown(options.netzmeCall.statusCheck) })
    async resubmit(@Param('id', uuid) id: string, @Body() body: ResubmitWithdrawalDto, @Req() req: HttpRequest): Promise<WithdrawalView> {
      try {
        return viewOf(this.engine, await this.engine.resubmit(kind, id, { pin: body.pin, actor: `${body.resubmittedBy} (${callerOf(req)})` }));
      } catch (err) {
        throw netzmeHttpError(err, options.netzmeCall.statusCheck);
      }
    }
  }
  return PayoutController;
}
