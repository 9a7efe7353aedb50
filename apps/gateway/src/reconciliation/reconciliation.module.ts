import { Module } from '@nestjs/common';

/** Placeholder: filled in by the reconciliation feature. */
@Module({})
export class ReconciliationModule {}
