import { applyDecorators, Controller, HttpCode, Logger, Param, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExcludeEndpoint,
  ApiHeader,
  ApiInternalServerErrorResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { CallbackAuthService } from './callback-auth.service';
import { CALLBACK_KIND_INFO, CallbackKind, isCallbackKind, NETZME_REPLIES, NetzmeReply, safeHeaders } from './callback-kinds';
import { CALLBACK_EXAMPLES } from './callback.examples';
import { CallbacksService } from './callbacks.service';
import { NetzmeCallbackError } from './netzme-callback.exception';

/** The parts of the (Fastify) request we read. `rawBody` is kept by the JSON parser (`rawBody: true`). */
interface CallbackHttpRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Path and query exactly as received: the SNAP signature covers it. */
  originalUrl: string;
  body: unknown;
  rawBody?: Buffer;
}

function CallbackRoute(kind: CallbackKind) {
  const info = CALLBACK_KIND_INFO[kind];
  const example = CALLBACK_EXAMPLES[kind];
  const auth =
    info.auth === 'snap'
      ? "Authenticated by the SNAP asymmetric signature: `X-SIGNATURE` = base64 SHA256withRSA over `POST:<path as received>:<sha256hex(minify(raw body))>:<X-TIMESTAMP>`, verified with Netzme's public key (NETZME_PUBLIC_KEY); `X-TIMESTAMP` must be within CALLBACK_TIMESTAMP_WINDOW_SECONDS (default 300) of now."
      : 'Authenticated by the `x-callback-token` header Netzme issued (NETZME_CALLBACK_TOKEN), compared in constant time.';
  return applyDecorators(
    Post(kind),
    HttpCode(200),
    ApiOperation({
      summary: `${info.title} (${info.page})`,
      description:
        `Netzme -> gateway. Register this URL with Netzme under \`${info.netzmeConfigKey}\`. ${auth} ` +
        "No API key. The notification is stored once (raw body, headers without secrets) under a dedupe key made of Netzme's ids, status and amounts, answered at once, then confirmed: " +
        "the owning module asks Netzme's status call and moves the order, top-up or withdrawal only on Netzme's answer and amount (confirm before trust). Repeats are acknowledged and not applied again. " +
        'Missing optional fields (amount, feeAmount, ...) are fine; amounts that are present must be decimal strings with two decimals in IDR. ' +
        'What Netzme does not confirm, malformed amounts, unknown references, NUL characters and too deep nesting are kept as anomalies for admins and still answered 200 so that Netzme stops retrying. ' +
        "Every answer, errors included, is in Netzme's format.",
    }),
    info.auth === 'snap'
      ? applyDecorators(
          ApiHeader({ name: 'X-SIGNATURE', required: true }),
          ApiHeader({ name: 'X-TIMESTAMP', required: true, example: '2023-11-15T05:20:01+07:00' }),
        )
      : ApiHeader({ name: 'x-callback-token', required: true }),
    ApiBody({ schema: { type: 'object', example: example.body } }),
    ApiOkResponse({ description: 'Stored (to be confirmed with Netzme, recorded, or kept as an anomaly)', schema: { example: example.reply } }),
    ApiBadRequestResponse({ description: 'Not a JSON object', schema: { example: NETZME_REPLIES.invalidBody } }),
    ApiUnauthorizedResponse({
      description:
        info.auth === 'snap'
          ? 'Wrong or missing signature, or a stale X-TIMESTAMP; nothing is stored or changed'
          : 'Wrong or missing token; nothing is stored or changed',
      schema: { example: info.auth === 'snap' ? NETZME_REPLIES.unauthorizedSignature : NETZME_REPLIES.unauthorizedToken },
    }),
    ApiInternalServerErrorResponse({ description: 'Could not store it: Netzme should send it again', schema: { example: NETZME_REPLIES.serverError } }),
  );
}

/**
 * Netzme's notifications, one route per kind under /callbacks/netzme. Public (Netzme authenticates
 * itself with its token or signature) and answered only in Netzme's format.
 */
@ApiTags('Netzme callbacks')
@Controller('callbacks/netzme')
@Public()
export class NetzmeCallbacksController {
  private readonly logger = new Logger('Callbacks');

  constructor(
    private readonly auth: CallbackAuthService,
    private readonly callbacks: CallbacksService,
  ) {}

  @CallbackRoute('invoice-paid')
  invoicePaid(@Req() req: CallbackHttpRequest): Promise<NetzmeReply> {
    return this.handle('invoice-paid', req);
  }

  @CallbackRoute('qris-paid')
  qrisPaid(@Req() req: CallbackHttpRequest): Promise<NetzmeReply> {
    return this.handle('qris-paid', req);
  }

  @CallbackRoute('qris-paid-snap')
  qrisPaidSnap(@Req() req: CallbackHttpRequest): Promise<NetzmeReply> {
    return this.handle('qris-paid-snap', req);
  }

  @CallbackRoute('withdrawal-status')
  withdrawalStatus(@Req() req: CallbackHttpRequest): Promise<NetzmeReply> {
    return this.handle('withdrawal-status', req);
  }

  @CallbackRoute('qris-payment')
  qrisPayment(@Req() req: CallbackHttpRequest): Promise<NetzmeReply> {
    return this.handle('qris-payment', req);
  }

  @CallbackRoute('bill-paid')
  billPaid(@Req() req: CallbackHttpRequest): Promise<NetzmeReply> {
    return this.handle('bill-paid', req);
  }

  @CallbackRoute('account-upgrade')
  accountUpgrade(@Req() req: CallbackHttpRequest): Promise<NetzmeReply> {
    return this.handle('account-upgrade', req);
  }

  /** Anything else under /callbacks/netzme: Netzme-format 404. */
  @Post(':kind')
  @ApiExcludeEndpoint()
  unknown(@Param('kind') kind: string): never {
    throw new NetzmeCallbackError(404, { ...NETZME_REPLIES.notFound, responseMessage: `Not Found. unknown callback kind ${kind.slice(0, 40)}` });
  }

  private async handle(kind: CallbackKind, req: CallbackHttpRequest): Promise<NetzmeReply> {
    if (!isCallbackKind(kind)) {
      throw new NetzmeCallbackError(404, NETZME_REPLIES.notFound);
    }
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    const verdict = this.auth.verify(kind, { header, pathAsReceived: req.originalUrl, rawBody: req.rawBody });
    if (!verdict.ok) {
      // Not Netzme (or misconfigured): change nothing, store nothing.
      this.logger.warn(`refused ${kind} callback: ${verdict.reason}`);
      throw new NetzmeCallbackError(
        401,
        verdict.scheme === 'token' ? NETZME_REPLIES.unauthorizedToken : verdict.stale ? NETZME_REPLIES.staleTimestamp : NETZME_REPLIES.unauthorizedSignature,
      );
    }
    return this.callbacks.receive({ kind, body: req.body, rawBody: req.rawBody?.toString('utf8'), headers: safeHeaders(req.headers) });
  }
}
