import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export const AMOUNT_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/;
export const AMOUNT_MESSAGE = 'amount must be a positive decimal string in IDR with at most two decimals, such as "50000.00"';
export const PIN_MESSAGE = 'pin must be exactly 6 digits, as a string';

/** Body of POST /withdrawals and POST /deposit/withdrawals. */
export class CreateWithdrawalDto {
  @ApiProperty({
    description:
      "Amount to withdraw, a decimal string in IDR (at most two decimals); at least Netzme's stated minimum and WITHDRAWAL_MIN_AMOUNT (default 1000.00), at most the withdrawable amount (422 otherwise)",
    example: '50000.00',
  })
  @IsString({ message: `${AMOUNT_MESSAGE} (not a JSON number)` })
  @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE })
  amount: string;

  @ApiProperty({ description: "The merchant's 6-digit withdrawal PIN. Hashed for Netzme, never stored or logged.", example: '123456', writeOnly: true })
  @IsString({ message: PIN_MESSAGE })
  @Matches(/^\d{6}$/, { message: PIN_MESSAGE })
  pin: string;
}

/** Body of POST /withdrawals/pin. */
export class CreatePinDto {
  @ApiProperty({ description: 'The new 6-digit withdrawal PIN. Hashed as Netzme requires; never stored or logged.', example: '123456', writeOnly: true })
  @IsString({ message: PIN_MESSAGE })
  @Matches(/^\d{6}$/, { message: PIN_MESSAGE })
  pin: string;
}

/** Body of POST /withdrawals/:id/resubmit. */
export class ResubmitWithdrawalDto {
  @ApiProperty({ description: 'The 6-digit PIN again (it is never stored, so a resubmission after a restart needs it).', example: '123456', writeOnly: true })
  @IsString({ message: PIN_MESSAGE })
  @Matches(/^\d{6}$/, { message: PIN_MESSAGE })
  pin: string;

  @ApiProperty({ description: 'Who is resubmitting (recorded in the withdrawal history)', example: 'ops: Dewi' })
  @IsString()
  @Matches(/^\S.{0,99}$/s, { message: 'resubmittedBy must be 1-100 characters naming the person' })
  resubmittedBy: string;
}
