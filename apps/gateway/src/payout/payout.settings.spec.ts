import { ConfigurationError } from '../config/env-validation';
import { loadPayoutSettings } from './payout.settings';

describe('payout settings (WITHDRAWAL_*)', () => {
  it('has safe defaults, in milliseconds and sen', () => {
    expect(loadPayoutSettings({}, 15_000)).toEqual({
      reviewAfterMs: 1_800_000,
      pollBatch: 20,
      pollLeaseMs: 120_000,
      pollDelayMs: 15_000,
      pollMaxDelayMs: 600_000,
      submitGraceMs: 60_000,
      maxResubmits: 5,
      replayWaitMs: 10_000,
      pinMemoryMs: 900_000,
      minAmountMinor: 100_000n,
    });
  });

  it('reads the environment names operators already set', () => {
    const settings = loadPayoutSettings({ WITHDRAWAL_POLL_BATCH: '50', WITHDRAWAL_PIN_MEMORY_MS: '0', WITHDRAWAL_MIN_AMOUNT: '25000.50' }, 15_000);
    expect(settings).toMatchObject({ pollBatch: 50, pinMemoryMs: 0, minAmountMinor: 2_500_050n });
  });

  it.each([
    [{ WITHDRAWAL_POLL_BATCH: '0' }, /WITHDRAWAL_POLL_BATCH/],
    [{ WITHDRAWAL_POLL_BATCH: '501' }, /WITHDRAWAL_POLL_BATCH/],
    [{ WITHDRAWAL_REVIEW_AFTER_MS: 'soon' }, /WITHDRAWAL_REVIEW_AFTER_MS/],
    [{ WITHDRAWAL_MIN_AMOUNT: '1,000' }, /WITHDRAWAL_MIN_AMOUNT must be a decimal amount/],
    [{ WITHDRAWAL_SUBMIT_GRACE_MS: '15000' }, /WITHDRAWAL_SUBMIT_GRACE_MS: must be longer than NETZME_TIMEOUT_MS \(15000 ms\)/],
  ])('refuses %p, naming the setting', (raw, message) => {
    expect(() => loadPayoutSettings(raw, 15_000)).toThrow(ConfigurationError);
    expect(() => loadPayoutSettings(raw, 15_000)).toThrow(message);
  });
});
