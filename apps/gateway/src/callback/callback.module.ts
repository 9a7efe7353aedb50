import { Module } from '@nestjs/common';

/** Placeholder: filled in by the callback feature. */
@Module({})
export class CallbackModule {}
