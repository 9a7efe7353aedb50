import { jakartaTimestamp, toMinor, type PaymentBillUrlQuery } from '@app/snap';
import type { PaymentUrlParams } from '../params';
import { amount, invalidRequest, required } from './request-fields';

/**
 * The links to Netzme's PIN webview (N14 Payment Bill, N16 Seamless Payment): no API call, the
 * user opens the URL and the result arrives by notification. One per consumer configuration, as it
 * numbers its default request ids.
 */
export class PaymentWebview {
  private requestCounter = 0;

  constructor(
    private readonly clientId: string,
    private readonly webviewUrl: string | undefined,
    private readonly now: () => number,
  ) {}

  url(type: string, params: PaymentUrlParams): string {
    if (!this.webviewUrl) {
      throw invalidRequest('consumer.webviewUrl', 'is not configured');
    }
    const minor = typeof params.amount === 'bigint' ? params.amount : toMinor(amount('amount', params.amount).value);
    if (minor % 100n !== 0n) {
      throw invalidRequest('amount', 'Payment Bill takes whole rupiah');
    }
    const expiredAt = params.expiredAt instanceof Date ? params.expiredAt : new Date(params.expiredAt);
    if (Number.isNaN(expiredAt.getTime())) {
      throw invalidRequest('expiredAt', 'is not a date');
    }
    const query: PaymentBillUrlQuery = {
      requestId: params.requestId ?? this.requestId(),
      type,
      userId: required('userId', params.userId),
      billId: required('billId', params.billId),
      amount: (minor / 100n).toString(),
      aggregatorId: this.clientId,
      description: params.description ?? '',
      expired_at: expiredAt.toISOString(),
    };
    const url = new URL(this.webviewUrl);
    for (const [key, value] of Object.entries(query)) {
      url.searchParams.set(key, value);
    }
    return url.toString();
  }

  /** `{ClientId}{yyyyMMddHHmmss}{4-digit counter}` (N14). */
  private requestId(): string {
    const stamp = jakartaTimestamp(new Date(this.now())).slice(0, 19).replace(/[-T:]/g, '');
    this.requestCounter = (this.requestCounter + 1) % 10_000;
    return `${this.clientId}${stamp}${String(this.requestCounter).padStart(4, '0')}`;
  }
}
