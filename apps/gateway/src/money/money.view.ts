import { fromMinor } from '@app/snap';
import { ApiProperty } from '@nestjs/swagger';

/**
 * Money as every route of the gateway shows it: Netzme's own `{"value":"15000.00","currency":"IDR"}`,
 * a decimal string with two decimals (never a float), so a shop can pass it on unchanged.
 */
export class MoneyView {
  @ApiProperty({ example: '15000.00', description: 'Decimal string with two decimals (rupiah and sen)' })
  value: string;

  @ApiProperty({ example: 'IDR', description: 'Always IDR' })
  currency: string;
}

/** The view of an amount held in minor units (sen). */
export function moneyView(minor: bigint): MoneyView {
  return { value: fromMinor(minor), currency: 'IDR' };
}

/** The same, for an amount that may be absent. */
export function optionalMoneyView(minor: bigint | null | undefined): MoneyView | null {
  return minor === null || minor === undefined ? null : moneyView(minor);
}
