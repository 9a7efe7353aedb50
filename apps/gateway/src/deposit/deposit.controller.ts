import { Body, Controller, Get, Headers, HttpStatus, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { BadRequestError } from '../http/app-error';
import { idempotencyKeyOf } from '../idempotency/idempotency';
import { errorExample, type HttpResponse } from '../payout';
import { DepositErrorCode } from './deposit-errors';
import { DepositService } from './deposit.service';
import {
  CreateSplitFeeDto,
  CreateTopupDto,
  DepositBalanceView,
  DepositTransactionsPage,
  DepositTransactionsQuery,
  SplitFeeView,
  TopupView,
} from './dto/deposit.dto';
import { DEPOSIT_SETTINGS, type DepositSettings } from './deposit.settings';

const SPLIT_FEE_ID = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestError(DepositErrorCode.INVALID_ID, 'id must be a split fee id (a UUID)') });
const TOPUP_ID = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestError(DepositErrorCode.INVALID_ID, 'id must be a top-up id (a UUID)') });
const NETZME_DOWN = errorExample(
  502,
  'BAD_GATEWAY',
  'NETZME_UNAVAILABLE',
  'Deposit balance: Netzme is not available right now (Internal Server Error (5001300))',
);

@ApiTags('Deposit')
@AdminOnly()
@Controller('deposit')
export class DepositController {
  constructor(
    private readonly deposit: DepositService,
    @Inject(DEPOSIT_SETTINGS) private readonly settings: DepositSettings,
  ) {}

  @Get('balance')
  @ApiOperation({ summary: 'Deposit balance', description: 'The prepaid deposit balance, read from Netzme (Get Balance Deposit).' })
  @ApiOkResponse({ type: DepositBalanceView })
  @ApiBadGatewayResponse({ description: 'Netzme unavailable', ...NETZME_DOWN })
  balance(): Promise<DepositBalanceView> {
    return this.deposit.balance();
  }

  @Get('transactions')
  @ApiOperation({
    summary: 'Deposit transactions',
    description: "The deposit's movements from Netzme (Get Deposit Transaction): top-ups, fee deductions, withdrawals. Default range: the last 7 days.",
  })
  @ApiOkResponse({ type: DepositTransactionsPage })
  @ApiBadRequestResponse({ description: 'Bad range', ...errorExample(400, 'BAD_REQUEST', 'INVALID_DATE_RANGE', 'from must be before to') })
  @ApiBadGatewayResponse({ description: 'Netzme unavailable', ...NETZME_DOWN })
  transactions(@Query() query: DepositTransactionsQuery): Promise<DepositTransactionsPage> {
    return this.deposit.transactions(query);
  }

