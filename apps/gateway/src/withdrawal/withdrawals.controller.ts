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
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { BadRequestError } from '../common/app-error';
import { idempotencyKeyOf } from '../idempotency/idempotency';
import {
  callerOf,
  CreatePinDto,
  CreateWithdrawalDto,
  errorExample,
  ListWithdrawalsQuery,
  ResolveWithdrawalDto,
  ResubmitWithdrawalDto,
  UNKNOWN_WITHDRAWAL_EXAMPLE,
  WithdrawalInquiryView,
  WithdrawalPage,
  WithdrawalView,
  withdrawalStatusCode,
  type HttpRequest,
  type HttpResponse,
} from '../payout';
import { WithdrawalsService } from './withdrawals.service';

const UUID = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestError('INVALID_ID', 'id must be a withdrawal id (a UUID)') });

const NETZME_DOWN = errorExample(502, 'BAD_GATEWAY', 'NETZME_UNAVAILABLE', 'Withdraw inquiry: Netzme is not available right now (Internal Server Error (5004200))');
const NETZME_SLOW = errorExample(504, 'GATEWAY_TIMEOUT', 'NETZME_TIMEOUT', 'Withdraw inquiry: Netzme did not answer in time');
const BAD_PIN = errorExample(400, 'BAD_REQUEST', 'VALIDATION_FAILED', ['pin must be exactly 6 digits, as a string']);

