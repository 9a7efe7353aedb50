import { Module } from '@nestjs/common';

/** Placeholder until libs/netzme-client exports NetzmeClient (wired with PostgresTokenStore). */
@Module({})
export class NetzmeModule {}
