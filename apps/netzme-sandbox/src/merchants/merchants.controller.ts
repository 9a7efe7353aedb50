import { Controller, Post } from '@nestjs/common';
import { NetzmeBody, NetzmeClientId, NetzmeEndpoint } from '../auth/netzme-endpoint.decorator';
import { money } from '../common/format';
import { uuid } from '../common/ids';
import { Errors, NetzmeError } from '../common/netzme-error';
import { versioned } from '../common/netzme-paths';
import type { WireBody } from '../common/wire-body';
import { FORGOT_PIN_WINDOW_MS, MerchantsService, type Merchant } from './merchants.service';

/** T5 Get Balance Detail (`2001100`); served by SharedPathsController (the path is shared with N5). */
export function balanceDetailResponse(partnerReferenceNo: string, merchant: Merchant): Record<string, unknown> {
  return {
    responseCode: '2001100',
    responseMessage: 'Successful',
    partnerReferenceNo,
    accountInfo: [
      { balanceType: 'totalBalance', availableBalance: money(merchant.totalBalance) },
      { balanceType: 'settledBalance', availableBalance: money(merchant.settledBalance) },
    ],
    additionalInfo: { custIdMerchant: merchant.merchantId },
  };
}

/** Merchant account endpoints: T3 create pin, T4 forgot pin, T7 merchant detail. */
@Controller()
export class MerchantsController {
  constructor(private readonly merchants: MerchantsService) {}

  @Post(versioned('/api/{version}/merchant/create-pin'))
  @NetzmeEndpoint('00')
  createPin(@NetzmeBody() body: WireBody): Record<string, unknown> {
    const merchantId = body.string('custIdMerchant');
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const info = body.object('additionalInfo');
    const pin = info.string('pin');
    info.requireType('create_pin');
    if (!/^[0-9a-fA-F]{64}$/.test(pin)) {
      throw Errors.fieldFormat('Pin'); // the PIN travels as HMAC-SHA256 hex, never in clear
    }
    const merchant = this.merchants.require(merchantId);
    if (merchant.pinHash && merchant.pinHash !== pin.toLowerCase()) {
      throw new NetzmeError(400, '00', 'PIN already exist with different value');
    }
    merchant.pinHash = pin.toLowerCase();
    return { responseCode: '2000000', responseMessage: 'Successful', partnerReferenceNo, additionalInfo: { type: 'create_pin' } };
  }

  @Post(versioned('/api/{version}/merchant/forgot-pin'))
  @NetzmeEndpoint('00')
  forgotPin(@NetzmeBody() body: WireBody): Record<string, unknown> {
    const merchantId = body.string('custIdMerchant');
    const partnerReferenceNo = body.string('partnerReferenceNo');
    body.object('additionalInfo').requireType('forgot_pin');
    const merchant = this.merchants.require(merchantId);
    if (!merchant.pinHash) {
      throw Errors.pinNotFound();
    }
    const now = Date.now();
    if (merchant.lastForgotPinAtMs !== undefined && now - merchant.lastForgotPinAtMs < FORGOT_PIN_WINDOW_MS) {
      throw Errors.rateLimited(FORGOT_PIN_WINDOW_MS - (now - merchant.lastForgotPinAtMs));
    }
    merchant.lastForgotPinAtMs = now;
    return { responseCode: '2000000', responseMessage: 'Successful', partnerReferenceNo, additionalInfo: { timeLeftInMillis: FORGOT_PIN_WINDOW_MS } };
  }

  /** T7 Get Merchant Detail: look a merchant up by phone number. */
  @Post(versioned('/api/{version}/registration-account-inquiry'))
  @NetzmeEndpoint('08')
  merchantDetail(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): Record<string, unknown> {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const phoneNo = body.additionalInfo().optString('phoneNo');
    if (!phoneNo) {
      throw Errors.missingField('phoneNo'); // Netzme: 4000802 "Missing Mandatory Field phoneNo"
    }
    const merchant = this.merchants.findByPhone(phoneNo);
    if (!merchant) {
      throw Errors.accountInactive();
    }
    return {
      responseCode: '2000800',
      responseMessage: 'Successful',
      partnerReferenceNo,
      referenceNo: uuid(),
      accountName: merchant.merchantName,
      accountNo: merchant.phoneNo,
      additionalInfo: { custIdMerchant: merchant.merchantId, clientId, qrStatic: merchant.qrStatic },
    };
  }
}
