import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';

/** Body of POST /withdrawals/:id/resolve: settle a withdrawal in the review queue by hand. */
export class ResolveWithdrawalDto {
  @ApiProperty({ enum: ['SUCCEEDED', 'FAILED'], description: 'The final status, as confirmed with Netzme out of band', example: 'SUCCEEDED' })
  @IsIn(['SUCCEEDED', 'FAILED'], { message: 'status must be SUCCEEDED or FAILED' })
  status: 'SUCCEEDED' | 'FAILED';

  @ApiProperty({
    description: 'Why (what was checked, ticket number...): kept in the withdrawal history',
    example: 'Confirmed with Netzme support (ticket NZ-1234): transfer reached BTPN on 21 Nov',
  })
  @IsString()
  @Length(10, 1000, { message: 'reason must be 10-1000 characters saying what was checked' })
  reason: string;

  @ApiProperty({ description: 'Who resolves it', example: 'ops: Dewi' })
  @IsString()
  @Length(1, 100, { message: 'resolvedBy must be 1-100 characters naming the person' })
  resolvedBy: string;
}