@ApiTags('Withdrawals')
@AdminOnly()
@Controller('withdrawals')
export class WithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Post('pin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Create the withdrawal PIN',
    description: "Sets the merchant's 6-digit withdrawal PIN at Netzme (Create pin). The PIN is hashed as Netzme requires and is never stored or logged.",
  })
  @ApiOkResponse({ description: 'PIN set', schema: { example: { pinSet: true, partnerReferenceNo: '20261121483920175520' } } })
  @ApiBadRequestResponse({ description: 'PIN not 6 digits', ...BAD_PIN })
  @ApiUnprocessableEntityResponse({ description: 'Netzme refused it (e.g. a different PIN already exists)', ...errorExample(422, 'UNPROCESSABLE_ENTITY', 'NETZME_REJECTED', 'Create PIN: Netzme refused it: PIN already exist with different value (4000000)') })
  @ApiBadGatewayResponse({ description: 'Netzme unavailable', ...NETZME_DOWN })
  createPin(@Body() body: CreatePinDto): Promise<{ pinSet: true; partnerReferenceNo: string }> {
    return this.withdrawals.createPin(body.pin);
  }

  @Post('pin/forgot')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Forgot PIN', description: "Starts Netzme's PIN reset for the merchant (Forgot pin). Netzme limits how often it may be asked (retryAfterMs)." })
  @ApiOkResponse({ description: 'Reset started', schema: { example: { requested: true, retryAfterMs: 300000, partnerReferenceNo: '20261121483920175521' } } })
  @ApiTooManyRequestsResponse({ description: 'Asked again too soon', ...errorExample(429, 'TOO_MANY_REQUESTS', 'NETZME_RATE_LIMITED', 'Forgot PIN: Activity Count Limit Exceeded. wait 250000 millisecond. (4030004)') })
  @ApiUnprocessableEntityResponse({ description: 'No PIN to reset', ...errorExample(422, 'UNPROCESSABLE_ENTITY', 'NETZME_REJECTED', 'Forgot PIN: Netzme refused it: Existing Pin not found. (4040025)') })
  forgotPin(): Promise<{ requested: true; retryAfterMs: number | null; partnerReferenceNo: string }> {
    return this.withdrawals.forgotPin();
  }

  @Post('inquiry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Withdraw inquiry', description: 'Asks Netzme (Withdraw Inquiry) for the payout bank account, the withdrawable amount, the minimum, and whether a withdrawal is allowed now.' })
  @ApiOkResponse({ type: WithdrawalInquiryView, description: 'What can be withdrawn now' })
  @ApiBadGatewayResponse({ description: 'Netzme unavailable', ...NETZME_DOWN })
  @ApiGatewayTimeoutResponse({ description: 'Netzme too slow', ...NETZME_SLOW })
  inquiry(): Promise<WithdrawalInquiryView> {
    return this.withdrawals.inquiry();
  }

  @Post()
  @ApiOperation({
    summary: 'Withdraw the merchant balance to the bank',
    description:
      'Validates the amount against a fresh Withdraw Inquiry, records the withdrawal with our partnerReferenceNo, then calls Withdraw Process once. ' +
      '201: Netzme accepted it (PROCESSING; SUCCEEDED comes by notification or polling) or refused it (FAILED, see failureReason). ' +
      '202: Netzme did not answer (UNKNOWN): it will be resolved by asking Netzme, never by sending a new transfer. ' +
      '200: a repeat with the same Idempotency-Key and body returns the same withdrawal; the same key with a different body is refused with 409. ' +
      'Only one withdrawal may be in flight at a time (409).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per withdrawal (e.g. a UUID); send the same value when retrying', example: '7f1c9e62-3d55-4d8e-9a76-1b0c3a2e5f10' })
  @ApiCreatedResponse({ type: WithdrawalView, description: 'Accepted by Netzme (PROCESSING) or refused (FAILED)' })
  @ApiAcceptedResponse({ type: WithdrawalView, description: 'Outcome unknown (UNKNOWN): being resolved with Netzme', example: UNKNOWN_WITHDRAWAL_EXAMPLE })
  @ApiOkResponse({ type: WithdrawalView, description: 'Replay: the withdrawal made for this Idempotency-Key' })
  @ApiBadRequestResponse({
    description: 'Missing Idempotency-Key, malformed amount or PIN',
    ...errorExample(400, 'BAD_REQUEST', 'IDEMPOTENCY_KEY_REQUIRED', 'The Idempotency-Key header is required: send a unique value (e.g. a UUID) per withdrawal, and the same value when you retry it'),
  })
  @ApiConflictResponse({ description: 'Another withdrawal in flight, or the Idempotency-Key was used for a different body', ...errorExample(409, 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different withdrawal request (withdrawal 3b0d2a52-…); use a new key for a new withdrawal') })
  @ApiUnprocessableEntityResponse({ description: 'Amount outside what Netzme allows now', ...errorExample(422, 'UNPROCESSABLE_ENTITY', 'AMOUNT_ABOVE_WITHDRAWABLE', 'amount 700000.00 IDR is above the withdrawable amount of 605368.00 IDR') })
  @ApiBadGatewayResponse({ description: 'Netzme unavailable for the inquiry (nothing was sent)', ...NETZME_DOWN })
  async create(@Body() body: CreateWithdrawalDto, @Headers('idempotency-key') key: string | undefined, @Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpResponse): Promise<WithdrawalView> {
    const idempotencyKey = idempotencyKeyOf(key, { required: true, what: 'withdrawal' });
    const { created, withdrawal } = await this.withdrawals.create({ amount: body.amount, pin: body.pin, idempotencyKey, requestedBy: callerOf(req) });
    res.status(withdrawalStatusCode(created, withdrawal.status));
    return withdrawal;
  }

  @Get()
  @ApiOperation({ summary: 'List withdrawals', description: 'Newest first; filter by status and creation date range; paginated. Items carry no event history (GET /withdrawals/:id does).' })
  @ApiOkResponse({ type: WithdrawalPage })
  @ApiBadRequestResponse({ description: 'Bad filter', ...errorExample(400, 'BAD_REQUEST', 'VALIDATION_FAILED', ['status must be one of PENDING_SUBMIT, PROCESSING, UNKNOWN, SUCCEEDED, FAILED']) })
  list(@Query() query: ListWithdrawalsQuery): Promise<WithdrawalPage> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) {
      throw new BadRequestError('INVALID_DATE_RANGE', 'from must be before to');
    }
    return this.withdrawals.list({ status: query.status, from, to, page: query.page ?? 1, pageSize: query.pageSize ?? 20 });
  }

  @Get('review')
  @ApiOperation({
    summary: 'Withdrawals needing a person',
    description: 'Withdrawals still unresolved after WITHDRAWAL_REVIEW_AFTER_MS, and withdrawals on which Netzme reported something contradictory (anomaly). Resolve them with POST /withdrawals/:id/resolve.',
  })
  @ApiOkResponse({ type: [WithdrawalView] })
  review(): Promise<WithdrawalView[]> {
    return this.withdrawals.reviewQueue();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One withdrawal', description: 'The withdrawal with its full history of state changes.' })
  @ApiParam({ name: 'id', description: 'Withdrawal id (UUID)' })
  @ApiOkResponse({ type: WithdrawalView })
  @ApiBadRequestResponse({ description: 'Not a UUID', ...errorExample(400, 'BAD_REQUEST', 'INVALID_ID', 'id must be a withdrawal id (a UUID)') })
  @ApiNotFoundResponse({ description: 'No such withdrawal', ...errorExample(404, 'NOT_FOUND', 'WITHDRAWAL_NOT_FOUND', 'No withdrawal with id 3b0d2a52-5a4e-4d0f-9f3e-0c7f6f0b1e21') })
  get(@Param('id', UUID) id: string): Promise<WithdrawalView> {
    return this.withdrawals.get(id);
  }

  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Resolve a withdrawal by hand',
    description:
      'For a withdrawal in the review queue, after checking with Netzme out of band: sets SUCCEEDED or FAILED, recording who, when, why and the previous status. ' +
      'On a final withdrawal with an anomaly, the same status acknowledges the anomaly. A final status never changes (409).',
  })
  @ApiParam({ name: 'id', description: 'Withdrawal id (UUID)' })
  @ApiOkResponse({ type: WithdrawalView })
  @ApiConflictResponse({ description: 'Already final, or not yet in the review queue', ...errorExample(409, 'CONFLICT', 'WITHDRAWAL_NOT_IN_REVIEW', 'Withdrawal 3b0d2a52-… is still being resolved automatically; …') })
  @ApiNotFoundResponse({ description: 'No such withdrawal', ...errorExample(404, 'NOT_FOUND', 'WITHDRAWAL_NOT_FOUND', 'No withdrawal with id 3b0d2a52-5a4e-4d0f-9f3e-0c7f6f0b1e21') })
  async resolve(@Param('id', UUID) id: string, @Body() body: ResolveWithdrawalDto, @Req() req: HttpRequest): Promise<WithdrawalView> {
    return this.withdrawals.resolve(id, { status: body.status, reason: body.reason, actor: `${body.resolvedBy} (${callerOf(req)})` });
  }

  @Post(':id/resubmit')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Resubmit an unknown withdrawal with the same reference',
    description:
      'For an UNKNOWN withdrawal Netzme has not acknowledged: asks Netzme first; only if Netzme has no such transfer is Withdraw Process sent again with the SAME partnerReferenceNo (never a new one). ' +
      'Needed after a restart, because the PIN is never stored.',
  })
  @ApiParam({ name: 'id', description: 'Withdrawal id (UUID)' })
  @ApiOkResponse({ type: WithdrawalView })
  @ApiConflictResponse({ description: 'Not in a resubmittable state', ...errorExample(409, 'CONFLICT', 'WITHDRAWAL_KNOWN_TO_NETZME', 'Netzme already has withdrawal 3b0d2a52-…; it is resolved by its status, never resubmitted') })
  @ApiBadGatewayResponse({ description: 'Netzme unavailable', ...NETZME_DOWN })
  async resubmit(@Param('id', UUID) id: string, @Body() body: ResubmitWithdrawalDto, @Req() req: HttpRequest): Promise<WithdrawalView> {
    return this.withdrawals.resubmit(id, { pin: body.pin, actor: `${body.resubmittedBy} (${callerOf(req)})` });
  }
}
