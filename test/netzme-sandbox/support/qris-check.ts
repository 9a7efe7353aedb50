/**
 * Independent QRIS checks for the tests (not the sandbox's code): CRC-16/CCITT-FALSE, computed
 * with a table-free bitwise loop over the bytes, and a top-level TLV split.
 */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const b of Buffer.from(text)) {
    for (let i = 0; i < 8; i++) {
      const bit = ((b >> (7 - i)) & 1) === 1;
      const c15 = (crc >> 15) & 1;
      crc = (crc << 1) & 0xffff;
      if ((c15 === 1) !== bit) {
        crc ^= 0x1021;
      }
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export function tlv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const tag = text.slice(i, i + 2);
    const len = parseInt(text.slice(i + 2, i + 4), 10);
    out[tag] = text.slice(i + 4, i + 4 + len);
    i += 4 + len;
  }
  return out;
}
