import { Body, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CreatePinDto, errorExample, PayoutEngine, payoutController } from '../payout';
import { WithdrawalsService } from './withdrawals.service';

const NETZME_DOWN = errorExample(502, 'BAD_GATEWAY', 'NETZME_UNAVAILABLE', 'Create PIN: Netzme is not available right now (Internal Server Error (5004200))');
const BAD_PIN = errorExample(400, 'BAD_REQUEST', 'VALIDATION_FAILED', ['pin must be exactly 6 digits, as a string']);

/** /withdrawals: the payout routes for the merchant balance (payoutController), plus the withdrawal PIN. */
export class WithdrawalsController extends payoutController({
  kind: 'MERCHANT',
  path: 'withdrawals',
  tag: 'Withdrawals',
  noun: 'withdrawal',
  referencePrefix: 'WD',
  netzmeCall: { inquiry: 'Withdraw inquiry', statusCheck: 'Withdrawal status check' },
  docs: {
    inquiry: {
      summary: 'Withdraw inquiry',
      description: 'Asks Netzme (Withdraw Inquiry) for the payout bank account, the withdrawable amount, the minimum, and whether a withdrawal is allowed now.',
    },
    create: {
      summary: 'Withdraw the merchant balance to the bank',
      description:
        'Validates the amount against a fresh Withdraw Inquiry, records the withdrawal with our partnerReferenceNo, then calls Withdraw Process once. ' +
        '201: Netzme accepted it (PROCESSING; SUCCEEDED comes by notification or polling) or refused it (FAILED, see failureReason). ' +
        '202: Netzme did not answer (UNKNOWN): it will be resolved by asking Netzme, never by sending a new transfer. ' +
        '200: a repeat with the same Idempotency-Key and body returns the same withdrawal; the same key with a different body is refused with 409. ' +
        'Only one withdrawal may be in flight at a time (409).',
    },
    list: {
      summary: 'List withdrawals',
      description: 'Newest first; filter by status and creation date range; paginated. Items carry no event history (GET /withdrawals/:id does).',
    },
    review: {
      summary: 'Withdrawals needing a person',
      description:
        'Withdrawals still unresolved after WITHDRAWAL_REVIEW_AFTER_MS, and withdrawals on which Netzme reported something contradictory (anomaly). Resolve them with POST /withdrawals/:id/resolve.',
    },
    get: { summary: 'One withdrawal', description: 'The withdrawal with its full history of state changes.' },
    resolve: {
      summary: 'Resolve a withdrawal by hand',
      description:
        'For a withdrawal in the review queue, after checking with Netzme out of band: sets SUCCEEDED or FAILED, recording who, when, why and the previous status. ' +
        'On a final withdrawal with an anomaly, the same status acknowledges the anomaly. A final status never changes (409).',
    },
    resubmit: {
      summary: 'Resubmit an unknown withdrawal with the same reference',
      description:
        'For an UNKNOWN withdrawal Netzme has not acknowledged: asks Netzme first; only if Netzme has no such transfer is Withdraw Process sent again with the SAME partnerReferenceNo (never a new one). ' +
        'Needed after a restart, because the PIN is never stored.',
    },
  },
}) {
  // Explicit tokens: the subclass adds a dependency to the payout controller's.
  constructor(
    @Inject(PayoutEngine) engine: PayoutEngine,
    @Inject(WithdrawalsService) private readonly withdrawals: WithdrawalsService,
  ) {
    super(engine);
  }

  @Post('pin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Create the withdrawal PIN',
    description: "Sets the merchant's 6-digit withdrawal PIN at Netzme (Create pin). The PIN is hashed as Netzme requires and is never stored or logged.",
  })
  @ApiOkResponse({ description: 'PIN set', schema: { example: { pinSet: true, partnerReferenceNo: '20261121483920175520' } } })
  @ApiBadRequestResponse({ description: 'PIN not 6 digits', ...BAD_PIN })
  @ApiUnprocessableEntityResponse({
    description: 'Netzme refused it (e.g. a different PIN already exists)',
    ...errorExample(422, 'UNPROCESSABLE_ENTITY', 'NETZME_REJECTED', 'Create PIN: Netzme refused it: PIN already exist with different value (4000000)'),
  })
  @ApiBadGatewayResponse({ description: 'Netzme unavailable', ...NETZME_DOWN })
  createPin(@Body() body: CreatePinDto): Promise<{ pinSet: true; partnerReferenceNo: string }> {
    return this.withdrawals.createPin(body.pin);
  }

  @Post('pin/forgot')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Forgot PIN',
    description: "Starts Netzme's PIN reset for the merchant (Forgot pin). Netzme limits how often it may be asked (retryAfterMs).",
  })
  @ApiOkResponse({ description: 'Reset started', schema: { example: { requested: true, retryAfterMs: 300000, partnerReferenceNo: '20261121483920175521' } } })
  @ApiTooManyRequestsResponse({
    description: 'Asked again too soon',
    ...errorExample(429, 'TOO_MANY_REQUESTS', 'NETZME_RATE_LIMITED', 'Forgot PIN: Activity Count Limit Exceeded. wait 250000 millisecond. (4030004)'),
  })
  @ApiUnprocessableEntityResponse({
    description: 'No PIN to reset',
    ...errorExample(422, 'UNPROCESSABLE_ENTITY', 'NETZME_REJECTED', 'Forgot PIN: Netzme refused it: Existing Pin not found. (4040025)'),
  })
  forgotPin(): Promise<{ requested: true; retryAfterMs: number | null; partnerReferenceNo: string }> {
    return this.withdrawals.forgotPin();
  }
}
