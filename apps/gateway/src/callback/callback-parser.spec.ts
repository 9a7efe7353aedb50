import type { CallbackKind } from '@app/snap';
import { parseCallback, readCallback } from './callback-parser';
import { MAX_CALLBACK_JSON_DEPTH } from './callback-intake';

/**
 * The parser against literal bodies: from Netzme's doc pages (docs/netzme-protocol.md T15-T19, N13,
 * N15, N17), in the shapes Netzme's own WooCommerce plugin reads, and hostile ones. Literal strings on
 * purpose: objects built from our own wire types would only agree with our own reading.
 */
const read = (kind: CallbackKind, body: string) => readCallback(kind, body);

describe('callback parser', () => {
  describe('T15 Payment Success Callback (Invoice)', () => {
    it('the doc reading: originalReferenceNo = invoice id, originalPartnerReferenceNo = trxId, QRIS facts in qrDetail', () => {
      const body =
        '{"originalReferenceNo":"NETZ-INV-M_TB1NMLig1700000000000abc","originalPartnerReferenceNo":"0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c",' +
        '"latestTransactionStatus":"00","transactionStatusDesc":"Success",' +
        '"amount":{"value":"10000.00","currency":"IDR"},"netAmount":{"value":"9930.00","currency":"IDR"},"feeAmount":{"value":"70.00","currency":"IDR"},' +
        '"additionalInfo":{"custIdMerchant":"M_TB1NMLig","paymentTime":"2023-11-15T05:20:01+07:00","paymentMethod":"QRIS","paymentChannel":"QRIS",' +
        '"transactionId":"0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c","isSplitFee":false,"spiltFees":[],' +
        '"qrDetail":{"rrn":"411310123456","issuerName":"GOPAY","acquirerName":"NETZME","terminalId":"A01","invoiceId":"NETZ-INV-M_TB1NMLig1700000000000abc","localTrasactionDate":20231115}}}';
      expect(read('invoice-paid', body)).toEqual({
        type: 'invoice-paid',
        references: {
          trxId: '0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c',
          invoiceId: 'NETZ-INV-M_TB1NMLig1700000000000abc',
          partnerReferenceNo: '0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c',
        },
        status: '00',
        amounts: { amount: 1000000n, fee: 7000n, net: 993000n },
        paidAt: new Date('2023-11-14T22:20:01Z'),
        details: {
          method: 'QRIS',
          channel: 'QRIS',
          rrn: '411310123456',
          issuerName: 'GOPAY',
          issuerId: undefined,
          acquirerName: 'NETZME',
          customerPan: undefined,
          buyerName: undefined,
          bankCode: undefined,
          paymentTime: '2023-11-15T05:20:01+07:00',
        },
        topupMarked: false,
      });
    });

    it("the plugin's reading: its own partnerReferenceNo in originalPartnerReferenceNo, the invoice in a top-level id, only netAmount", () => {
      // What Netzme's WooCommerce plugin reads: id, merchant, originalPartnerReferenceNo (split on '-'), netAmount.value, paymentTime.
      const body =
        '{"id":"NETZ-INV-M_TB1NMLig1700000000000abc","merchant":"M_TB1NMLig","originalPartnerReferenceNo":"2023111512345-42","netAmount":{"value":"9930.00","currency":"IDR"},"additionalInfo":{"paymentTime":"2023-11-15T05:20:01+07:00"}}';
      expect(read('invoice-paid', body)).toMatchObject({
        type: 'invoice-paid',
        references: { trxId: '2023111512345-42', invoiceId: 'NETZ-INV-M_TB1NMLig1700000000000abc', partnerReferenceNo: '2023111512345-42' },
        status: undefined,
        amounts: { amount: null, fee: null, net: 993000n },
        paidAt: new Date('2023-11-14T22:20:01Z'),
      });
      // Any single id is enough to look for the invoice.
      expect(read('invoice-paid', '{"id":"NETZ-INV-1"}')).toMatchObject({ type: 'invoice-paid', references: { invoiceId: 'NETZ-INV-1' } });
      expect(read('invoice-paid', '{"additionalInfo":{"transactionId":"trx-1"}}')).toMatchObject({ type: 'invoice-paid', references: { trxId: 'trx-1' } });
    });

    it('the sandbox shape: transactionId and partnerReferenceNo apart, a deposit top-up marked by apiSource, epoch-millisecond times', () => {
      const body =
        '{"id":"NETZ-INV-T1","originalReferenceNo":"NETZ-INV-T1","originalPartnerReferenceNo":"DEP-20231115-1","latestTransactionStatus":"00",' +
        '"amount":{"value":"100000.00","currency":"IDR"},"additionalInfo":{"transactionId":"trx-9","paidTs":"1700000401000","apiSource":"topup_deposit","bankCode":"014","paymentMethod":"BANK_TRANSFER"}}';
      expect(read('invoice-paid', body)).toMatchObject({
        references: { trxId: 'trx-9', invoiceId: 'NETZ-INV-T1', partnerReferenceNo: 'DEP-20231115-1' },
        paidAt: new Date(1700000401000),
        details: { method: 'BANK_TRANSFER', bankCode: '014' },
        topupMarked: true,
      });
    });

    it('names the missing field when no id at all is present', () => {
      expect(read('invoice-paid', '{"latestTransactionStatus":"00","amount":{"value":"10000.00","currency":"IDR"}}')).toEqual({
        type: 'unreadable',
        kind: 'invoice-paid',
        reason: 'malformed: originalReferenceNo is missing',
      });
      expect(read('invoice-paid', '{"originalReferenceNo":"   ","additionalInfo":[]}')).toMatchObject({
        type: 'unreadable',
        reason: 'malformed: originalReferenceNo is missing',
      });
    });
  });

  describe('T16/T17/T18 Payment Success Callback QRIS', () => {
    const staticQris =
      '{"originalReferenceNo":"411310123456","amount":{"value":"5000.00","currency":"IDR"},"netAmount":{"value":"4965.00","currency":"IDR"},"feeAmount":{"value":"35.00","currency":"IDR"},' +
      '"latestTransactionStatus":"00","transactionStatusDesc":"Success","additionalInfo":{"invoiceNumber":"","custIdMerchant":"M_TB1NMLig","buyerUserId":"u1","buyerFullname":"Budi",' +
      '"customerPan":"9360000812345678","acquirerName":"NETZME","issuerName":"OVO","merchantPan":"936008990000000001","merchantName":"Toko Budi","merchantLocation":"Jakarta",' +
      '"type":"qr_type_qris_static","rrn":"411310123456","localTrasactionDate":20231115,"issuerId":"93600812"}}';

    it('a static QRIS payment: the RRN, no invoice, the facts from additionalInfo', () => {
      expect(read('qris-paid', staticQris)).toEqual({
        type: 'qris-paid',
        rrn: '411310123456',
        invoiceNumber: undefined,
        scheme: 'token',
        references: { trxId: undefined, invoiceId: undefined, partnerReferenceNo: undefined },
        status: '00',
        amounts: { amount: 500000n, fee: 3500n, net: 496500n },
        paidAt: null,
        details: {
          method: 'QRIS',
          channel: undefined,
          rrn: '411310123456',
          issuerName: 'OVO',
          issuerId: '93600812',
          acquirerName: 'NETZME',
          customerPan: '9360000812345678',
          buyerName: 'Budi',
          bankCode: undefined,
          paymentTime: undefined,
        },
        topupMarked: false,
      });
    });

    it('a dynamic (invoice) QR names its invoice; the SNAP-signed route (T18) is the same event', () => {
      const dynamic = staticQris.replace('"invoiceNumber":""', '"invoiceNumber":"NETZ-INV-9","transactionId":"trx-9","partnerReferenceNo":"ORD-9"');
      expect(read('qris-paid', dynamic)).toMatchObject({
        invoiceNumber: 'NETZ-INV-9',
        references: { trxId: 'trx-9', invoiceId: 'NETZ-INV-9', partnerReferenceNo: 'ORD-9' },
      });
      expect(read('qris-paid-snap', dynamic)).toMatchObject({ type: 'qris-paid', scheme: 'snap', invoiceNumber: 'NETZ-INV-9' });
      // The invoice transaction id under the name Get Invoice Transaction's list uses.
      expect(read('qris-paid', '{"originalReferenceNo":"4113","additionalInfo":{"invoiceNumber":"NETZ-INV-9","invoiceTransactionId":"trx-9"}}')).toMatchObject({
        references: { trxId: 'trx-9' },
      });
    });

    it('tolerates an RRN sent as a JSON number, and refuses a body without one', () => {
      expect(read('qris-paid', '{"originalReferenceNo":411310123456,"latestTransactionStatus":"00"}')).toMatchObject({
        type: 'qris-paid',
        rrn: '411310123456',
      });
      expect(read('qris-paid', '{"amount":{"value":"1"},"latestTransactionStatus":"00"}')).toEqual({
        type: 'unreadable',
        kind: 'qris-paid',
        reason: 'malformed: originalReferenceNo is missing',
      });
    });
  });

  describe('T19 Withdraw Status Notification', () => {
    // The doc page's curl (seed "Withdraw Status Notification"), byte for byte.
    const doc = `{
  "amount": {
    "value": "100000.00",
    "currency": "IDR"
  },
  "latestTransactionStatus": "00",
  "transactionStatusDesc": "success",
  "originalReferenceNo": "5f79801b-d4e2-4463-bde9-e0855b5745e9",
  "originalPartnerReferenceNo": "20210309103858740544",
  "additionalInfo": {
    "type": "submit_withdraw"
  }
}`;

    it('a merchant withdrawal (submit_withdraw)', () => {
      expect(read('withdrawal-status', doc)).toEqual({
        type: 'withdrawal-status',
        withdrawal: 'merchant',
        notificationType: 'submit_withdraw',
        partnerReferenceNo: '20210309103858740544',
        referenceNo: '5f79801b-d4e2-4463-bde9-e0855b5745e9',
        status: '00',
        statusDesc: 'success',
        amount: 10000000n,
      });
    });

    it('a deposit withdrawal (submit_withdraw_deposit), a failure, and either id alone', () => {
      expect(read('withdrawal-status', doc.replace('"submit_withdraw"', '"submit_withdraw_deposit"'))).toMatchObject({
        withdrawal: 'deposit',
        notificationType: 'submit_withdraw_deposit',
      });
      expect(read('withdrawal-status', doc.replace('"00"', '"06"').replace('"success"', '"failed"'))).toMatchObject({ status: '06', statusDesc: 'failed' });
      expect(read('withdrawal-status', '{"originalReferenceNo":"r","latestTransactionStatus":"00","additionalInfo":{"type":"submit_withdraw"}}')).toMatchObject(
        { referenceNo: 'r', partnerReferenceNo: undefined, amount: null },
      );
    });

    it('refuses what cannot be routed: no id, no status, no type, an unknown type', () => {
      expect(read('withdrawal-status', '{"latestTransactionStatus":"00","additionalInfo":{"type":"submit_withdraw"}}')).toMatchObject({
        reason: 'malformed: originalPartnerReferenceNo is missing',
      });
      expect(read('withdrawal-status', '{"originalPartnerReferenceNo":"p","additionalInfo":{"type":"submit_withdraw"}}')).toMatchObject({
        reason: 'malformed: latestTransactionStatus is missing',
      });
      expect(read('withdrawal-status', '{"originalPartnerReferenceNo":"p","latestTransactionStatus":"00"}')).toMatchObject({
        reason: 'malformed: additionalInfo.type is missing',
      });
      expect(read('withdrawal-status', '{"originalPartnerReferenceNo":"p","latestTransactionStatus":"00","additionalInfo":{"type":"something_else"}}')).toEqual(
        {
          type: 'unreadable',
          kind: 'withdrawal-status',
          reason: 'unknown withdrawal notification type "something_else"',
        },
      );
      expect(
        read('withdrawal-status', '{"originalPartnerReferenceNo":"p","latestTransactionStatus":"00","additionalInfo":{"type":"constructor"}}'),
      ).toMatchObject({ type: 'unreadable' });
    });
  });

  describe('consumer-side notifications (recorded only)', () => {
    it('N13 QRIS Payment Notification', () => {
      expect(
        read(
          'qris-payment',
          '{"transactionStatusDesc":"Failed","latestTransactionStatus":"07","originalReferenceNo":"c0ffee-1","amount":{"value":"25000.00","currency":"IDR"}}',
        ),
      ).toEqual({ type: 'qris-payment', referenceNo: 'c0ffee-1', status: '07' });
      expect(read('qris-payment', '{"originalReferenceNo":"c0ffee-1"}')).toMatchObject({ reason: 'malformed: latestTransactionStatus is missing' });
    });

    it('N15 Payment Bill Notification (the doc example)', () => {
      const doc =
        '{"latestTransactionStatus":"00","transactionStatusDesc":"Success","originalReferenceNo":"586b4a69-31fe-458d-bcc0-e297e509c8a6",' +
        '"balance":{"value":"1299991.00","currency":"IDR"},' +
        '"additionalInfo":{"type":"payment_bill","billId":"21bb73fd-e624-4e2c-b5a0-188ca66fe222","source":"xplorin","description":"tiket kebun raya","refId":"363a01be-7de1-4a54-a694-7e858306664a"}}';
      expect(read('bill-paid', doc)).toEqual({
        type: 'bill-paid',
        referenceNo: '586b4a69-31fe-458d-bcc0-e297e509c8a6',
        billId: '21bb73fd-e624-4e2c-b5a0-188ca66fe222',
        status: '00',
      });
    });

    it('N17 Upgrade Account Notification: status at top level (doc table) or inside additionalInfo (doc curl)', () => {
      const table =
        '{"originalReferenceNo":"3d717e9f-6378-4d38-97e4-a617996bc22c","custId":"G7tKXzoD","motherMaidenName":"WAAASAAWA","status":"approved",' +
        '"additionalInfo":{"type":"upgrade_account","identificationCardImageUrl":"https://res.cloudinary.com/netzme/image/authenticated/s--ILKGcPmn--/v1627373165/cdd/open_api_netzme.jpg","benefits":["Sekarang kamu bisa transfer saldo Netzme kamu ke rekening bank manapun."]}}';
      const curl =
        '{"originalReferenceNo":"eb92875c-427a-4d38-bd5c-5bc944290f1e","custId":"ZyujTkS7","motherMaidenName":"Ani suryana",' +
        '"additionalInfo":{"type":"cdd","selfieImageUrl":"https://res.cloudinary.com/netzme/image/authenticated/s--UVF2SyRV--/v1625046709/cdd/JPEG_SELFIE_3886784191751382840.jpg","status":"approved"}}';
      expect(read('account-upgrade', table)).toEqual({
        type: 'account-upgrade',
        referenceNo: '3d717e9f-6378-4d38-97e4-a617996bc22c',
        custId: 'G7tKXzoD',
        status: 'approved',
      });
      expect(read('account-upgrade', curl)).toEqual({
        type: 'account-upgrade',
        referenceNo: 'eb92875c-427a-4d38-bd5c-5bc944290f1e',
        custId: 'ZyujTkS7',
        status: 'approved',
      });
      expect(read('account-upgrade', '{"originalReferenceNo":"r","custId":"c"}')).toMatchObject({ reason: 'malformed: status is missing' });
      expect(read('account-upgrade', '{"originalReferenceNo":"r","status":"approved"}')).toMatchObject({ reason: 'malformed: custId is missing' });
    });
  });

  describe('money is read strictly: anything but {"value":"<digits>.<2 digits>","currency":"IDR"} is not a payment', () => {
    const refused: Array<[string, RegExp]> = [
      ['"amount":{"value":"15000","currency":"IDR"}', /^amount\.value must be a decimal string with two decimals/],
      ['"amount":{"value":15000,"currency":"IDR"}', /^amount\.value must be a decimal string with two decimals \(e\.g\. "15000\.00"\), got 15000$/],
      ['"amount":{"value":" 15000.00","currency":"IDR"}', /^amount\.value must be/],
      ['"amount":{"value":"015000.00","currency":"IDR"}', /^amount\.value must be/],
      ['"amount":{"value":"15000.5","currency":"IDR"}', /^amount\.value must be/],
      ['"amount":{"value":"15000.000","currency":"IDR"}', /^amount\.value must be/],
      ['"amount":{"value":"1e4","currency":"IDR"}', /^amount\.value must be/],
      ['"amount":{"value":"-1.00","currency":"IDR"}', /^amount\.value must be/],
      ['"amount":{"currency":"IDR"}', /^amount\.value must be .*got \(missing\)$/],
      ['"amount":{"value":"15000.00"}', /^amount\.currency must be "IDR", got \(missing\)$/],
      ['"amount":{"value":"15000.00","currency":"USD"}', /^amount\.currency must be "IDR", got "USD"$/],
      ['"amount":"15000.00"', /^amount must be \{"value":"<digits>\.<2 digits>","currency":"IDR"\}, got "15000\.00"$/],
      ['"amount":[]', /^amount must be/],
      ['"feeAmount":{"value":"105","currency":"IDR"}', /^feeAmount\.value must be/],
      ['"netAmount":{"value":"14895.00","currency":"idr"}', /^netAmount\.currency must be "IDR"/],
      [
        '"amount":{"value":"15000.00","currency":"IDR"},"feeAmount":{"value":"15000.01","currency":"IDR"}',
        /^feeAmount 1500001 sen is larger than amount 1500000 sen$/,
      ],
      [
        '"amount":{"value":"15000.00","currency":"IDR"},"netAmount":{"value":"15000.01","currency":"IDR"}',
        /^netAmount 1500001 sen is larger than amount 1500000 sen$/,
      ],
    ];

    it.each(refused)('invoice-paid with %s', (fields, reason) => {
      const result = read('invoice-paid', `{"originalReferenceNo":"NETZ-INV-1","latestTransactionStatus":"00",${fields}}`);
      expect(result).toMatchObject({ type: 'unreadable', kind: 'invoice-paid' });
      const text = (result as { reason: string }).reason;
      expect(text.startsWith('unreadable amount, not a payment: ')).toBe(true);
      expect(text.slice('unreadable amount, not a payment: '.length)).toMatch(reason);
    });

    it.each(['qris-paid', 'qris-paid-snap'] as const)('%s the same', (kind) => {
      expect(read(kind, '{"originalReferenceNo":"4113","amount":{"value":"5000","currency":"IDR"}}')).toMatchObject({
        type: 'unreadable',
        reason: expect.stringMatching(/^unreadable amount, not a payment: amount\.value/),
      });
    });

    it('withdrawal-status the same', () => {
      expect(
        read(
          'withdrawal-status',
          '{"originalPartnerReferenceNo":"p","latestTransactionStatus":"00","amount":{"value":"100000","currency":"IDR"},"additionalInfo":{"type":"submit_withdraw"}}',
        ),
      ).toMatchObject({
        type: 'unreadable',
        reason: expect.stringMatching(/^unreadable amount, not a payment: amount\.value/),
      });
    });

    it('zero, the largest amount, and absent amounts are fine', () => {
      expect(read('invoice-paid', '{"originalReferenceNo":"x","amount":{"value":"0.00","currency":"IDR"}}')).toMatchObject({ amounts: { amount: 0n } });
      expect(read('invoice-paid', '{"originalReferenceNo":"x","amount":{"value":"9999999999999999.99","currency":"IDR"}}')).toMatchObject({
        amounts: { amount: 999999999999999999n },
      });
      expect(read('invoice-paid', '{"originalReferenceNo":"x","amount":null}')).toMatchObject({ amounts: { amount: null, fee: null, net: null } });
    });
  });

  describe('the form of a body (intake and re-apply alike)', () => {
    it('refuses too deep nesting without parsing it, and says how deep', () => {
      const deep = `{"originalReferenceNo":"d","x":${'['.repeat(40_000)}${']'.repeat(40_000)}}`;
      expect(read('bill-paid', deep)).toEqual({
        type: 'unreadable',
        kind: 'bill-paid',
        reason: `nested 40001 levels deep (more than ${MAX_CALLBACK_JSON_DEPTH}): kept as text, never applied`,
      });
    });

    it('refuses text that is not a JSON object, and NUL characters anywhere', () => {
      expect(read('bill-paid', '{"x":')).toMatchObject({ reason: 'not JSON: kept as text, never applied' });
      expect(read('bill-paid', '[1]')).toMatchObject({ reason: 'not a JSON object: never applied' });
      expect(read('account-upgrade', '{"originalReferenceNo":"r","custId":"Mw6\\u0000STUQK","status":"approved"}')).toMatchObject({
        reason: expect.stringMatching(/^contains NUL characters/),
      });
    });

    it('uses the body the HTTP layer parsed when given', () => {
      expect(readCallback('bill-paid', '{}', { originalReferenceNo: 'r', latestTransactionStatus: '00' })).toMatchObject({
        type: 'bill-paid',
        referenceNo: 'r',
      });
      expect(parseCallback('bill-paid', { originalReferenceNo: 'r', latestTransactionStatus: 0 })).toMatchObject({ type: 'bill-paid', status: '0' });
    });
  });
});
