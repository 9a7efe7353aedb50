import { Module } from '@nestjs/common';

/** Placeholder: filled in by the deposit feature. */
@Module({})
export class DepositModule {}
