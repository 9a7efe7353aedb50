/**
 * Netzme responseCode = HTTP status (3) + service code (2) + case code (2) (docs/netzme-protocol.md §2).
 */
export interface ParsedResponseCode {
  httpStatus: number;
  serviceCode: string;
  caseCode: string;
}

export function parseResponseCode(code: unknown): ParsedResponseCode | null {
  if (typeof code !== 'string' || !/^\d{7}$/.test(code)) {
    return null;
  }
  return { httpStatus: Number(code.slice(0, 3)), serviceCode: code.slice(3, 5), caseCode: code.slice(5, 7) };
}

export function responseCode(httpStatus: number, serviceCode: string, caseCode: string): string {
  return `${httpStatus}${serviceCode}${caseCode}`;
}

/** Service codes per endpoint, the docs' value where the docs show one (docs/netzme-protocol.md §2.2). */
export const SERVICE_CODES = {
  accessToken: '73',
  generic: '00',
  accountInquiry: '08',
  balanceInquiry: '11',
  transactionHistoryList: '12',
  transactionHistoryDetail: '13',
  depositBalanceInquiry: '13',
  bankAccountInquiry: '42',
  transferBank: '43',
  createInvoiceTransaction: '47',
  debitStatus: '55',
} as const;

export const SUCCESS_MESSAGE = 'Successful';