  @Post('topups')
  @ApiOperation({
    summary: 'Top up the deposit',
    description:
      'Creates an invoice that pays into the deposit (Create Invoice Transaction with apiSource topup_deposit) and returns its payment instructions (QRIS image/content, payment URL or virtual accounts). ' +
      'The top-up becomes PAID through the invoice payment notification or polling. Idempotency-Key is optional: a repeat with the same key and body returns the same top-up (200); a different body, 409.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Optional; send the same value when retrying',
    example: 'b1f0a9d4-7e58-4d2e-9a0c-5f3d2e1b7c66',
  })
  @ApiCreatedResponse({ type: TopupView, description: 'Created (PENDING with payment instructions; FAILED when Netzme refused it)' })
  @ApiAcceptedResponse({
    type: TopupView,
    description:
      "Netzme's answer was lost (UNKNOWN): the gateway keeps asking Netzme with the same reference (it can never create a second invoice); read it again, or repeat the request with the same Idempotency-Key to ask now",
    example: {
      id: 'c5b7b9f2-3f0e-4a55-8a59-0d2b8d1c4e77',
      status: 'UNKNOWN',
      amount: { value: '15000.00', currency: 'IDR' },
      payMethod: 'QRIS',
      partnerReferenceNo: 'TU20261121194512A1B2C3D4E5',
      invoiceId: null,
      trxId: null,
      paymentUrl: null,
      qrContent: null,
      qrImage: null,
      virtualAccounts: null,
      expiresAt: '2026-11-21T13:45:12.000Z',
      paidAt: null,
      failureReason: null,
      anomaly: null,
      createdAt: '2026-11-21T12:45:12.000Z',
      updatedAt: '2026-11-21T12:45:27.000Z',
    },
  })
  @ApiOkResponse({ type: TopupView, description: 'Replay of the same Idempotency-Key' })
  @ApiBadRequestResponse({
    description: 'Malformed amount or pay method',
    ...errorExample(400, 'BAD_REQUEST', 'VALIDATION_FAILED', ['amount must be a positive decimal string in IDR with at most two decimals, such as "50000.00"']),
  })
  @ApiConflictResponse({
    description: 'Idempotency-Key reused with a different body',
    ...errorExample(
      409,
      'CONFLICT',
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different top-up request (top-up c5b7b9f2-…); use a new key for a new top-up',
    ),
  })
  async createTopup(
    @Body() body: CreateTopupDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<TopupView> {
    const idempotencyKey = idempotencyKeyOf(key, { required: false, what: 'top-up' });
    const { created, topup } = await this.deposit.createTopup({
      amount: body.amount,
      payMethod: body.payMethod ?? 'QRIS',
      expiresInSeconds: body.expiresInSeconds ?? this.settings.defaultExpirySeconds,
      idempotencyKey,
    });
    res.status(!created ? HttpStatus.OK : topup.status === 'UNKNOWN' || topup.status === 'PENDING_CREATE' ? HttpStatus.ACCEPTED : HttpStatus.CREATED);
    return topup;
  }

  @Get('topups/:id')
  @ApiOperation({ summary: 'One top-up', description: 'A deposit top-up with its payment instructions and status.' })
  @ApiParam({ name: 'id', description: 'Top-up id (UUID)' })
  @ApiOkResponse({ type: TopupView })
  @ApiNotFoundResponse({ description: 'No such top-up', ...errorExample(404, 'NOT_FOUND', DepositErrorCode.TOPUP_NOT_FOUND, 'No deposit top-up with id …') })
  getTopup(@Param('id', TOPUP_ID) id: string): Promise<TopupView> {
    return this.deposit.getTopup(id);
  }

  @Post('split-fees')
  @ApiOperation({
    summary: 'Deduct deposit and split fee',
    description:
      "Reports a sale collected outside Netzme so that its fee is taken from the deposit (Deduct Deposit and Split Fee). Written before the call under the sale's partnerReferenceNo; " +
      'when the answer is lost (202 UNKNOWN) the gateway re-sends the SAME reference, which Netzme accepts now or refuses as a duplicate: either way the fee is deducted once. Idempotency-Key required.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Unique per sale; the same value when retrying',
    example: '3f0c2b1a-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  })
  @ApiCreatedResponse({ type: SplitFeeView, description: 'DEDUCTED, or FAILED (e.g. Insufficient Funds)' })
  @ApiAcceptedResponse({
    type: SplitFeeView,
    description: 'Outcome unknown: re-sent with the same reference until known',
    example: {
      id: '5d4a1c3e-1b2f-4b58-9d3e-0a1b2c3d4e5f',
      status: 'UNKNOWN',
      partnerReferenceNo: 'SALE-20261121-0042',
      amount: { value: '15000.00', currency: 'IDR' },
      feeAmount: { value: '1500.00', currency: 'IDR' },
      referenceNo: null,
      failureReason: null,
      lastError: 'NetzmeError: timeout after 15000 ms',
      submitAttempts: 1,
      createdAt: '2026-11-21T12:45:12.000Z',
    },
  })
  @ApiOkResponse({ type: SplitFeeView, description: 'Replay of the same Idempotency-Key' })
  @ApiBadRequestResponse({
    description: 'Missing Idempotency-Key, bad amounts',
    ...errorExample(400, 'BAD_REQUEST', DepositErrorCode.INVALID_FEE, 'feeAmount cannot be more than amount'),
  })
  @ApiConflictResponse({
    description: 'Key or sale reference already used',
    ...errorExample(
      409,
      'CONFLICT',
      DepositErrorCode.SPLIT_FEE_REFERENCE_USED,
      'partnerReferenceNo SALE-20261121-0042 was already reported (with another Idempotency-Key)',
    ),
  })
  async createSplitFee(
    @Body() body: CreateSplitFeeDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<SplitFeeView> {
    const idempotencyKey = idempotencyKeyOf(key, { required: true, what: 'split fee' });
    const { created, splitFee } = await this.deposit.createSplitFee({ ...body, idempotencyKey });
    res.status(!created ? HttpStatus.OK : splitFee.status === 'UNKNOWN' || splitFee.status === 'PENDING_SUBMIT' ? HttpStatus.ACCEPTED : HttpStatus.CREATED);
    return splitFee;
  }

  @Get('split-fees/:id')
  @ApiOperation({ summary: 'One split fee', description: 'A Deduct Deposit and Split Fee record and its status.' })
  @ApiParam({ name: 'id', description: 'Split fee id (UUID)' })
  @ApiOkResponse({ type: SplitFeeView })
  @ApiNotFoundResponse({ description: 'No such split fee', ...errorExample(404, 'NOT_FOUND', DepositErrorCode.SPLIT_FEE_NOT_FOUND, 'No split fee with id …') })
  getSplitFee(@Param('id', SPLIT_FEE_ID) id: string): Promise<SplitFeeView> {
    return this.deposit.getSplitFee(id);
  }
}
