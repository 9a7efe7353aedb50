/**
 * What Netzme charges the merchant per payment (MDR), in sen, rounded half up. The figures are the
 * sandbox's own (documented-looking, not Netzme's price list): QRIS 0.7 % as set by Bank Indonesia
 * for regular merchants, bank transfer / virtual account a flat Rp 4,000, retail outlets Rp 5,000,
 * cards 2.9 %, e-wallets 1.5 %. Deposit top-ups are free.
 */
type FeeRule = { percentBasisPoints: bigint } | { flatMinor: bigint };

const RULES: Record<string, FeeRule> = {
  QRIS: { percentBasisPoints: 70n },
  QRIS_DINAMIS_TERMINAL: { percentBasisPoints: 70n },
  NETZME: { percentBasisPoints: 70n },
  NETZME_SEAMLESS: { percentBasisPoints: 70n },
  BANK_TRANSFER: { flatMinor: 400000n },
  BCA: { flatMinor: 400000n },
  RETAIL_OUTLET: { flatMinor: 500000n },
  CREDIT_CARD: { percentBasisPoints: 290n },
};

const DEFAULT_RULE: FeeRule = { percentBasisPoints: 150n };

/** amount * bp / 10000, rounded half up (amounts are never negative here). */
export function basisPointsOf(amountMinor: bigint, basisPoints: bigint): bigint {
  return (amountMinor * basisPoints + 5000n) / 10000n;
}

export function mdrFor(payMethod: string, amountMinor: bigint): bigint {
  const rule = RULES[payMethod] ?? (payMethod.startsWith('VA_') ? { flatMinor: 400000n } : DEFAULT_RULE);
  const fee = 'flatMinor' in rule ? rule.flatMinor : basisPointsOf(amountMinor, rule.percentBasisPoints);
  return fee > amountMinor ? amountMinor : fee;
}
