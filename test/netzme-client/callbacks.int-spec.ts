import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NetzmeClient } from '@app/netzme-client';
import {
  CALLBACK_KINDS,
  CALLBACK_SUCCESS_REPLY,
  CALLBACK_TOKEN_HEADER,
  type CallbackKind,
  type ConsumerQrisPaymentCallback,
  type InvoicePaymentCallback,
  type PaymentBillCallback,
  type QrisPaymentCallback,
  type UpgradeAccountCallback,
  type WithdrawStatusCallback,
} from '@app/snap';
import { startSandbox, testCredentials, type StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';

/**
 * The callback payload types in @app/snap are shared by the sandbox (sender) and the gateway
 * (receiver). This suite receives real callbacks from the sandbox and checks every field those
 * types declare as required, so the two sides cannot drift apart silently.
 */
interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

const isAmount = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { value?: unknown }).value === 'string' &&
  /^\d+\.\d{2}$/.test((v as { value: string }).value) &&
  (v as { currency?: unknown }).currency === 'IDR';

/** Runtime mirror of each type's required fields. */
const REQUIRED: Record<CallbackKind, (b: Record<string, unknown>) => void> = {
  'invoice-paid': (b) => {
    const p = b as unknown as InvoicePaymentCallback;
    expect(typeof p.originalReferenceNo).toBe('string');
    expect(typeof p.originalPartnerReferenceNo).toBe('string');
    expect(p.latestTransactionStatus).toBe('00');
    expect(isAmount(p.amount)).toBe(true);
    // originalPartnerReferenceNo is the merchant's own reference (as Netzme's WooCommerce plugin reads
    // it), not the trxId; the plugin also reads top-level id and merchant.
    expect(typeof p.additionalInfo?.transactionId).toBe('string');
    expect(p.originalPartnerReferenceNo).not.toBe(p.additionalInfo?.transactionId);
    expect(p.id).toBe(p.originalReferenceNo);
    expect(typeof p.merchant).toBe('string');
  },
  'qris-paid': (b) => {
    const p = b as unknown as QrisPaymentCallback;
    expect(typeof p.originalReferenceNo).toBe('string');
    expect(isAmount(p.amount)).toBe(true);
    expect(typeof p.latestTransactionStatus).toBe('string');
  },
  'qris-paid-snap': (b) => REQUIRED['qris-paid'](b),
  'withdrawal-status': (b) => {
    const p = b as unknown as WithdrawStatusCallback;
    expect(typeof p.originalReferenceNo).toBe('string');
    expect(typeof p.originalPartnerReferenceNo).toBe('string');
    expect(isAmount(p.amount)).toBe(true);
    expect(typeof p.latestTransactionStatus).toBe('string');
    expect(['submit_withdraw', 'submit_withdraw_deposit']).toContain(p.additionalInfo.type);
  },
  'qris-payment': (b) => {
    const p = b as unknown as ConsumerQrisPaymentCallback;
    expect(typeof p.transactionStatusDesc).toBe('string');
    expect(['00', '07']).toContain(p.latestTransactionStatus);
    expect(typeof p.originalReferenceNo).toBe('string');
  },
  'bill-paid': (b) => {
    const p = b as unknown as PaymentBillCallback;
    expect(typeof p.latestTransactionStatus).toBe('string');
    expect(typeof p.originalReferenceNo).toBe('string');
    expect(typeof p.additionalInfo.type).toBe('string');
    expect(typeof p.additionalInfo.billId).toBe('string');
  },
  'account-upgrade': (b) => {
    const p = b as unknown as UpgradeAccountCallback;
    expect(typeof p.originalReferenceNo).toBe('string');
    expect(typeof p.custId).toBe('string');
    expect(['approved', 'rejected']).toContain(p.status ?? p.additionalInfo?.status);
  },
};

describe('callback payloads: sandbox deliveries match the shared @app/snap types', () => {
  let sandbox: StartedSandbox;
  let receiver: Server;
  const received: Received[] = [];
  const creds = testCredentials();

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (text += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(CALLBACK_SUCCESS_REPLY));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks/netzme`;
    sandbox = await startSandbox({ port: 0, quiet: true, credentials: creds, callbackBaseUrl: base, callbackRetry: { attempts: 1, backoffMs: 10 } });
  });

  afterAll(async () => {
    await sandbox?.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  async function control(method: string, path: string, body: unknown = {}): Promise<Record<string, unknown>> {
    const res = await fetch(`${sandbox.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.ok).toBe(true);
    return (await res.json()) as Record<string, unknown>;
  }

  it('every kind the sandbox sends carries the fields its type requires, with the callback token', async () => {
    const client = new NetzmeClient({
      baseUrl: sandbox.url,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      privateKey: creds.privateKey,
      merchantId: creds.merchantId,
      logger: false,
      consumer: { baseUrl: sandbox.url, clientId: creds.clientId, clientSecret: creds.clientSecret, privateKey: creds.privateKey },
    });
    const custId = creds.consumer!.custId;
    // invoice-paid
    const invoice = await client.createInvoiceTransaction({ partnerReferenceNo: `CB-${Date.now()}`, amount: '15000.00', payMethod: 'QRIS' });
    await control('POST', `/sandbox/invoices/${invoice.additionalInfo.trxId}/pay`);
    // qris-paid (static QRIS, no invoice)
    await control('POST', `/sandbox/merchants/${creds.merchantId}/qris-payments`, { amount: '5000.00' });
    // withdrawal-status
    const inquiry = await client.withdrawInquiry();
    const wd = await client.withdrawProcess({ partnerReferenceNo: `CBW-${Date.now()}`, amount: '10000.00', beneficiary: inquiry, pin: creds.merchantPin! });
    await control('POST', `/sandbox/withdrawals/${wd.referenceNo}/complete`, { status: 'success' });
    // qris-payment (consumer pays a QRIS)
    const qr = await client.createInvoiceTransaction({ partnerReferenceNo: `CBQ-${Date.now()}`, amount: '2000.00', payMethod: 'QRIS' });
    await client.payQris({ partnerReferenceNo: `CBP-${Date.now()}`, custId, qrContent: qr.additionalInfo.qrContent!, amount: '2000.00' });
    // bill-paid, account-upgrade
    await control('POST', `/sandbox/consumers/${custId}/bills`, { amount: '25000.00', billId: 'BILL-1', description: 'tiket' });
    await control('POST', `/sandbox/consumers/${custId}/upgrade`, { status: 'approved' });
    await control('POST', '/sandbox/callbacks/flush');

    const kinds = new Set(received.map((r) => r.path.split('/').pop() as CallbackKind));
    for (const kind of [
      CALLBACK_KINDS.invoicePayment,
      CALLBACK_KINDS.qrisPayment,
      CALLBACK_KINDS.withdrawStatus,
      CALLBACK_KINDS.consumerQrisPayment,
      CALLBACK_KINDS.paymentBill,
      CALLBACK_KINDS.upgradeAccount,
    ]) {
      expect([kind, kinds.has(kind)]).toEqual([kind, true]);
    }
    for (const r of received) {
      const kind = r.path.split('/').pop() as CallbackKind;
      expect(Object.values(CALLBACK_KINDS)).toContain(kind);
      expect(r.headers[CALLBACK_TOKEN_HEADER]).toBe(creds.callbackToken);
      REQUIRED[kind](r.body);
    }
  });
});
