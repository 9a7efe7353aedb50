import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { FAULT_MODES, type FaultMode } from '../../faults/faults.service';

const DECIMAL = /^(0|[1-9]\d*)(\.\d{1,2})?$/;
const DECIMAL_MESSAGE = 'must be a decimal string with at most two decimals, e.g. "150000.00"';

export class AddFaultDto {
  /** A Netzme request path (version segment ignored) or a callback kind. */
  @IsString()
  target: string;

  @IsIn(FAULT_MODES)
  mode: FaultMode;

  @IsOptional()
  @IsInt()
  @Min(1)
  count?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600000)
  delayMs?: number;

  @IsOptional()
  @IsBoolean()
  beforeProcessing?: boolean;

  @IsOptional()
  @IsBoolean()
  afterProcessing?: boolean;
}

export class CompleteWithdrawalDto {
  @IsIn(['success', 'failed'])
  status: 'success' | 'failed';
}

/** Who pays a QRIS (invoice or static): the issuer and the buyer's name the callback reports. */
class QrisBuyerDto {
  @IsOptional()
  @IsString()
  issuerName?: string;

  @IsOptional()
  @IsString()
  buyerFullname?: string;
}

export class PayInvoiceDto extends QrisBuyerDto {
  @IsOptional()
  @IsString()
  customerPan?: string;
}

export class SetBalancesDto {
  @IsOptional()
  @Matches(DECIMAL, { message: `totalBalance ${DECIMAL_MESSAGE}` })
  totalBalance?: string;

  @IsOptional()
  @Matches(DECIMAL, { message: `settledBalance ${DECIMAL_MESSAGE}` })
  settledBalance?: string;

  @IsOptional()
  @Matches(DECIMAL, { message: `depositBalance ${DECIMAL_MESSAGE}` })
  depositBalance?: string;
}

export class ConfigureCallbacksDto {
  @IsOptional()
  @IsString()
  baseUrl?: string | null;

  /** `{ "<callback kind>": "<url>" }`; null removes an override. */
  @IsOptional()
  @IsObject()
  urls?: Record<string, string | null>;

  @IsOptional()
  @IsIn(['token', 'snap'])
  auth?: 'token' | 'snap';

  /**
   * What the invoice payment callback (T15) carries in `originalPartnerReferenceNo`: the merchant's
   * own `partnerReferenceNo` (default; what Netzme's WooCommerce plugin relies on) or Netzme's
   * `trxId` (the doc page's reading).
   */
  @IsOptional()
  @IsIn(['partnerReferenceNo', 'trxId'])
  invoiceReference?: 'partnerReferenceNo' | 'trxId';

  @IsOptional()
  @IsString()
  clientId?: string;
}

export class ExpireTokensDto {
  @IsOptional()
  @IsString()
  clientId?: string;
}

export class ResetDto {
  /** Also forget the live access tokens (default: they survive a reset). */
  @IsOptional()
  @IsBoolean()
  tokens?: boolean;
}

export class StaticQrisPaymentDto extends QrisBuyerDto {
  @Matches(DECIMAL, { message: `amount ${DECIMAL_MESSAGE}` })
  amount: string;
}
