import type { CallbackKind, NetzmeReply } from './callback-kinds';

/** Example bodies (docs/netzme-protocol.md) and our replies, for Swagger and docs/callbacks.md. */
export const CALLBACK_EXAMPLES: Record<CallbackKind, { body: Record<string, unknown>; reply: NetzmeReply }> = {
  'invoice-paid': {
    body: {
      originalReferenceNo: 'NETZ-INV-M_TB1NMLig1700000000000abc',
      originalPartnerReferenceNo: '0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c',
      latestTransactionStatus: '00',
      transactionStatusDesc: 'Success',
      amount: { value: '10000.00', currency: 'IDR' },
      netAmount: { value: '9930.00', currency: 'IDR' },
      feeAmount: { value: '70.00', currency: 'IDR' },
      additionalInfo: {
        custIdMerchant: 'M_TB1NMLig',
        paymentTime: '2023-11-15T05:20:01+07:00',
        paymentMethod: 'QRIS',
        paymentChannel: 'QRIS',
        transactionId: '0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c',
        isSplitFee: false,
        spiltFees: [],
        qrDetail: {
          rrn: '411310123456',
          issuerName: 'GOPAY',
          acquirerName: 'NETZME',
          terminalId: 'A01',
          invoiceId: 'NETZ-INV-M_TB1NMLig1700000000000abc',
          localTrasactionDate: 20231115,
        },
      },
    },
    reply: { responseCode: '2000000', responseMessage: 'Successful' },
  },
  'qris-paid': {
    body: {
      originalReferenceNo: '411310123456',
      amount: { value: '10000.00', currency: 'IDR' },
      netAmount: { value: '9930.00', currency: 'IDR' },
      feeAmount: { value: '70.00', currency: 'IDR' },
      latestTransactionStatus: '00',
      transactionStatusDesc: 'Success',
      additionalInfo: {
        invoiceNumber: '',
        custIdMerchant: 'M_TB1NMLig',
        issuerName: 'GOPAY',
        acquirerName: 'NETZME',
        rrn: '411310123456',
        type: 'qr_type_qris_static',
        localTrasactionDate: 20231115,
      },
    },
    reply: { responseCode: '2000000', responseMessage: 'Successful' },
  },
  'qris-paid-snap': {
    body: {
      originalReferenceNo: '411310123456',
      amount: { value: '10000.00', currency: 'IDR' },
      latestTransactionStatus: '00',
      transactionStatusDesc: 'Success',
      additionalInfo: { invoiceNumber: 'NETZ-INV-M_TB1NMLig1700000000000abc', custIdMerchant: 'M_TB1NMLig', rrn: '411310123456', type: 'qr_type_qris_dynamic' },
    },
    reply: { responseCode: '2000000', responseMessage: 'Successful' },
  },
  'withdrawal-status': {
    body: {
      amount: { value: '100000.00', currency: 'IDR' },
      latestTransactionStatus: '00',
      transactionStatusDesc: 'success',
      originalReferenceNo: '5f79801b-d4e2-4463-bde9-e0855b5745e9',
      originalPartnerReferenceNo: '20210309103858740544',
      additionalInfo: { type: 'submit_withdraw' },
    },
    reply: {
      responseCode: '2000000',
      responseMessage: 'Successful',
      originalPartnerReferenceNo: '20210309103858740544',
      originalReferenceNo: '5f79801b-d4e2-4463-bde9-e0855b5745e9',
      additionalInfo: { originalPartnerReferenceNo: '20210309103858740544', originalReferenceNo: '5f79801b-d4e2-4463-bde9-e0855b5745e9' },
    },
  },
  'qris-payment': {
    body: {
      transactionStatusDesc: 'Success',
      latestTransactionStatus: '00',
      originalReferenceNo: '7d1c0f6e-2a44-4f0b-8f3e-1c2b3a4d5e6f',
      amount: { value: '25000.00', currency: 'IDR' },
    },
    reply: { responseCode: '2000000', responseMessage: 'Successful', additionalInfo: { originalReferenceNo: '7d1c0f6e-2a44-4f0b-8f3e-1c2b3a4d5e6f' } },
  },
  'bill-paid': {
    body: {
      latestTransactionStatus: '00',
      transactionStatusDesc: 'Success',
      originalReferenceNo: '586b4a69-31fe-458d-bcc0-e297e509c8a6',
      balance: { value: '1299991.00', currency: 'IDR' },
      additionalInfo: {
        type: 'payment_bill',
        billId: '21bb73fd-e624-4e2c-b5a0-188ca66fe222',
        source: 'xplorin',
        description: 'tiket kebun raya',
        refId: '363a01be-7de1-4a54-a694-7e858306664a',
      },
    },
    reply: { responseCode: '2000000', responseMessage: 'Successful', additionalInfo: { originalReferenceNo: '586b4a69-31fe-458d-bcc0-e297e509c8a6' } },
  },
  'account-upgrade': {
    body: {
      originalReferenceNo: 'b3c7a1d2-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
      custId: 'Mw6STUQK',
      status: 'approved',
      additionalInfo: { type: 'upgrade_account', benefits: ['Request approved'] },
    },
    reply: { responseCode: '2000000', responseMessage: 'Successful', originalReferenceNo: 'b3c7a1d2-5e6f-4a8b-9c0d-1e2f3a4b5c6d' },
  },
};
