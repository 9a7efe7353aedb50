import { Module } from '@nestjs/common';

/** Placeholder: filled in by the netzme feature. */
@Module({})
export class NetzmeModule {}
