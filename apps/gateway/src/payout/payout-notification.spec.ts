import { readCallback } from '../callback/callback-parser';
import type { WithdrawalStatusEvent } from '../callback';
import { readPayoutNotification } from './payout-notification';

/**
 * The payout reading of a Withdraw Status Notification, from literal T19 bodies read by the
 * callback module's parser (the only way an owner ever gets one).
 */
function event(body: string): WithdrawalStatusEvent {
  const read = readCallback('withdrawal-status', body);
  if (read.type !== 'withdrawal-status') throw new Error(`unexpected reading: ${JSON.stringify(read)}`);
  return read;
}

const DOC =
  '{"amount":{"value":"100000.00","currency":"IDR"},"latestTransactionStatus":"00","transactionStatusDesc":"success",' +
  '"originalReferenceNo":"5f79801b-d4e2-4463-bde9-e0855b5745e9","originalPartnerReferenceNo":"20210309103858740544","additionalInfo":{"type":"submit_withdraw"}}';

describe('readPayoutNotification', () => {
  it('reads the doc page body for a merchant payout: ids, succeeded, the amount in sen', () => {
    expect(readPayoutNotification('MERCHANT', event(DOC))).toEqual({
      kind: 'read',
      partnerReferenceNo: '20210309103858740544',
      referenceNo: '5f79801b-d4e2-4463-bde9-e0855b5745e9',
      state: 'succeeded',
      amountMinor: 10000000n,
    });
  });

  it('maps failed and pending codes, and leaves an unknown code unrecognised (null)', () => {
    expect(readPayoutNotification('MERCHANT', event(DOC.replace('"00"', '"06"').replace('"success"', '"failed"')))).toMatchObject({
      kind: 'read',
      state: 'failed',
    });
    expect(readPayoutNotification('MERCHANT', event(DOC.replace('"00"', '"01"')))).toMatchObject({ kind: 'read', state: 'pending' });
    expect(readPayoutNotification('MERCHANT', event(DOC.replace('"00"', '"99"')))).toMatchObject({ kind: 'read', state: null });
  });

  it('an absent amount is null (Netzme may leave it out; the status call decides)', () => {
    expect(
      readPayoutNotification(
        'MERCHANT',
        event('{"originalPartnerReferenceNo":"WD-1","latestTransactionStatus":"00","additionalInfo":{"type":"submit_withdraw"}}'),
      ),
    ).toMatchObject({
      kind: 'read',
      partnerReferenceNo: 'WD-1',
      referenceNo: undefined,
      amountMinor: null,
    });
  });

  it('is not-mine for the other kind of withdrawal, both ways', () => {
    expect(readPayoutNotification('DEPOSIT', event(DOC))).toEqual({
      kind: 'not-mine',
      reason: 'notification type submit_withdraw belongs to another kind of withdrawal',
    });
    const deposit = event(DOC.replace('"submit_withdraw"', '"submit_withdraw_deposit"'));
    expect(readPayoutNotification('DEPOSIT', deposit)).toMatchObject({ kind: 'read', state: 'succeeded' });
    expect(readPayoutNotification('MERCHANT', deposit)).toEqual({
      kind: 'not-mine',
      reason: 'notification type submit_withdraw_deposit belongs to another kind of withdrawal',
    });
  });

  it('is not-mine for an event naming no withdrawal', () => {
    const bare: WithdrawalStatusEvent = { type: 'withdrawal-status', withdrawal: 'merchant', notificationType: 'submit_withdraw', status: '00', amount: null };
    expect(readPayoutNotification('MERCHANT', bare)).toMatchObject({ kind: 'not-mine', reason: expect.stringMatching(/names no withdrawal/) });
  });
});
