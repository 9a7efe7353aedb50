import { buildQris, crc16CcittFalse, parseQris, parseTlv } from './qris';

const merchant = {
  merchantName: 'Warung Sandbox',
  merchantCity: 'JAKARTA',
  postalCode: '12190',
  nmid: 'ID1020021181234',
  mpan: '936008140000012345',
  merchantId: 'M_TestMrc1',
  mcc: '5812',
  criteria: 'UMI',
};

describe('QRIS', () => {
  it('computes CRC-16/CCITT-FALSE (check value of "123456789" is 29B1)', () => {
    expect(crc16CcittFalse('123456789')).toBe('29B1');
  });

  it('builds a dynamic QRIS whose tag 63 is the CRC of everything before it', () => {
    const qr = buildQris(merchant, { amountMinor: 1000050n, billNumber: 'trx-1', terminalLabel: 'A01' });
    expect(qr.startsWith('000201010212')).toBe(true);
    const parsed = parseQris(qr)!;
    expect(parsed.crcValid).toBe(true);
    expect(parsed.tags.get('54')).toBe('10000.50');
    expect(parsed.tags.get('53')).toBe('360');
    expect(parsed.tags.get('58')).toBe('ID');
    expect(parseTlv(parsed.tags.get('26')!)!.get('00')).toBe('ID.CO.NETZME.WWW');
    expect(parseTlv(parsed.tags.get('51')!)!.get('02')).toBe('ID1020021181234');
    expect(parseTlv(parsed.tags.get('62')!)!.get('07')).toBe('A01');
    expect(qr.slice(-8, -4)).toBe('6304');
  });

  it('builds a static QRIS without amount (point of initiation 11)', () => {
    const qr = buildQris(merchant);
    const parsed = parseQris(qr)!;
    expect(parsed.tags.get('01')).toBe('11');
    expect(parsed.tags.has('54')).toBe(false);
    expect(parsed.crcValid).toBe(true);
  });

  it('detects a tampered QRIS', () => {
    const qr = buildQris(merchant, { amountMinor: 1000000n });
    const tampered = qr.replace('5405' + '10000', '5405' + '90000');
    expect(parseQris(tampered)!.crcValid).toBe(false);
  });
});
