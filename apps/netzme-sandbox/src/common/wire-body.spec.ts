import { NetzmeError } from './netzme-error';
import { normalizePath } from './netzme-paths';
import { WireBody } from './wire-body';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof NetzmeError ? `${error.httpStatus}xx${error.caseCode} ${error.message}` : String(error);
  }
  return 'no error';
}

describe('WireBody (Go-style binding)', () => {
  it('matches field names case-insensitively', () => {
    expect(WireBody.of({ AccountNo: 'M_1' }).string('accountNo')).toBe('M_1');
  });

  it('reports missing, mistyped and malformed fields the way Netzme does', () => {
    const body = WireBody.of({ partnerReferenceNo: 7, amount: { value: '1.234', currency: 'IDR' } });
    expect(code(() => body.string('custIdMerchant'))).toBe('400xx02 Invalid Mandatory Field CustIdMerchant');
    expect(code(() => body.string('partnerReferenceNo'))).toBe('400xx00 Invalid Request body');
    expect(code(() => body.money('amount'))).toBe('400xx01 Invalid Field Format Value');
    expect(code(() => WireBody.parse('{"a":'))).toBe('400xx00 Invalid Request body');
  });

  it('reads money as bigint sen without floats', () => {
    expect(WireBody.of({ amount: { value: '10000.5', currency: 'IDR' } }).money('amount')).toEqual({ minor: 1000050n, currency: 'IDR' });
    expect(WireBody.of({ amount: { value: '0', currency: 'IDR' } }).money('amount').minor).toBe(0n);
  });

  it('accepts "String/Int" fields either way', () => {
    expect(WireBody.of({ n: '600' }).optIntegerish('n')).toBe(600);
    expect(WireBody.of({ n: 600 }).optIntegerish('n')).toBe(600);
    expect(code(() => WireBody.of({ n: 'ten' }).optIntegerish('n'))).toBe('400xx01 Invalid Field Format N');
  });
});

describe('normalizePath (fault targets)', () => {
  it('ignores the version segment, query string and trailing slash', () => {
    expect(normalizePath('/api/v2.0/emoney/transfer-bank/')).toBe('/api/{version}/emoney/transfer-bank');
    expect(normalizePath('/api-invoice/v1.0/transaction-history-detail')).toBe('/api-invoice/{version}/transaction-history-detail');
    expect(normalizePath('/api/v1/access-token/b2b')).toBe('/api/{version}/access-token/b2b');
    expect(normalizePath('/api/v1.0/payment/fixed-va?custId=abc')).toBe('/api/{version}/payment/fixed-va');
  });
});
