import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Put, UsePipes, ValidationPipe } from '@nestjs/common';
import { fromMinor, toMinor } from '@app/snap';
import { ClientsService } from '../auth/clients.service';
import { TokensService } from '../auth/tokens.service';
import { CallbacksService } from '../callbacks/callbacks.service';
import { ConsumerQrisService } from '../consumer/consumer-qris.service';
import { publishedCredentials } from '../credentials/credentials';
import { ConsumerService } from '../consumer/consumer.service';
import { DepositLedgerService } from '../deposit/deposit-ledger.service';
import { DepositService } from '../deposit/deposit.service';
import { FaultsService, isCallbackKind } from '../faults/faults.service';
import { InvoicesService } from '../invoices/invoices.service';
import { MerchantsService } from '../merchants/merchants.service';
import { StateService } from '../state/state.service';
import { StatsService } from '../state/stats.service';
import { WithdrawalsService } from '../withdrawals/withdrawals.service';
import {
  AddFaultDto,
  CompleteWithdrawalDto,
  ConfigureCallbacksDto,
  ExpireTokensDto,
  PayInvoiceDto,
  ResetDto,
  SetBalancesDto,
  StaticQrisPaymentDto,
} from './dto/control.dto';

/**
 * Control API (no Netzme auth): for tests, demos and people. Contract: CONTRACT.md "Sandbox HTTP API".
 */
@Controller('sandbox')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
export class ControlController {
  constructor(
    private readonly clients: ClientsService,
    private readonly tokens: TokensService,
    private readonly merchants: MerchantsService,
    private readonly invoices: InvoicesService,
    private readonly withdrawals: WithdrawalsService,
    private readonly deposit: DepositService,
    private readonly depositLedger: DepositLedgerService,
    private readonly consumers: ConsumerService,
    private readonly consumerQris: ConsumerQrisService,
    private readonly callbacks: CallbacksService,
    private readonly faults: FaultsService,
    private readonly stats: StatsService,
    private readonly state: StateService,
  ) {}

  /**
   * Development credentials (a simulator's; printing them is expected). `privateKey` is PKCS#8 PEM;
   * `privateKeyBase64Pkcs1` is the same key as Netzme issues it (bare base64 PKCS#1).
   */
  @Get('credentials')
  credentials(): unknown {
    return publishedCredentials(this.clients.primary().credentials);
  }

  @Get('state')
  snapshot(): Record<string, unknown> {
    return this.state.snapshot();
  }

  @Post('reset')
  @HttpCode(200)
  reset(@Body() body: ResetDto): { reset: true } {
    this.faults.reset();
    this.callbacks.reset();
    this.invoices.reset();
    this.withdrawals.reset();
    this.deposit.reset();
    this.depositLedger.reset();
    this.merchants.reset();
    this.consumers.reset();
    this.consumerQris.reset();
    this.stats.reset();
    if (body.tokens) {
      this.tokens.reset();
    }
    return { reset: true };
  }

  // ---- invoices ----------------------------------------------------------------------------------

  @Post('invoices/:ref/pay')
  @HttpCode(200)
  pay(@Param('ref') ref: string, @Body() body: PayInvoiceDto): Record<string, unknown> {
    const invoice = this.invoices.pay(ref, body);
    return {
      id: invoice.id,
      trxId: invoice.trxId,
      partnerReferenceNo: invoice.partnerReferenceNo,
      status: invoice.status,
      rrn: invoice.qrisPayment?.rrn,
      netAmount: fromMinor(invoice.netAmountMinor),
      feeAmount: fromMinor(invoice.feeMinor),
    };
  }

  @Post('invoices/:ref/expire')
  @HttpCode(200)
  expire(@Param('ref') ref: string): Record<string, unknown> {
    const invoice = this.invoices.expire(ref);
    return { id: invoice.id, trxId: invoice.trxId, partnerReferenceNo: invoice.partnerReferenceNo, status: invoice.status };
  }

  /** A buyer pays the merchant's static QRIS (no invoice): sends `qris-paid` (T16). */
  @Post('merchants/:merchantId/qris-payments')
  @HttpCode(200)
  staticQris(@Param('merchantId') merchantId: string, @Body() body: StaticQrisPaymentDto): Record<string, unknown> {
    const payment = this.invoices.payStaticQris(merchantId, toMinor(body.amount), body);
    return { rrn: payment.rrn, amount: fromMinor(payment.amountMinor), mdrAmount: fromMinor(payment.mdrMinor) };
  }

  // ---- withdrawals ---------------------------------------------------------------------------------

  @Post('withdrawals/:ref/complete')
  @HttpCode(200)
  complete(@Param('ref') ref: string, @Body() body: CompleteWithdrawalDto): Record<string, unknown> {
    const w = this.withdrawals.complete(ref, body.status === 'success');
    return { referenceNo: w.referenceNo, partnerReferenceNo: w.partnerReferenceNo, status: w.status };
  }

  // ---- balances, tokens, callbacks -------------------------------------------------------------------

  @Put('merchants/:merchantId/balances')
  balances(@Param('merchantId') merchantId: string, @Body() body: SetBalancesDto): Record<string, string> {
    const merchant = this.merchants.setBalances(merchantId, {
      totalBalance: body.totalBalance === undefined ? undefined : toMinor(body.totalBalance),
      settledBalance: body.settledBalance === undefined ? undefined : toMinor(body.settledBalance),
      depositBalance: body.depositBalance === undefined ? undefined : toMinor(body.depositBalance),
    });
    if (!merchant) {
      throw new NotFoundException(`no merchant ${merchantId}`);
    }
    return {
      merchantId,
      totalBalance: fromMinor(merchant.totalBalance),
      settledBalance: fromMinor(merchant.settledBalance),
      depositBalance: fromMinor(merchant.depositBalance),
    };
  }

  @Post('tokens/expire')
  @HttpCode(200)
  expireTokens(@Body() body: ExpireTokensDto): { expired: string[] } {
    return { expired: this.tokens.expire(body.clientId) };
  }

  @Put('callbacks')
  configureCallbacks(@Body() body: ConfigureCallbacksDto): unknown {
    const unknownKinds = Object.keys(body.urls ?? {}).filter((k) => !isCallbackKind(k));
    if (unknownKinds.length > 0) {
      throw new NotFoundException(`unknown callback kind(s): ${unknownKinds.join(', ')}`);
    }
    if (body.clientId && !this.clients.find(body.clientId)) {
      throw new NotFoundException(`no client ${body.clientId}`);
    }
    return this.callbacks.configure(body);
  }

  @Get('callbacks')
  listCallbacks(): unknown {
    return { config: this.callbacks.config(), callbacks: this.callbacks.list() };
  }

  /** Waits until no callback delivery is in flight (handy for tests and scripts). */
  @Post('callbacks/flush')
  @HttpCode(200)
  async flush(): Promise<{ pending: number }> {
    await this.callbacks.idle();
    return { pending: 0 };
  }

  // ---- faults ------------------------------------------------------------------------------------

  @Post('faults')
  addFault(@Body() body: AddFaultDto): unknown {
    return this.faults.add(body);
  }

  @Get('faults')
  listFaults(): unknown {
    return { active: this.faults.active(), events: this.faults.events() };
  }

  @Delete('faults')
  @HttpCode(200)
  clearFaults(): { removed: number } {
    return { removed: this.faults.clear() };
  }
}
