/**
 * Compile-time checks, compiled (never run) by src/types.spec.ts. Every `@ts-expect-error` line
 * must fail to compile: if one of them starts compiling (a number became acceptable), tsc reports
 * an unused directive and the spec fails.
 */
import type { CreateInvoiceTransactionRequest, NoNumbers, WithdrawProcessRequest, WireJson } from '@app/snap';
import type { NetzmeClient } from '@app/netzme-client';

export function requestTypesHaveNoNumbers(client: NetzmeClient): void {
  // A body with a numeric field does not fit the NoNumbers guard.
  // @ts-expect-error numbers are mapped to never
  const bad: NoNumbers<{ amount: number }> = { amount: 10000 };
  void bad;

  // Wire request types take strings only.
  const amount = { value: '10000.00', currency: 'IDR' };
  // @ts-expect-error amount.value must be a string
  const wrongAmount: CreateInvoiceTransactionRequest['amount'] = { value: 10000, currency: 'IDR' };
  void wrongAmount;
  // @ts-expect-error expireInSecond is a string on the wire
  const wrongExpiry: CreateInvoiceTransactionRequest['expireInSecond'] = 600;
  void wrongExpiry;
  // @ts-expect-error WireJson has no numbers
  const json: WireJson = { a: 1 };
  void json;
  const ok: WithdrawProcessRequest['amount'] = amount;
  void ok;

  // Client methods refuse number amounts (floats are the classic money bug).
  // @ts-expect-error amount must be a decimal string, an Amount or bigint sen
  void client.createInvoiceTransaction({ partnerReferenceNo: 'x', amount: 100.5, payMethod: 'QRIS' });
  // @ts-expect-error money-moving calls need the caller's partnerReferenceNo
  void client.withdrawProcess({
    amount: '10.00',
    pin: '123456',
    beneficiary: { beneficiaryAccountName: 'a', beneficiaryAccountNumber: 'b', beneficiaryBankName: 'c', beneficiaryBankCode: 'd' },
  });
  // Integers that Netzme takes as strings may be given as numbers: the client converts them.
  void client.createInvoiceTransaction({ partnerReferenceNo: 'x', amount: 1500050n, payMethod: 'QRIS', expireInSecond: 600 });
}
