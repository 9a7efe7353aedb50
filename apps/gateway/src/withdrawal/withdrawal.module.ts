import { Module } from '@nestjs/common';

/** Placeholder: filled in by the withdrawal feature. */
@Module({})
export class WithdrawalModule {}
