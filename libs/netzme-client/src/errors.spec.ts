import { classifyNetworkError, classifyResponse, isUnknownOutcome, NetzmeError } from './errors';

describe('classifyResponse', () => {
  const cases: Array<[number, string | undefined, string | null, string | null]> = [
    // httpStatus, responseCode, category, outcome
    [200, '2004700', null, null],
    [200, undefined, 'INVALID_RESPONSE', 'unknown'],
    [202, '2024700', 'IN_PROGRESS', 'unknown'],
    [400, '4004702', 'BAD_REQUEST', 'definite'],
    [415, '4000000', 'BAD_REQUEST', 'definite'],
    [401, '4014700', 'UNAUTHORIZED', 'definite'],
    [401, '4014701', 'INVALID_TOKEN', 'definite'],
    [401, '4011103', 'INVALID_TOKEN', 'definite'],
    [403, '4030014', 'INSUFFICIENT_FUNDS', 'definite'],
    [403, '4030004', 'RATE_LIMITED', 'definite'],
    [403, '4030818', 'FORBIDDEN', 'definite'],
    [404, '4040008', 'NOT_FOUND', 'definite'],
    [409, '4090001', 'DUPLICATE_REFERENCE', 'definite'],
    [409, '4094700', 'CONFLICT', 'definite'],
    [429, undefined, 'RATE_LIMITED', 'definite'],
    [500, '5004700', 'SERVER_ERROR', 'unknown'],
    [502, undefined, 'SERVER_ERROR', 'unknown'],
    [503, '5030000', 'SERVER_ERROR', 'unknown'],
    [504, '5044700', 'TIMEOUT', 'unknown'],
    [308, undefined, 'INVALID_RESPONSE', 'definite'],
  ];
  it.each(cases)('HTTP %i with %s -> %s / %s', (status, code, category, outcome) => {
    const result = classifyResponse(status, code);
    if (category === null) {
      expect(result).toBeNull();
    } else {
      expect(result).toEqual({ category, outcome });
    }
  });

  it('trusts the responseCode over the HTTP status (Netzme means its first three digits)', () => {
    expect(classifyResponse(200, '4091201')).toEqual({ category: 'DUPLICATE_REFERENCE', outcome: 'definite' });
    expect(classifyResponse(500, '2001100')).toBeNull();
  });

  it('never calls a token-endpoint 401 an invalid token (that would loop on refresh)', () => {
    expect(classifyResponse(401, '4017301', true)).toEqual({ category: 'UNAUTHORIZED', outcome: 'definite' });
    expect(classifyResponse(401, '4017300', true)).toEqual({ category: 'UNAUTHORIZED', outcome: 'definite' });
  });
});

describe('classifyNetworkError', () => {
  it('is definite only when the request provably never left', () => {
    expect(classifyNetworkError('ECONNREFUSED')).toEqual({ category: 'NETWORK', outcome: 'definite' });
    expect(classifyNetworkError('ENOTFOUND')).toEqual({ category: 'NETWORK', outcome: 'definite' });
    expect(classifyNetworkError('ECONNRESET')).toEqual({ category: 'NETWORK', outcome: 'unknown' });
    expect(classifyNetworkError('EPIPE')).toEqual({ category: 'NETWORK', outcome: 'unknown' });
    expect(classifyNetworkError('ETIMEDOUT')).toEqual({ category: 'TIMEOUT', outcome: 'unknown' });
    expect(classifyNetworkError(undefined)).toEqual({ category: 'NETWORK', outcome: 'unknown' });
  });
});

describe('NetzmeError', () => {
  it('splits the responseCode into HTTP status, service code and case code', () => {
    const err = new NetzmeError({
      category: 'INSUFFICIENT_FUNDS',
      outcome: 'definite',
      endpoint: 'deductDepositSplitFee',
      sent: true,
      responseCode: '4030014',
      httpStatus: 403,
      message: 'x',
    });
    expect(err).toBeInstanceOf(Error);
    expect([err.serviceCode, err.caseCode]).toEqual(['00', '14']);
    expect(isUnknownOutcome(err)).toBe(false);
  });

  it('isUnknownOutcome is true only for unknown NetzmeErrors', () => {
    const unknown = new NetzmeError({ category: 'TIMEOUT', outcome: 'unknown', endpoint: 'withdrawProcess', sent: true, message: 'x' });
    expect(isUnknownOutcome(unknown)).toBe(true);
    expect(unknown.isUnknownOutcome).toBe(true);
    expect(isUnknownOutcome(new Error('timeout'))).toBe(false);
    expect(isUnknownOutcome(undefined)).toBe(false);
  });
});
