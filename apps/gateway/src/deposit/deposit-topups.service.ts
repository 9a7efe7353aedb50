import { fromMinor, toMinor } from '@app/snap';
import { Inject, Injectable } from '@nestjs/common';
import { BadRequestError, NotFoundError } from '../http/app-error';
import { assertSameRequest, requestFingerprint } from '../idempotency/idempotency';
import { InvoicesService } from '../invoice';
import { DepositErrorCode } from './deposit-errors';
import { DEPOSIT_SETTINGS, type DepositSettings } from './deposit.settings';
import type { TopupView } from './dto/deposit.dto';
import { toTopupView } from './topup-view';

export interface CreateTopupInput {
  amount: string;
  payMethod: string;
  expiresInSeconds: number;
  idempotencyKey?: string;
}

/**
 * Deposit top-ups: invoices with purpose DEPOSIT_TOPUP. The invoice engine creates them (Create
 * Invoice Transaction with apiSource topup_deposit, the row written before the call), polls them and
 * applies their payment callbacks; this service only checks the deposit's own rules (the maximum
 * amount) and shows them in the /deposit/topups shape.
 */
@Injectable()
export class DepositTopupsService {
  constructor(
    private readonly invoices: InvoicesService,
    @Inject(DEPOSIT_SETTINGS) private readonly settings: DepositSettings,
  ) {}

  async create(input: CreateTopupInput): Promise<{ created: boolean; topup: TopupView }> {
    const amountMinor = toMinor(input.amount);
    if (amountMinor <= 0n) {
      throw new BadRequestError(DepositErrorCode.INVALID_AMOUNT, 'amount must be greater than 0');
    }
    if (amountMinor > this.settings.topupMaxMinor) {
      throw new BadRequestError(
        DepositErrorCode.AMOUNT_OUT_OF_RANGE,
        `amount must be at most ${fromMinor(this.settings.topupMaxMinor)} IDR per top-up (DEPOSIT_TOPUP_MAX_AMOUNT; got ${input.amount})`,
        {
          max: fromMinor(this.settings.topupMaxMinor),
        },
      );
    }
    // The same fingerprint as before the merge, so a replay of an older top-up still matches.
    const fingerprint = requestFingerprint({ amount: fromMinor(amountMinor), payMethod: input.payMethod, expiresInSeconds: input.expiresInSeconds });
    const { invoice, created } = await this.invoices.create(
      {
        purpose: 'DEPOSIT_TOPUP',
        merchantOrderId: null,
        amountMinor,
        currency: 'IDR',
        payMethod: input.payMethod,
        expiresInSeconds: input.expiresInSeconds,
        feeType: 'on_seller',
        customer: null,
        description: null,
        idempotencyKey: input.idempotencyKey ?? null,
        fingerprint,
      },
      (existing) => assertSameRequest(existing, fingerprint, 'top-up', { topupId: existing.id }),
    );
    return { created, topup: toTopupView(invoice) };
  }

  async get(id: string): Promise<TopupView> {
    const invoice = await this.invoices.find('DEPOSIT_TOPUP', id);
    if (!invoice) {
      throw new NotFoundError(DepositErrorCode.TOPUP_NOT_FOUND, `No deposit top-up with id ${id}`);
    }
    return toTopupView(invoice);
  }
}
