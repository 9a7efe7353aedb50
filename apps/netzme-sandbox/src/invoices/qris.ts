/**
 * QRIS strings: EMVCo merchant-presented QR (TLV: 2-digit tag, 2-digit length, value) with the
 * Indonesian QRIS templates, ending in tag 63 = CRC16/CCITT-FALSE over everything before its value
 * (including "6304"), four upper-case hex digits.
 */

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor. */
export function crc16CcittFalse(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

function tlv(tag: string, value: string): string {
  if (value.length > 99) {
    throw new Error(`QRIS tag ${tag} value longer than 99 characters`);
  }
  return `${tag}${String(value.length).padStart(2, '0')}${value}`;
}

/** Fixed-width ASCII field: QRIS limits names to 25 and cities to 15 characters. */
function clip(value: string, max: number): string {
  return value.replace(/[^\x20-\x7e]/g, '').slice(0, max);
}

export interface QrisMerchant {
  merchantName: string;
  merchantCity: string;
  postalCode: string;
  /** National Merchant ID issued by QRIS (e.g. ID1020021181234). */
  nmid: string;
  /** Merchant PAN at the acquirer (Netzme's acquirer id 93600814 + account digits). */
  mpan: string;
  merchantId: string;
  /** Merchant category code. */
  mcc: string;
  /** UMI / UKE / UME / UBE: merchant criteria. */
  criteria: string;
}

export interface QrisPayment {
  /** Amount in sen; absent for a static QR (the payer types the amount). */
  amountMinor?: bigint;
  /** Bill number (tag 62.01): the invoice transaction, so a scan can be traced back. */
  billNumber?: string;
  terminalLabel?: string;
}

function formatAmount(minor: bigint): string {
  const int = minor / 100n;
  const sen = minor % 100n;
  return sen === 0n ? String(int) : `${int}.${String(sen).padStart(2, '0')}`;
}

export function buildQris(merchant: QrisMerchant, payment: QrisPayment = {}): string {
  const dynamic = payment.amountMinor !== undefined;
  const merchantAccount = tlv('00', 'ID.CO.NETZME.WWW') + tlv('01', merchant.mpan) + tlv('02', merchant.merchantId) + tlv('03', merchant.criteria);
  const qrisDomestic = tlv('00', 'ID.CO.QRIS.WWW') + tlv('02', merchant.nmid) + tlv('03', merchant.criteria);
  let additional = '';
  if (payment.billNumber) {
    additional += tlv('01', clip(payment.billNumber, 25));
  }
  if (payment.terminalLabel) {
    additional += tlv('07', clip(payment.terminalLabel, 16));
  }
  let payload =
    tlv('00', '01') +
    tlv('01', dynamic ? '12' : '11') +
    tlv('26', merchantAccount) +
    tlv('51', qrisDomestic) +
    tlv('52', merchant.mcc) +
    tlv('53', '360') +
    (dynamic ? tlv('54', formatAmount(payment.amountMinor!)) : '') +
    tlv('58', 'ID') +
    tlv('59', clip(merchant.merchantName, 25)) +
    tlv('60', clip(merchant.merchantCity, 15)) +
    tlv('61', merchant.postalCode) +
    (additional ? tlv('62', additional) : '');
  payload += '6304';
  return payload + crc16CcittFalse(payload);
}

export interface ParsedQris {
  tags: Map<string, string>;
  crcValid: boolean;
}

/** Parse the top-level TLVs of a QRIS string; null when the layout is broken. */
export function parseTlv(text: string): Map<string, string> | null {
  const tags = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    if (i + 4 > text.length) {
      return null;
    }
    const tag = text.slice(i, i + 2);
    const length = Number(text.slice(i + 2, i + 4));
    if (!/^\d{2}$/.test(tag) || !Number.isInteger(length) || i + 4 + length > text.length) {
      return null;
    }
    tags.set(tag, text.slice(i + 4, i + 4 + length));
    i += 4 + length;
  }
  return tags;
}

export function parseQris(text: string): ParsedQris | null {
  const tags = parseTlv(text);
  if (!tags || !tags.has('63') || !text.endsWith(tags.get('63')!)) {
    return null;
  }
  const crcValid = crc16CcittFalse(text.slice(0, -4)) === tags.get('63');
  return { tags, crcValid };
}
