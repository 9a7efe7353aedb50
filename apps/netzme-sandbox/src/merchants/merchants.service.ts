import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { hashPin } from '@app/snap';
import { Errors } from '../common/netzme-error';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import type { SandboxCredentials } from '../credentials/credentials';
import { buildQris, type QrisMerchant } from '../invoices/qris';

export interface BankAccount {
  accountName: string;
  accountNumber: string;
  bankName: string;
  bankCode: string;
}

/** A Toko Netzme merchant with its balances (sen) and the partner's prepaid deposit. */
export interface Merchant extends QrisMerchant {
  clientId: string;
  phoneNo: string;
  /** All funds including the unsettled part. */
  totalBalance: bigint;
  /** The settled, withdrawable part. */
  settledBalance: bigint;
  /** The partner's prepaid deposit (fees of split-fee notifications are taken from it). */
  depositBalance: bigint;
  pinHash?: string;
  lastForgotPinAtMs?: number;
  bank: BankAccount;
  depositBank: BankAccount;
  qrStatic: string;
}

/** Minimum wait between two forgot-pin requests (the doc example answers timeLeftInMillis 300000). */
export const FORGOT_PIN_WINDOW_MS = 5 * 60 * 1000;

/** Seed balances of the development merchant: enough to try a withdrawal right away. */
const SEED = { totalBalance: 150000000n, settledBalance: 100000000n, depositBalance: 50000000n };

function digitsFrom(text: string, length: number): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return BigInt(`0x${hex}`).toString().slice(0, length).padStart(length, '0');
}

@Injectable()
export class MerchantsService {
  private readonly merchants = new Map<string, Merchant>();

  constructor(@Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions) {
    this.reset();
  }

  reset(): void {
    this.merchants.clear();
    this.seed(this.options.credentials);
  }

  /** The development merchant of a client, with a PIN already set (as a merchant would in the app). */
  seed(credentials: SandboxCredentials): Merchant {
    const merchantId = credentials.merchantId;
    const base: QrisMerchant = {
      merchantName: 'Warung Sandbox',
      merchantCity: 'JAKARTA SELATAN',
      postalCode: '12190',
      nmid: `ID10${digitsFrom(merchantId, 11)}`,
      mpan: `93600814${digitsFrom(`pan${merchantId}`, 10)}`,
      merchantId,
      mcc: '5812',
      criteria: 'UMI',
    };
    const merchant: Merchant = {
      ...base,
      clientId: credentials.clientId,
      phoneNo: '081200000001',
      ...SEED,
      pinHash: credentials.merchantPin ? hashPin(credentials.clientId, merchantId, credentials.merchantPin) : undefined,
      bank: { accountName: 'Warung Sandbox', accountNumber: '2288996060', bankName: 'BTPN SYARIAH', bankCode: '547' },
      depositBank: { accountName: 'PT Sandbox Partner', accountNumber: '1234567890', bankName: 'BANK CENTRAL ASIA', bankCode: '014' },
      qrStatic: buildQris(base),
    };
    this.merchants.set(merchantId, merchant);
    return merchant;
  }

  find(merchantId: string): Merchant | undefined {
    return this.merchants.get(merchantId);
  }

  /** The merchant, or Netzme's `404xx08 Invalid Merchant`. */
  require(merchantId: string): Merchant {
    const merchant = this.merchants.get(merchantId);
    if (!merchant) {
      throw Errors.invalidMerchant();
    }
    return merchant;
  }

  findByPhone(phoneNo: string): Merchant | undefined {
    const wanted = phoneNo.replace(/^\+62/, '0');
    return [...this.merchants.values()].find((m) => m.phoneNo === wanted);
  }

  all(): Merchant[] {
    return [...this.merchants.values()];
  }

  exportState(): Merchant[] {
    return this.all();
  }

  /** Replaces the seeded merchants with the saved ones (balances, PIN, forgot-pin window). */
  importState(merchants: Merchant[]): void {
    this.merchants.clear();
    for (const merchant of merchants) {
      this.merchants.set(merchant.merchantId, merchant);
    }
  }

  /** A paid invoice: the net amount lands in both total and settled balance. */
  creditSale(merchant: Merchant, netMinor: bigint): void {
    merchant.totalBalance += netMinor;
    merchant.settledBalance += netMinor;
  }

  setBalances(merchantId: string, balances: { totalBalance?: bigint; settledBalance?: bigint; depositBalance?: bigint }): Merchant | undefined {
    const merchant = this.merchants.get(merchantId);
    if (!merchant) {
      return undefined;
    }
    if (balances.totalBalance !== undefined) {
      merchant.totalBalance = balances.totalBalance;
    }
    if (balances.settledBalance !== undefined) {
      merchant.settledBalance = balances.settledBalance;
    }
    if (balances.depositBalance !== undefined) {
      merchant.depositBalance = balances.depositBalance;
    }
    return merchant;
  }
}
