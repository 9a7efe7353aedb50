import { Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ErrorFormats } from './error-formats';
import { HttpExceptionFilter } from './http-exception.filter';

/** The gateway-wide exception filter, and the registry of path-owned error formats it consults. */
@Global()
@Module({
  providers: [ErrorFormats, { provide: APP_FILTER, useClass: HttpExceptionFilter }],
  exports: [ErrorFormats],
})
export class HttpErrorsModule {}
