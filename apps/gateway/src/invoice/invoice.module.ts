import { Module } from '@nestjs/common';

/** Placeholder: filled in by the invoice feature. */
@Module({})
export class InvoiceModule {}
